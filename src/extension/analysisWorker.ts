// Worker-thread entry (bundled to dist/analysisWorker.js): runs every analysis away from the
// extension host's event loop, served by Joule's worker host (src/core/workers). It must not import
// `vscode`: it only sees the core.
import { refineFromBenchmark } from '../core/calibrate/benchFit';
import { CALIBRATED_PROFILE_ID } from '../core/calibrate/calibratedProfile';
import { analyze } from '../core/pipeline/analyze';
import { resolveProfile } from '../core/pipeline/settings';
import { recommendForModel } from '../core/transform/recommendMode';
import { serveWorker, type WorkerServer } from '../core/workers/serve';
import { editorHandlers, forgetDocument, profileCatalog } from './worker/editorWork';
import { closeDocumentNotification, profilesChangedNotification, workerRequests, type Handlers, type WorkerMethods } from './worker/protocol';

const handlers: Handlers = {
  analyzeFile: ({ path, options }) => analyze(path, options, { advice: true, graph: true, catalog: profileCatalog }),
  recommendQuantizeMode: ({ path, profile }) => recommendForModel(path, profile),
  refineProfile: ({ result, analysis, options }) => {
    const { profile } = resolveProfile({ profileId: CALIBRATED_PROFILE_ID, userProfilesDir: options.userProfilesDir }, profileCatalog);
    return refineFromBenchmark({ profile, analysis, result, profilesDir: options.userProfilesDir, reanalyze: () => analyze(result.modelPath, options, { catalog: profileCatalog }).analysis });
  },
  ...editorHandlers,
};

function serveMethod<K extends keyof WorkerMethods>(server: WorkerServer, name: K): void {
  const handler = handlers[name] as (params: WorkerMethods[K]['params']) => WorkerMethods[K]['result'];
  server.onRequest(workerRequests[name], (params) => handler(params));
}

serveWorker((server) => {
  for (const name of Object.keys(workerRequests) as (keyof WorkerMethods)[]) serveMethod(server, name);
  server.onNotification(closeDocumentNotification, ({ document }) => forgetDocument(document));
  server.onNotification(profilesChangedNotification, ({ dir }) => profileCatalog.invalidate(dir));
});
