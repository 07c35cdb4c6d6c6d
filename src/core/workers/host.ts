/**
 * The host side of every Joule worker (transforms, benchmarks, the extension's analyses): one child
 * process or worker thread spoken to over vscode-jsonrpc, started on the first request and again after
 * it dies. What it guarantees, whatever the work:
 * - a heap cap, so a model that needs too much memory kills the worker, never the caller;
 * - a time limit per request: past it the worker is killed and everything in flight fails with
 *   `WorkerFailure('timeout')`;
 * - a crash or an out-of-memory fails what is in flight with `WorkerFailure`, its cause, exit code
 *   or signal and stderr tail;
 * - cancellation sends `$/cancelRequest`: a handler that watches its token answers early with
 *   `CancelledError` and the worker lives on; one that does not answer within the grace is killed.
 * It never imports `vscode`: the extension, the CLI and the unit tests all use it.
 */
import { CancellationTokenSource, createMessageConnection, ErrorCodes, ResponseError, type MessageConnection, type NotificationType, type RequestType } from 'vscode-jsonrpc/node';
import { CancelledError, type CancellationSignal } from '../errors';
import { classifyExit, WorkerFailure } from './failure';
import { HANDLER_FAILED, REQUEST_CANCELLED, RemoteError, type SerializedError, type WorkerRequest } from './protocol';
import { spawnWorker, type SpawnedWorker, type WorkerRuntime } from './spawn';

export interface WorkerHostOptions {
  readonly script: string;
  /** Names the work in messages ("benchmark", "transform", "analysis"). */
  readonly purpose: string;
  /** A child process (default: native libraries and a dying worker stay apart) or a worker thread (cheap to start). */
  readonly runtime?: WorkerRuntime;
  /** V8 old-generation cap of the worker, MB. */
  readonly heapMb?: number;
  /** Default time limit of one request, ms (none when absent). */
  readonly timeoutMs?: number;
  /** Time a cancelled request gets to answer before its worker is killed, ms (default 3000). */
  readonly graceMs?: number;
}

/** A cooperative signal (polled) or an AbortSignal (listened to). */
export type CancelSignal = CancellationSignal | AbortSignal;

export interface RequestOptions<Progress> {
  readonly signal?: CancelSignal;
  readonly onProgress?: (progress: Progress) => void;
  /** This request's time limit, ms (default: the host's). */
  readonly timeoutMs?: number;
}

export function isCancelled(signal: CancelSignal | undefined): boolean {
  if (!signal) return false;
  return 'aborted' in signal ? signal.aborted : signal.cancelled;
}

/** How often a plain CancellationSignal is looked at (an AbortSignal is listened to instead). */
const SIGNAL_POLL_MS = 50;

interface Live {
  readonly spawned: SpawnedWorker;
  readonly connection: MessageConnection;
  readonly pending: Set<(error: Error) => void>;
}

export class WorkerHost {
  private live: Live | undefined;
  private nextToken = 1;
  private readonly attach: Array<(connection: MessageConnection) => void> = [];
  /** Called with a line for the log when a worker is stopped or dies (the caller owns the log). */
  onProblem: (message: string) => void = () => undefined;

  constructor(private readonly options: WorkerHostOptions) {}

  /** Answers a request the worker sends (e.g. the benchmark's "the meter is running, go"). */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P) => R | Promise<R>): void {
    // By method name: vscode-jsonrpc's overloads do not resolve for a generic P; `type` keeps both sides typed.
    this.register((c) => c.onRequest(type.method, async (params: P): Promise<unknown> => handler(params)));
  }

  /** Listens to a notification the worker sends. */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    this.register((c) => c.onNotification(type.method, handler));
  }

  /** A message that needs no answer; dropped when no worker runs. */
  notify<P>(type: NotificationType<P>, params: P): void {
    this.live?.connection.sendNotification(type.method, params).catch(() => undefined);
  }

  request<P, R, Progress>(request: WorkerRequest<P, R, Progress>, params: P, options: RequestOptions<Progress> = {}): Promise<R> {
    if (isCancelled(options.signal)) return Promise.reject(new CancelledError());
    let live: Live;
    try {
      live = this.ensureWorker();
    } catch (e) {
      return Promise.reject(new WorkerFailure('spawn', `could not start the ${this.options.purpose} worker: ${e instanceof Error ? e.message : String(e)}`));
    }
    const { purpose } = this.options;
    return new Promise<R>((resolve, reject) => {
      const source = new CancellationTokenSource();
      const cleanups: Array<() => void> = [];
      let settled = false;
      let cancelled = false;
      const settle = (error: Error | undefined, value?: R): void => {
        if (settled) return;
        settled = true;
        live.pending.delete(fail);
        for (const cleanup of cleanups) cleanup();
        source.dispose();
        if (error) reject(error);
        else resolve(value as R);
      };
      const fail = (error: Error): void => settle(cancelled ? new CancelledError() : error);
      live.pending.add(fail);

      let progressToken: string | undefined;
      const { onProgress } = options;
      if (onProgress) {
        progressToken = `progress-${this.nextToken++}`;
        const subscription = live.connection.onProgress(request.progress, progressToken, (value) => {
          onProgress(value);
          // A caller that cancels from its progress callback is heard now, not at the next poll.
          if (isCancelled(options.signal)) cancel();
        });
        cleanups.push(() => subscription.dispose());
      }
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      if (timeoutMs !== undefined) {
        const timer = setTimeout(() => {
          const tail = live.spawned.stderrTail().trim();
          this.onProblem(`${purpose} (${request.method}) ran past ${timeoutMs / 1000} s; stopping its worker`);
          this.stop(live, new WorkerFailure('timeout', `The ${purpose} took longer than ${timeoutMs / 1000} s and was stopped.${tail ? `\n${tail}` : ''}`, null, 'SIGKILL', tail));
        }, timeoutMs);
        cleanups.push(() => clearTimeout(timer));
      }
      const cancel = (): void => {
        if (cancelled || settled) return;
        cancelled = true;
        source.cancel();
        const grace = setTimeout(() => {
          this.onProblem(`${purpose} (${request.method}) did not stop within ${this.graceMs() / 1000} s of its cancellation; stopping its worker`);
          settle(new CancelledError());
          this.stop(live, new WorkerFailure('stopped', `The ${purpose} worker was stopped: a cancelled request in it did not stop.`));
        }, this.graceMs());
        cleanups.push(() => clearTimeout(grace));
      };
      this.watch(options.signal, cancel, cleanups);

      const envelope = progressToken === undefined ? { params } : { params, progressToken };
      live.connection.sendRequest(request.type, envelope, source.token).then(
        (result) => settle(undefined, result.value),
        (e: unknown) => settle(toError(e, cancelled)),
      );
    });
  }

  /** Stops the worker and fails what is in flight with reason 'stopped' (a later request starts a fresh one). */
  dispose(): void {
    if (this.live) this.stop(this.live, new WorkerFailure('stopped', `The ${this.options.purpose} was stopped.`));
  }

  private graceMs(): number {
    return this.options.graceMs ?? 3000;
  }

  private register(attach: (connection: MessageConnection) => void): void {
    this.attach.push(attach);
    if (this.live) attach(this.live.connection);
  }

  private watch(signal: CancelSignal | undefined, cancel: () => void, cleanups: Array<() => void>): void {
    if (!signal) return;
    if ('aborted' in signal) {
      signal.addEventListener('abort', cancel);
      cleanups.push(() => signal.removeEventListener('abort', cancel));
    } else {
      const poll = setInterval(() => signal.cancelled && cancel(), SIGNAL_POLL_MS);
      cleanups.push(() => clearInterval(poll));
    }
  }

  private ensureWorker(): Live {
    if (this.live) return this.live;
    const spawned = spawnWorker({ script: this.options.script, runtime: this.options.runtime ?? 'process', ...(this.options.heapMb === undefined ? {} : { heapMb: this.options.heapMb }) });
    const connection = createMessageConnection(spawned.reader, spawned.writer);
    // Write errors (a worker that just died) surface as its exit; nothing to do here.
    connection.onError(() => undefined);
    const live: Live = { spawned, connection, pending: new Set() };
    for (const attach of this.attach) attach(connection);
    spawned.onExit((facts) => {
      if (this.live !== live) return;
      const failure = classifyExit(this.options.purpose, facts);
      this.onProblem(failure.message.split('\n')[0] ?? failure.message);
      this.stop(live, failure);
    });
    connection.listen();
    this.live = live;
    return live;
  }

  private stop(live: Live, reason: Error): void {
    if (this.live === live) this.live = undefined;
    for (const fail of [...live.pending]) fail(reason);
    live.pending.clear();
    live.connection.dispose();
    live.spawned.kill();
  }
}

/** A JSON-RPC error answer as the caller should see it. */
function toError(e: unknown, cancelled: boolean): Error {
  if (e instanceof ResponseError) {
    const error = e as ResponseError<SerializedError>;
    if (error.code === REQUEST_CANCELLED) return new CancelledError();
    if (error.code === HANDLER_FAILED && error.data) return new RemoteError(error.data);
    if (cancelled && error.code === ErrorCodes.PendingResponseRejected) return new CancelledError();
    return new Error(error.message);
  }
  return e instanceof Error ? e : new Error(String(e));
}
