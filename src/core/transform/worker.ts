/**
 * Entry of the transform child process (bundled to dist/transformWorker.js): runs one job, reports
 * progress, and on 'cancel' stops at the next check point, removing its temp file. Heavy work
 * (weights, onnxruntime) therefore never runs on the extension host's event loop.
 */
import { CancelledError } from '../errors';
import { runTransformInProcess } from './job';
import { isParentToWorker } from './workerGuards';
import { serializeError, type WorkerToParent } from './workerProtocol';

export function serveTransformJobs(port: NodeJS.Process = process): void {
  const signal = { cancelled: false };
  const stop = (): void => { signal.cancelled = true; };
  // A killed parent turns every write into EPIPE. Unhandled, that error killed this process before
  // the job's clean-up removed its temp file; handled, the job stops at its next check point instead.
  port.on('error', stop);
  port.stderr?.on('error', stop);
  const send = (m: WorkerToParent): void => {
    if (!port.connected || !port.send) return stop();
    try {
      port.send(m, undefined, undefined, (error: Error | null) => { if (error) stop(); });
    } catch {
      stop();
    }
  };
  let started = false;
  port.on('message', (raw: unknown) => {
    if (!isParentToWorker(raw)) return;
    if (raw.type === 'cancel') {
      signal.cancelled = true;
      return;
    }
    if (started) return;
    started = true;
    runTransformInProcess(raw.request, (progress) => send({ type: 'progress', progress }), signal, raw.paths)
      .then((result) => send({ type: 'result', result }))
      .catch((e: unknown) => send(e instanceof CancelledError ? { type: 'cancelled' } : { type: 'error', error: serializeError(e) }));
    // The parent disconnects (or kills) once it has the answer; the open channel keeps this process alive until then.
  });
  // The parent going away means nobody wants the result: stop instead of finishing a stale job.
  port.on('disconnect', () => { signal.cancelled = true; });
}

if (require.main === module) serveTransformJobs();
