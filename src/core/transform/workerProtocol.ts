/** Messages between runTransform (parent) and the transform worker (child process), JSON-serializable. */
import { ModelFormatError } from '../errors';
import type { JobPaths } from './job';
import { TransformError, type TransformErrorCode } from './transformError';
import type { TransformProgress, TransformRequest, TransformResult } from './types';

export type ParentToWorker =
  | { readonly type: 'start'; readonly request: TransformRequest; readonly paths: JobPaths }
  | { readonly type: 'cancel' };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: TransformErrorCode;
  readonly file?: string;
  readonly offset?: number;
  readonly expected?: string;
  readonly hint?: string;
}

export type WorkerToParent =
  | { readonly type: 'progress'; readonly progress: TransformProgress }
  | { readonly type: 'result'; readonly result: TransformResult }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly error: SerializedError };

export function isWorkerToParent(m: unknown): m is WorkerToParent {
  return typeof m === 'object' && m !== null && ['progress', 'result', 'cancelled', 'error'].includes((m as { type?: unknown }).type as string);
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof TransformError) return { name: e.name, message: e.message, code: e.code };
  if (e instanceof ModelFormatError) {
    return { name: e.name, message: e.message, file: e.file, ...(e.offset !== undefined ? { offset: e.offset } : {}), expected: e.expected, hint: e.hint };
  }
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** Rebuilds the error class the worker threw, so callers can `instanceof` it. */
export function deserializeError(s: SerializedError): Error {
  if (s.name === 'TransformError' && s.code) return new TransformError(s.code, s.message);
  if (s.name === 'ModelFormatError' && s.file !== undefined && s.expected !== undefined) return new ModelFormatError(s.file, s.offset, s.expected, s.hint);
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}
