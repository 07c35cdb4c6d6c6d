/** Runtime check of messages reaching the worker (the IPC channel carries untyped data). */
import type { ParentToWorker } from './workerProtocol';

export function isParentToWorker(m: unknown): m is ParentToWorker {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  if (type === 'cancel') return true;
  if (type !== 'start') return false;
  const { request, paths } = m as { request?: { model?: unknown }; paths?: { out?: unknown; temp?: unknown } };
  return typeof request?.model === 'string' && typeof paths?.out === 'string' && typeof paths.temp === 'string';
}
