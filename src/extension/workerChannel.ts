// The host side of Joule's worker threads: typed calls with a time limit and a heap cap. A call
// that runs too long cannot be interrupted inside a synchronous analysis, so the worker is
// terminated and replaced; every call in flight fails with a message written for the user.
// It must not import `vscode`: the unit tests drive it with a real worker.
import { Worker } from 'node:worker_threads';

/** Each method of a worker: what it takes and what it answers (both structured-cloneable). */
export type MethodTable = Record<string, { readonly params: unknown; readonly result: unknown }>;

export interface WorkerRequest {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly errorName: string; readonly message: string };

/** Work a worker could not do: the message is the reader's or the channel's, written for the user. */
export class AnalysisFailure extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

export interface WorkerChannelOptions {
  /** Names the work in messages ("analysis", "Python analysis"). */
  readonly purpose: string;
  /** V8 old-generation cap of the worker: past it the worker dies, never the host. */
  readonly heapMb: number;
  /** Default limit of one call. */
  readonly timeoutMs: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class WorkerChannel<M extends MethodTable> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Called with a line for the log when a worker is stopped or fails (the caller owns the log). */
  onProblem: (message: string) => void = () => undefined;

  constructor(
    private readonly script: string,
    private readonly options: WorkerChannelOptions,
  ) {}

  call<K extends keyof M & string>(method: K, params: M[K]['params'], timeoutMs = this.options.timeoutMs): Promise<M[K]['result']> {
    const id = this.nextId++;
    return new Promise<M[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onProblem(`${this.options.purpose} (${method}) ran past ${timeoutMs / 1000} s; restarting its worker`);
        this.restart(new AnalysisFailure('Timeout', `The ${this.options.purpose} took longer than ${timeoutMs / 1000} s and was stopped.`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      const request: WorkerRequest = { id, method, params };
      this.ensureWorker().postMessage(request);
    });
  }

  /** A message that needs no answer (forget a document); dropped when no worker runs. */
  notify<K extends keyof M & string>(method: K, params: M[K]['params']): void {
    const request: WorkerRequest = { id: 0, method, params };
    this.worker?.postMessage(request);
  }

  /** Stops the worker and fails what is in flight (the next call starts a fresh one). */
  restart(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    void worker?.terminate();
  }

  dispose(): void {
    this.restart(new AnalysisFailure('Disposed', 'Joule is shutting down.'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb } });
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new AnalysisFailure(reply.errorName, reply.message));
    });
    worker.on('error', (e) => {
      if (this.worker !== worker) return;
      this.onProblem(`${this.options.purpose} worker failed: ${e.message}`);
      const outOfMemory = /heap|memory/i.test(e.message);
      this.restart(new AnalysisFailure(outOfMemory ? 'OutOfMemory' : 'WorkerError', outOfMemory
        ? `The ${this.options.purpose} needed more than its ${this.options.heapMb} MB memory limit and was stopped.`
        : `The ${this.options.purpose} stopped: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new AnalysisFailure('WorkerExit', `The ${this.options.purpose} stopped unexpectedly (exit code ${code}); the input may be too large for the ${this.options.heapMb} MB memory limit.`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(reason: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }
}
