/** The transform worker's one request, typed for both sides (runTransform.ts, worker.ts), and its errors rebuilt. */
import { GraphBudgetError, ModelFormatError } from '../errors';
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
  const { code, file, offset, expected, hint, nodes, budget } = s.fields;
  if (s.name === 'TransformError' && typeof code === 'string') return new TransformError(code as TransformErrorCode, s.message);
  if ((s.name === 'ModelFormatError' || s.name === 'GraphBudgetError') && typeof file === 'string' && typeof expected === 'string') {
    const at = typeof offset === 'number' ? offset : undefined;
    const why = typeof hint === 'string' ? hint : undefined;
    if (s.name === 'GraphBudgetError' && why !== undefined && typeof nodes === 'number' && typeof budget === 'number') return new GraphBudgetError(file, at, expected, why, nodes, budget);
    return new ModelFormatError(file, at, expected, why);
  }
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}
