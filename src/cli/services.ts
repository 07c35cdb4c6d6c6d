import type { Analysis } from '../core/energy/analysis';
import type { AnalyzeFileOptions } from '../core/pipeline/options';
import type { HardwareProfile } from '../core/energy/profileSchema';
import type { ProfileLoadError } from '../core/energy/profileRegistry';
import type { PythonFileAnalysis } from '../core/pipeline/pythonModels';
import type { AdviceView } from '../core/protocol';

/**
 * What the commands need from the core, as one interface: the real implementation (nodeServices.ts)
 * calls the analysis pipeline; tests pass fakes that return synthetic analyses, so the printing, the
 * options and the exit codes are tested without model files.
 */
export interface CliServices {
  readonly version: string;
  analyze(path: string, options: AnalyzeFileOptions): Analysis;
  /** Python code: one analysis per model of the file (absent in fakes: `analyze` is used instead). */
  analyzePython?(path: string, options: AnalyzeFileOptions): PythonFileAnalysis;
  /** The advisor's recommendations for a model file (absent in fakes and for Python code: none shown). */
  advise?(path: string, options: AnalyzeFileOptions): readonly AdviceView[];
  /** Shipped profiles plus the valid ones from `userProfilesDir`, and the files that failed. */
  profiles(userProfilesDir: string | undefined): { readonly profiles: readonly HardwareProfile[]; readonly errors: readonly ProfileLoadError[] };
  /** The profile an analysis with these options uses (for the serving view's idle power). */
  profile(options: AnalyzeFileOptions): HardwareProfile;
  /** Writes the example models into `dir`; returns the files written. */
  /** Writes the example models into `dir`; existing files are kept unless `force` (see safeOutput.ts). */
  writeExamples(dir: string, force: boolean): readonly string[];
}
