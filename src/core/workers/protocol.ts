/**
 * What both sides of a worker (src/core/workers/host.ts, serve.ts) agree on: typed requests with an
 * optional progress type, and errors that cross the channel with their class name and fields. The
 * transport is vscode-jsonrpc (JSON-RPC 2.0: `$/cancelRequest` for cancellation, `$/progress`).
 */
import { ProgressType, RequestType } from 'vscode-jsonrpc/node';

/** What travels as a request's one parameter: the caller's params and, when it listens, a progress token. */
export interface Envelope<P> {
  readonly params: P;
  readonly progressToken?: string;
}

/**
 * What travels as a request's result. JSON-RPC turns an `undefined` result into `null`; inside an
 * object, `undefined` stays what it was (an absent key over IPC, itself through structured clone).
 */
export interface ResultEnvelope<R> {
  readonly value: R;
}

/** A request a worker serves: params `P`, result `R`, progress reports `Progress` (never: none). */
export interface WorkerRequest<P, R, Progress = never> {
  readonly method: string;
  readonly type: RequestType<Envelope<P>, ResultEnvelope<R>, SerializedError>;
  readonly progress: ProgressType<Progress>;
}

export function defineRequest<P, R, Progress = never>(method: string): WorkerRequest<P, R, Progress> {
  return { method, type: new RequestType<Envelope<P>, ResultEnvelope<R>, SerializedError>(method), progress: new ProgressType<Progress>() };
}

/** The JSON-RPC error code of a request its handler gave up on because it was cancelled (as in LSP). */
export const REQUEST_CANCELLED = -32800;
/** The error code of a handler that threw: `data` is the error, serialized. */
export const HANDLER_FAILED = -32001;

/** An error as it crosses the channel: its class name, message and own primitive fields (code, file, offset...). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(e)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack' && ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value as string | number | boolean;
  }
  return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }), fields };
}

/** An error a worker's handler threw, rebuilt on the host side: `name` is the worker's class name. */
export class RemoteError extends Error {
  constructor(readonly remote: SerializedError) {
    super(remote.message);
    this.name = remote.name;
  }
}
