/**
 * After a benchmark estimated on this machine's calibrated profile: offer "Refine this-machine from
 * this run" (the extension's form of `joule bench --fit`, src/core/calibrate/benchFit.ts).
 */
import * as vscode from 'vscode';
import type { BenchResult } from '../../core/bench/types';
import { renderBenchFit } from '../../core/calibrate/benchFit';
import { CALIBRATED_PROFILE_ID } from '../../core/calibrate/calibratedProfile';
import type { Analysis } from '../../core/energy/analysis';
import type { AnalyzeFileOptions } from '../../core/pipeline/options';
import type { Services } from '../services';

export const REFINE_ACTION = 'Refine this-machine from this run';

export async function offerBenchFit(s: Services, result: BenchResult, analysis: Analysis | undefined, options: AnalyzeFileOptions): Promise<void> {
  const dir = options.userProfilesDir;
  if (analysis?.profile.id !== CALIBRATED_PROFILE_ID || result.layers.length === 0 || dir === undefined) return;
  const choice = await vscode.window.showInformationMessage('Joule: the estimate beside this benchmark is on this-machine. Refine its kernel efficiencies from the measured kernel times?', REFINE_ACTION);
  if (choice !== REFINE_ACTION) return;
  try {
    const report = await s.analyses.refineProfile({ result, analysis, options: { ...options, userProfilesDir: dir } });
    s.log.info(renderBenchFit(report));
    void vscode.window.showInformationMessage(
      `Joule: this-machine refined from ${report.kernels} kernels: RMS log error ${report.before.rmsLog.toFixed(2)} → ${report.after.rmsLog.toFixed(2)}, whole model ${report.before.wholeModelRatio.toFixed(2)}× → ${report.after.wholeModelRatio.toFixed(2)}× of measured (details in the Joule log).`,
    );
  } catch (e) {
    void vscode.window.showErrorMessage(`Joule: could not refine this-machine: ${(e as Error).message}`);
  }
}
