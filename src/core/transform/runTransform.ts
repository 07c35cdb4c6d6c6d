/**
 * Public entry: runs a transform in a child process (through the worker host, src/core/workers) so
 * the caller's event loop (the extension host, the CLI) never blocks on weights or onnxruntime.
 * Progress arrives as callbacks; cancelling sends `$/cancelRequest` (the worker stops at its next
 * check point), kills the worker if it does not answer within a grace period, and removes its temp
 * file, so a cancelled transform leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, type CancellationSignal } from '../errors';
import { WorkerFailure } from '../workers/failure';
import { WorkerHost } from '../workers/host';
import { RemoteError } from '../workers/protocol';
import { validateRequest } from './applyTransform';
import { resolvePaths } from './job';
import { removeQuietly } from './io/safeOutput';
import { TransformError } from './transformError';
import type { ProgressCallback, TransformRequest, TransformResult } from './types';
import { deserializeError, runTransformRequest } from './workerProtocol';

export interface RunTransformOptions {
  /** The worker script; default dist/transformWorker.js beside the bundle, or worker.js beside this file. */
  readonly workerPath?: string;
  /** Time the worker gets to stop after a cancellation before it is killed (ms, default 3000). */
  readonly graceMs?: number;
}

export function defaultTransformWorkerPath(): string {
  const candidates = [path.join(__dirname, 'transformWorker.js'), path.join(__dirname, 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

export async function runTransform(
  request: TransformRequest,
  onProgress: ProgressCallback = () => undefined,
  signal?: CancellationSignal,
  options: RunTransformOptions = {},
): Promise<TransformResult> {
  // Fast checks (bad options, existing output, unwritable folder) fail before any process starts.
  validateRequest(request);
  if (!fs.existsSync(request.model)) throw new TransformError('bad-request', `${request.model} does not exist`);
  const paths = resolvePaths(request);
  const workerPath = options.workerPath ?? defaultTransformWorkerPath();
  if (!fs.existsSync(workerPath)) throw new TransformError('bad-request', `transform worker not found at ${workerPath}`);
  if (signal?.cancelled) throw new CancelledError();

  const host = new WorkerHost({ script: workerPath, purpose: 'transform', graceMs: options.graceMs ?? 3000 });
  try {
    return await host.request(runTransformRequest, { request, paths }, { onProgress, ...(signal ? { signal } : {}) });
  } catch (e) {
    // The worker is stopped first, so nothing writes the temp file after it is removed.
    host.dispose();
    removeQuietly(paths.temp);
    throw asTransformError(e);
  } finally {
    host.dispose();
  }
}

/** The error as callers know it: the worker's own class, CancelledError, or why the worker died. */
function asTransformError(e: unknown): Error {
  if (e instanceof RemoteError) return deserializeError(e.remote);
  if (e instanceof WorkerFailure) {
    const how = e.signal ?? `code ${e.exitCode}`;
    const tail = e.stderrTail ? `: ${e.stderrTail.split('\n').slice(-3).join(' ')}` : '';
    return new TransformError('verification-failed', e.reason === 'spawn' ? e.message : `transform worker exited (${how}) without a result${tail}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
