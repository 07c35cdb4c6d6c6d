import * as path from 'node:path';
import { analyzePath, isPythonPath } from '../core/analyzePath';
import { adviseFile } from '../core/advise/adviceViews';
import { resolveProfile } from '../core/analyzeFile';
import { analyzeSourceModelsFile } from '../core/sourceModels';
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
  return {
    version: packageJson.version,
    analyze: analyzePath,
    analyzePython: analyzeSourceModelsFile,
    advise: (path, options) => (isPythonPath(path) ? [] : adviseFile(path, options)),
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
