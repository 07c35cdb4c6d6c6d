// Worker-thread entry (bundled to dist/analysisWorker.js): runs every analysis away from the
// extension host's event loop. It must not import `vscode`: it only sees the core.
import { adviseEstimate } from '../core/advise/adviceViews';
import { analyzeFile, estimatePrepared, prepareEstimate, resolveProfile } from '../core/analyzeFile';
import { refineFromBenchmark } from '../core/calibrate/benchFit';
import { CALIBRATED_PROFILE_ID } from '../core/calibrate/calibratedProfile';
import { layerGraph } from '../core/report/layerGraph';
import { recommendForModel } from '../core/transform/recommendMode';
import { editorHandlers } from './worker/editorWork';
import type { WorkerMethods } from './worker/protocol';
import { serveRequests } from './workerServe';

serveRequests<WorkerMethods>({
  analyzeFile: ({ path, options }) => {
    const prepared = prepareEstimate(path, options);
    return { analysis: estimatePrepared(prepared), advice: adviseEstimate(prepared), graph: layerGraph(prepared.input.layers) };
  },
  recommendQuantizeMode: ({ path, profile }) => recommendForModel(path, profile),
  refineProfile: ({ result, analysis, options }) => {
    const { profile } = resolveProfile({ profileId: CALIBRATED_PROFILE_ID, userProfilesDir: options.userProfilesDir });
    return refineFromBenchmark({ profile, analysis, result, profilesDir: options.userProfilesDir, reanalyze: () => analyzeFile(result.modelPath, options) });
  },
  ...editorHandlers,
});
