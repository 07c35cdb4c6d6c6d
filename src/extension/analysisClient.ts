// The extension's side of its analysis worker threads: typed calls through Joule's worker host
// (src/core/workers) with a time limit and a heap cap. A call that runs too long cannot be
// interrupted inside a synchronous analysis, so the worker is terminated and replaced; every call in
// flight fails with an AnalysisFailure written for the user. A call the user cancels rejects with
// CancelledError; the calls queued behind it in the same worker run again once on a fresh one.
// It must not import `vscode`: the unit tests drive it with a real worker.
import type { NotificationType } from 'vscode-jsonrpc/node';
import { CancelledError } from '../core/errors';
import { WorkerFailure } from '../core/workers/failure';
import { isCancelled, WorkerHost, type CancelSignal } from '../core/workers/host';
import { RemoteError, type WorkerRequest } from '../core/workers/protocol';
import { workerRequests, type WorkerRequests } from './worker/protocol';

/** A table of requests by name (the analysis worker's, or a test worker's). */
export type RequestTable = { readonly [name: string]: { readonly method: string } };
type Parts<Q> = Q extends WorkerRequest<infer P, infer R, infer Progress> ? { params: P; result: R; progress: Progress } : never;
type ParamsOf<Q> = Parts<Q>['params'];
type ResultOf<Q> = Parts<Q>['result'];

/** Work a worker could not do: the message is the reader's or the host's, written for the user. */
export class AnalysisFailure extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    /** The worker error's own fields (file, offset, a budget's node counts…). */
    readonly fields: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(message);
    this.name = errorName;
  }
}

export interface AnalysisClientOptions {
  /** Names the work in messages ("analysis", "editor analysis"). */
  readonly purpose: string;
  /** V8 old-generation cap of the worker: past it the worker dies, never the host. */
  readonly heapMb: number;
  /** Default limit of one call. */
  readonly timeoutMs: number;
}

/** How long a cancelled call may still answer before its worker is stopped, ms. */
const CANCEL_GRACE_MS = 250;

export interface CallOptions {
  /** This call's time limit, ms (default: the client's). */
  readonly timeoutMs?: number;
  /** Cancels the call: it rejects with CancelledError (a synchronous analysis stops with its worker). */
  readonly signal?: CancelSignal;
}

export class AnalysisClient<T extends RequestTable = WorkerRequests> {
  private readonly host: WorkerHost;
  private disposed = false;

  constructor(
    script: string,
    private readonly options: AnalysisClientOptions,
    private readonly requests: T = workerRequests as unknown as T,
  ) {
    // The analyses are synchronous: a cancellation cannot be heard inside one, so its worker is stopped
    // after a short wait instead of the host's default grace.
    this.host = new WorkerHost({ script, runtime: 'thread', purpose: options.purpose, heapMb: options.heapMb, timeoutMs: options.timeoutMs, graceMs: CANCEL_GRACE_MS });
  }

  /** Called with a line for the log when a worker is stopped or fails (the caller owns the log). */
  set onProblem(log: (message: string) => void) {
    this.host.onProblem = log;
  }

  async call<K extends keyof T & string>(method: K, params: ParamsOf<T[K]>, options: CallOptions = {}): Promise<ResultOf<T[K]>> {
    const request = this.requests[method] as unknown as WorkerRequest<ParamsOf<T[K]>, ResultOf<T[K]>>;
    const { timeoutMs = this.options.timeoutMs, signal } = options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.host.request(request, params, { timeoutMs, ...(signal ? { signal } : {}) });
      } catch (e) {
        // Another call's cancellation stopped the worker this one waited in: it runs again, once.
        const stoppedByNeighbour = e instanceof WorkerFailure && e.reason === 'stopped' && !this.disposed && !isCancelled(signal);
        if (attempt === 0 && stoppedByNeighbour) continue;
        throw this.asFailure(e);
      }
    }
  }

  /** A message that needs no answer (a document closed); dropped when no worker runs. */
  notify<P>(type: NotificationType<P>, params: P): void {
    this.host.notify(type, params);
  }

  dispose(): void {
    this.disposed = true;
    this.host.dispose();
  }

  private asFailure(e: unknown): Error {
    const { purpose, heapMb } = this.options;
    if (e instanceof CancelledError) return e;
    if (e instanceof RemoteError) return new AnalysisFailure(e.remote.name, e.remote.message, e.remote.fields);
    if (!(e instanceof WorkerFailure)) return new AnalysisFailure('WorkerError', e instanceof Error ? e.message : String(e));
    switch (e.reason) {
      case 'timeout':
        return new AnalysisFailure('Timeout', e.message.split('\n')[0] ?? e.message);
      case 'out-of-memory':
        return new AnalysisFailure('OutOfMemory', `The ${purpose} needed more than its ${heapMb} MB memory limit and was stopped.`);
      case 'crash':
        return new AnalysisFailure('WorkerExit', `The ${purpose} stopped unexpectedly (exit code ${e.exitCode}); the input may be too large for the ${heapMb} MB memory limit.`);
      case 'stopped':
        return this.disposed ? new AnalysisFailure('Disposed', 'Joule is shutting down.') : new AnalysisFailure('Stopped', `The ${purpose} was stopped; try again.`);
      case 'spawn':
        return new AnalysisFailure('WorkerError', `The ${purpose} stopped: ${e.message}`);
    }
  }
}
