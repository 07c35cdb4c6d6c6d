/** The transform worker's one request, typed for both sides (runTransform.ts, worker.ts), and its errors rebuilt. */
import { ModelFormatError } from '../errors';
import { defineRequest, type SerializedError } from '../workers/protocol';
import type { JobPaths } from './job';
import { TransformError, type TransformErrorCode } from './transformError';
import type { TransformProgress, TransformRequest, TransformResult } from './types';

export interface TransformJob {
  readonly request: TransformRequest;
  /** Where the result goes and its temp file, resolved (and checked) by the caller. */
  readonly paths: JobPaths;
}

/** Runs one transform; progress at each step; cancellation stops it at its next check point, temp file removed. */
export const runTransformRequest = defineRequest<TransformJob, TransformResult, TransformProgress>('joule/transform/run');

/** Rebuilds the error class the worker threw, so callers can `instanceof` it. */
export function deserializeError(s: SerializedError): Error {
  const { code, file, offset, expected, hint } = s.fields;
  if (s.name === 'TransformError' && typeof code === 'string') return new TransformError(code as TransformErrorCode, s.message);
  if (s.name === 'ModelFormatError' && typeof file === 'string' && typeof expected === 'string') {
    return new ModelFormatError(file, typeof offset === 'number' ? offset : undefined, expected, typeof hint === 'string' ? hint : undefined);
  }
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}
