// The worker side of WorkerChannel: answers each request with its handler's result or its error.
import { parentPort } from 'node:worker_threads';
import type { MethodTable, WorkerReply, WorkerRequest } from './workerChannel';

export type Handlers<M extends MethodTable> = { readonly [K in keyof M]: (params: M[K]['params']) => M[K]['result'] };

export function serveRequests<M extends MethodTable>(handlers: Handlers<M>): void {
  parentPort?.on('message', (request: WorkerRequest) => {
    const handler = (handlers as Record<string, ((params: unknown) => unknown) | undefined>)[request.method];
    let reply: WorkerReply;
    try {
      if (!handler) throw new Error(`unknown worker method ${request.method}`);
      reply = { id: request.id, ok: true, result: handler(request.params) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { id: request.id, ok: false, errorName: e.name, message: e.message };
    }
    // id 0 is a notification: nobody waits for its answer.
    if (request.id !== 0) parentPort?.postMessage(reply);
  });
}
