/** Runtime check of the job reaching the worker (JSON from another process carries no types). */
import type { TransformJob } from './workerProtocol';

export function isTransformJob(m: unknown): m is TransformJob {
  if (typeof m !== 'object' || m === null) return false;
  const { request, paths } = m as { request?: { model?: unknown }; paths?: { out?: unknown; temp?: unknown } };
  return typeof request?.model === 'string' && typeof paths?.out === 'string' && typeof paths.temp === 'string';
}
