// Worker-thread entry (bundled to dist/analysisWorker.js): runs every analysis away from the
// extension host's event loop. It must not import `vscode`: it only sees the core.
import { refineFromBenchmark } from '../core/calibrate/benchFit';
import { CALIBRATED_PROFILE_ID } from '../core/calibrate/calibratedProfile';
import { analyze } from '../core/pipeline/analyze';
import { resolveProfile } from '../core/pipeline/settings';
import { recommendForModel } from '../core/transform/recommendMode';
import { editorHandlers, profileCatalog } from './worker/editorWork';
import type { WorkerMethods } from './worker/protocol';
import { serveRequests } from './workerServe';

serveRequests<WorkerMethods>({
  analyzeFile: ({ path, options }) => analyze(path, options, { advice: true, graph: true, catalog: profileCatalog }),
  recommendQuantizeMode: ({ path, profile }) => recommendForModel(path, profile),
  refineProfile: ({ result, analysis, options }) => {
    const { profile } = resolveProfile({ profileId: CALIBRATED_PROFILE_ID, userProfilesDir: options.userProfilesDir }, profileCatalog);
    return refineFromBenchmark({ profile, analysis, result, profilesDir: options.userProfilesDir, reanalyze: () => analyze(result.modelPath, options, { catalog: profileCatalog }).analysis });
  },
  ...editorHandlers,
});
