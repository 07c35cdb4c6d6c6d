/**
 * Entry of the transform child process (bundled to dist/transformWorker.js), served by the worker
 * host (src/core/workers): runs one job, reports progress, and stops at its next check point when
 * its token is cancelled (the caller cancelled, or the caller died), removing its temp file. Heavy
 * work (weights, onnxruntime) therefore never runs on the extension host's event loop.
 */
import type { CancellationSignal } from '../errors';
import { serveWorker, type WorkerServer } from '../workers/serve';
import { runTransformInProcess } from './job';
import { TransformError } from './transformError';
import { isTransformJob } from './workerGuards';
import { runTransformRequest } from './workerProtocol';

export function registerTransformHandlers(server: WorkerServer): void {
  server.onRequest(runTransformRequest, (job, token, progress) => {
    if (!isTransformJob(job)) throw new TransformError('bad-request', 'the transform worker received a malformed job');
    // The job checks this at its check points: no polling, the token flips when $/cancelRequest arrives.
    const signal: CancellationSignal = { get cancelled() { return token.isCancellationRequested; } };
    return runTransformInProcess(job.request, progress, signal, job.paths);
  });
}

if (require.main === module) serveWorker(registerTransformHandlers);
