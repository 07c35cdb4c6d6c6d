import * as path from 'node:path';
import { analyze, isPythonPath } from '../core/pipeline/analyze';
import { adviseEstimate } from '../core/advise/adviceViews';
import { estimatePrepared, prepareEstimate, type PreparedEstimate } from '../core/pipeline/modelFile';
import { ProfileCatalog } from '../core/pipeline/profileCatalog';
import { resolveProfile } from '../core/pipeline/settings';
import type { AnalyzeFileOptions } from '../core/pipeline/options';
import { analyzeSourceModelsFile } from '../core/pipeline/pythonModels';
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
  // read and cost it again; every analysis re-resolves its profile (a fit may have rewritten it since:
  // the catalog sees the folder's changed listing).
  const catalog = new ProfileCatalog();
  let last: { readonly key: string; readonly prepared: PreparedEstimate } | undefined;
  const keyOf = (file: string, options: AnalyzeFileOptions): string => JSON.stringify([file, options]);
  return {
    version: packageJson.version,
    analyze(file, options) {
      if (isPythonPath(file)) return analyze(file, options, { catalog }).analysis;
      last = { key: keyOf(file, options), prepared: prepareEstimate(file, options, catalog) };
      return estimatePrepared(last.prepared);
    },
    analyzePython: (file, options) => analyzeSourceModelsFile(file, options, catalog),
    advise(file, options) {
      if (isPythonPath(file)) return [];
      const prepared = last?.key === keyOf(file, options) ? last.prepared : prepareEstimate(file, options, catalog);
      last = undefined;
      return adviseEstimate(prepared);
    },
    profile: (options) => resolveProfile(options, catalog).profile,
    profiles: (userProfilesDir) => ({ profiles: catalog.list(userProfilesDir), errors: catalog.folder(userProfilesDir).errors }),
    writeExamples(dir, force) {
      return Object.entries(DEMO_EXAMPLES).map(([file, id]) => {
        const target = path.join(dir, file);
        writeOutputFile(target, exampleModelBytes(id), { force, inputs: [] });
        return target;
      });
    },
  };
}
