/**
 * Public entry: runs a transform in a child process so the caller's event loop (the extension host,
 * the CLI) never blocks on weights or onnxruntime. Progress arrives as callbacks; cancelling asks the
 * worker to stop, kills it if it does not within a grace period, and removes its temp file, so a
 * cancelled transform leaves nothing behind.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, type CancellationSignal } from '../errors';
import { validateRequest } from './applyTransform';
import { resolvePaths } from './job';
import { removeQuietly } from './io/safeOutput';
import { TransformError } from './transformError';
import type { ProgressCallback, TransformRequest, TransformResult } from './types';
import { deserializeError, isWorkerToParent, type ParentToWorker } from './workerProtocol';

export interface RunTransformOptions {
  /** The worker script; default dist/transformWorker.js beside the bundle, or worker.js beside this file. */
  readonly workerPath?: string;
  /** How often the cancellation signal is polled (ms, default 100). */
  readonly pollMs?: number;
  /** Time the worker gets to stop after 'cancel' before it is killed (ms, default 3000). */
  readonly graceMs?: number;
}

export function defaultTransformWorkerPath(): string {
  const candidates = [path.join(__dirname, 'transformWorker.js'), path.join(__dirname, 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

export function runTransform(
  request: TransformRequest,
  onProgress: ProgressCallback = () => undefined,
  signal?: CancellationSignal,
  options: RunTransformOptions = {},
): Promise<TransformResult> {
  // Fast checks (bad options, existing output, unwritable folder) fail before any process starts.
  let paths: ReturnType<typeof resolvePaths>;
  try {
    validateRequest(request);
    if (!fs.existsSync(request.model)) throw new TransformError('bad-request', `${request.model} does not exist`);
    paths = resolvePaths(request);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const workerPath = options.workerPath ?? defaultTransformWorkerPath();
  if (!fs.existsSync(workerPath)) return Promise.reject(new TransformError('bad-request', `transform worker not found at ${workerPath}`));
  if (signal?.cancelled) return Promise.reject(new CancelledError());

  const child = fork(workerPath, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });

  return new Promise<TransformResult>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, result?: TransformResult): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      if (killTimer) clearTimeout(killTimer);
      if (child.connected) child.disconnect();
      if (child.exitCode === null && child.signalCode === null) child.kill();
      if (error) {
        removeQuietly(paths.temp);
        reject(error);
      } else {
        resolve(result!);
      }
    };
    const poll = setInterval(() => {
      if (!signal?.cancelled || killTimer) return;
      const message: ParentToWorker = { type: 'cancel' };
      if (child.connected) child.send(message);
      killTimer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(new CancelledError());
      }, options.graceMs ?? 3000);
    }, options.pollMs ?? 100);
    child.on('message', (m: unknown) => {
      if (!isWorkerToParent(m)) return;
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'result') finish(undefined, m.result);
      else if (m.type === 'cancelled') finish(new CancelledError());
      else finish(deserializeError(m.error));
    });
    child.on('error', (e) => finish(new TransformError('verification-failed', `transform worker failed to start: ${e.message}`)));
    child.on('exit', (code, sig) => {
      if (signal?.cancelled) finish(new CancelledError());
      else finish(new TransformError('verification-failed', `transform worker exited (${sig ?? `code ${code}`}) without a result${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`));
    });
    const start: ParentToWorker = { type: 'start', request, paths };
    child.send(start);
  });
}
