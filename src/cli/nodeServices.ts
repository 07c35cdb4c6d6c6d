import * as path from 'node:path';
import { analyze, isPythonPath } from '../core/pipeline/analyze';
import { adviseEstimate } from '../core/advise/adviceViews';
import { estimatePrepared, prepareEstimate, type PreparedEstimate } from '../core/pipeline/modelFile';
import { resolveProfile } from '../core/pipeline/settings';
import type { AnalyzeFileOptions } from '../core/pipeline/options';
import { analyzeSourceModelsFile } from '../core/pipeline/pythonModels';
import { listProfiles, loadUserProfiles } from '../core/energy/profileRegistry';
import { exampleModelBytes } from '../core/examples';
import packageJson from '../../package.json';
import { writeOutputFile } from './safeOutput';
import type { CliServices } from './services';

/** Example models `joule examples` writes: file name -> example id (src/core/examples). */
const DEMO_EXAMPLES: Readonly<Record<string, string>> = {
  'cnn.onnx': 'small-cnn',
  'transformer.onnx': 'transformer',
};

/** The real services: the analysis pipeline, the profile registry and the example builders. */
export function nodeServices(): CliServices {
  // The model a command just analysed, kept until its recommendations are asked for so they do not
  // read and cost it again; every analysis reads afresh (a fit may have rewritten the profile since).
  let last: { readonly key: string; readonly prepared: PreparedEstimate } | undefined;
  const keyOf = (file: string, options: AnalyzeFileOptions): string => JSON.stringify([file, options]);
  return {
    version: packageJson.version,
    analyze(file, options) {
      if (isPythonPath(file)) return analyze(file, options).analysis;
      last = { key: keyOf(file, options), prepared: prepareEstimate(file, options) };
      return estimatePrepared(last.prepared);
    },
    analyzePython: analyzeSourceModelsFile,
    advise(file, options) {
      if (isPythonPath(file)) return [];
      const prepared = last?.key === keyOf(file, options) ? last.prepared : prepareEstimate(file, options);
      last = undefined;
      return adviseEstimate(prepared);
    },
    profile: (options) => resolveProfile(options).profile,
    profiles(userProfilesDir) {
      const user = userProfilesDir === undefined ? { profiles: [], errors: [] } : loadUserProfiles(userProfilesDir);
      return { profiles: listProfiles(user.profiles), errors: user.errors };
    },
    writeExamples(dir, force) {
      return Object.entries(DEMO_EXAMPLES).map(([file, id]) => {
        const target = path.join(dir, file);
        writeOutputFile(target, exampleModelBytes(id), { force, inputs: [] });
        return target;
      });
    },
  };
}
