/** `joule bench --fit`: refine this-machine from the run just measured (src/core/calibrate/benchFit.ts). */
import type { BenchOptions, BenchResult } from '../../core/bench/types';
import { refineFromBenchmark, renderBenchFit, type BenchFitReport } from '../../core/calibrate/benchFit';
import type { Analysis } from '../../core/energy/analysis';
import type { CliServices } from '../services';

export function benchFit(services: CliServices, profilesDir: string, bench: BenchOptions, result: BenchResult, analysis: Analysis | undefined): { report?: BenchFitReport; text?: string; error?: string } {
  if (!analysis) return { error: 'the model could not be estimated, so there is nothing to fit.' };
  const profile = services.profiles(profilesDir).profiles.find((p) => p.id === analysis.profile.id);
  if (!profile) return { error: `profile '${analysis.profile.id}' not found in ${profilesDir}.` };
  try {
    const report = refineFromBenchmark({
      profile,
      analysis,
      result,
      profilesDir,
      reanalyze: () => services.analyze(bench.modelPath, {
        profileId: analysis.profile.id,
        userProfilesDir: profilesDir,
        ...(bench.batch === undefined ? {} : { batch: bench.batch }),
        ...(bench.dims === undefined ? {} : { dims: bench.dims }),
      }),
    });
    return { report, text: `\n${renderBenchFit(report)}` };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
