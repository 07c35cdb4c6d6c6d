/**
 * The worker side of src/core/workers/host.ts: registers typed handlers on a vscode-jsonrpc
 * connection to the parent (IPC in a child process, the parent port in a worker thread). Each handler
 * gets a CancellationToken, cancelled by the host's `$/cancelRequest` or when the parent goes away,
 * and a `progress` function. Errors cross with their class name and fields (protocol.ts).
 *
 * A parent that dies turns every write into EPIPE: those errors are caught, the in-flight handlers
 * see their tokens cancelled, and the process exits only once they have returned, so a job can still
 * remove its temp file.
 */
import { parentPort } from 'node:worker_threads';
import {
  CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, PortMessageReader, PortMessageWriter, ResponseError,
  type CancellationToken, type MessageConnection, type RequestParam, type NotificationType, type RequestType,
} from 'vscode-jsonrpc/node';
import { CancelledError } from '../errors';
import { HANDLER_FAILED, REQUEST_CANCELLED, serializeError, type Envelope, type ResultEnvelope, type SerializedError, type WorkerRequest } from './protocol';

export type Handler<P, R, Progress> = (params: P, token: CancellationToken, progress: (value: Progress) => void) => R | Promise<R>;

export interface WorkerServer {
  onRequest<P, R, Progress>(request: WorkerRequest<P, R, Progress>, handler: Handler<P, R, Progress>): void;
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void;
  /** Asks the host something (it must have registered the request with `WorkerHost.onRequest`). */
  sendRequest<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void>;
}

/** What the worker talks through: this process's IPC channel, or a worker thread's parent port. */
export interface ParentLink {
  readonly connection: MessageConnection;
  /** Calls back once when the parent is gone (disconnected, closed the port). */
  onGone(listener: () => void): void;
  /** Ends this worker. */
  exit(code: number): void;
}

export function connectToParent(): ParentLink {
  // EPIPE on stderr (a dead parent) must not kill the worker before its clean-up.
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', () => undefined);
  if (parentPort) {
    const port = parentPort;
    return {
      connection: createMessageConnection(new PortMessageReader(port), new PortMessageWriter(port)),
      onGone: (listener) => port.once('close', listener),
      exit: (code) => process.exit(code),
    };
  }
  if (!process.send) {
    process.stderr.write('this worker must be started by Joule (child_process.fork with an IPC channel, or a worker thread)\n');
    process.exit(2);
  }
  return {
    connection: createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process)),
    onGone: (listener) => process.once('disconnect', listener),
    exit: (code) => process.exit(code),
  };
}

/** Serves the handlers `register` installs, on `link` (the real parent unless a test gives one). */
export function serveWorker(register: (server: WorkerServer) => void, link: ParentLink = connectToParent()): void {
  const { connection } = link;
  const inFlight = new Set<CancellationTokenSource>();
  let parentGone = false;
  const goneIfIdle = (): void => {
    if (parentGone && inFlight.size === 0) link.exit(0);
  };
  const onParentGone = (): void => {
    if (parentGone) return;
    parentGone = true;
    // Nobody wants the answers any more: stop at the next check point, then exit.
    for (const source of inFlight) source.cancel();
    goneIfIdle();
  };
  link.onGone(onParentGone);
  // A failed write means a dead parent (EPIPE, closed channel): the same as a disconnect.
  connection.onError(onParentGone);
  connection.onClose(onParentGone);

  register({
    onRequest: <P, R, Progress>(request: WorkerRequest<P, R, Progress>, handler: Handler<P, R, Progress>): void => {
      connection.onRequest(request.method, async (envelope: Envelope<P>, token: CancellationToken): Promise<ResultEnvelope<R> | ResponseError<SerializedError>> => {
        const source = new CancellationTokenSource();
        const subscription = token.onCancellationRequested(() => source.cancel());
        if (parentGone) source.cancel();
        inFlight.add(source);
        const { progressToken } = envelope;
        const progress = (value: Progress): void => {
          if (progressToken === undefined || parentGone) return;
          connection.sendProgress(request.progress, progressToken, value as RequestParam<Progress>).catch(onParentGone);
        };
        try {
          return { value: await handler(envelope.params, source.token, progress) };
        } catch (e) {
          if (e instanceof CancelledError) return new ResponseError<SerializedError>(REQUEST_CANCELLED, e.message);
          return new ResponseError(HANDLER_FAILED, e instanceof Error ? e.message : String(e), serializeError(e));
        } finally {
          subscription.dispose();
          inFlight.delete(source);
          source.dispose();
          // Give the answer its write before a parent-less worker exits.
          setImmediate(goneIfIdle);
        }
      });
    },
    // By method name: vscode-jsonrpc's overloads do not resolve for a generic P; the types keep both sides typed.
    onNotification: (type, handler) => connection.onNotification(type.method, handler),
    sendRequest: <P, R>(type: RequestType<P, R, void>, params: P) => connection.sendRequest(type.method, params) as Promise<R>,
    sendNotification: (type, params) => connection.sendNotification(type.method, params),
  });
  connection.listen();
}
