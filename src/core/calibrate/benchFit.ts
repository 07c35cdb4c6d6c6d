/**
 * "Refine this-machine from this run": fits the calibrated profile to one benchmark's kernel times
 * (fitProfile.ts), saves it, re-estimates the same model on the saved profile and reports the error
 * before and after, both against the same measured run. Shared by `joule bench --fit` and the
 * extension's button after a benchmark.
 */
import type { Analysis } from '../energy/analysis';
import type { HardwareProfile } from '../energy/profileSchema';
import { measuredVsEstimated } from '../bench/measuredVsEstimated';
import { median, spearman } from '../bench/rankStats';
import type { BenchResult } from '../bench/types';
import { CALIBRATED_PROFILE_ID, saveCalibratedProfile } from './calibratedProfile';
import { fitProfile, type FitParameter } from './fitProfile';

/** Error of an estimate against the measured run (all measured). */
export interface FitError {
  /** Median over kernels of measured / estimated time. */
  readonly medianRatio: number;
  /** Spearman rank correlation of estimated vs measured time over kernels that run MACs. */
  readonly spearmanMac: number;
  /** Whole-model estimated latency / measured p50. */
  readonly wholeModelRatio: number;
  /** RMS of ln(measured / estimated) over kernels. */
  readonly rmsLog: number;
}

export interface BenchFitReport {
  readonly file: string;
  readonly kernels: number;
  readonly scales: Readonly<Record<FitParameter, number>>;
  readonly before: FitError;
  readonly after: FitError;
}

export function fitErrorOf(result: BenchResult, analysis: Analysis): FitError {
  const m = measuredVsEstimated(result, analysis);
  const rows = m.rows.filter((r) => r.measuredMs !== undefined && r.measuredMs > 0 && r.estimatedMs > 0);
  const macs = new Map(analysis.layers.map((l) => [l.name, l.macs]));
  const mac = rows.filter((r) => (r.fusedLayers ?? [r.layer]).some((l) => (macs.get(l) ?? 0) > 0));
  const logs = rows.map((r) => Math.log(r.measuredMs! / r.estimatedMs));
  return {
    medianRatio: median(rows.map((r) => r.measuredMs! / r.estimatedMs)),
    spearmanMac: spearman(mac.map((r) => r.estimatedMs), mac.map((r) => r.measuredMs!)),
    wholeModelRatio: (analysis.totals.latencyS * 1000) / result.latencyMs.p50,
    rmsLog: logs.length > 0 ? Math.sqrt(logs.reduce((s, v) => s + v * v, 0) / logs.length) : NaN,
  };
}

export interface BenchFitInput {
  readonly profile: HardwareProfile;
  /** The model estimated on `profile` (the benchmark's estimate). */
  readonly analysis: Analysis;
  readonly result: BenchResult;
  readonly profilesDir: string;
  /** Re-estimates the model on the profiles in profilesDir (after the refined profile is saved). */
  readonly reanalyze: () => Analysis;
  readonly date?: string;
}

/** Refuses unless the benchmark's estimate is on this machine's calibrated profile. */
export function refineFromBenchmark(input: BenchFitInput): BenchFitReport {
  if (input.analysis.profile.id !== CALIBRATED_PROFILE_ID || input.profile.id !== CALIBRATED_PROFILE_ID) {
    throw new Error(`--fit refines this machine's calibrated profile, but this benchmark was estimated on '${input.analysis.profile.id}'. Run \`joule calibrate\` first (palette: Joule: Calibrate This Machine), and leave --profile out or name ${CALIBRATED_PROFILE_ID}.`);
  }
  if (input.result.layers.length === 0) throw new Error('--fit needs the per-kernel times: run the benchmark without --no-layers.');
  const before = fitErrorOf(input.result, input.analysis);
  const rows = measuredVsEstimated(input.result, input.analysis).rows;
  const fit = fitProfile(input.profile, input.analysis, rows, { model: input.result.protocol.model.fileName, date: input.date ?? new Date().toISOString() });
  saveCalibratedProfile(input.profilesDir, fit.profile);
  const after = fitErrorOf(input.result, input.reanalyze());
  // The recorded fit error is the one the real estimator reaches on the saved profile (the band does
  // not change any estimate, so the re-analysis stands).
  const fitError = { ...fit.profile.fitError!, value: after.rmsLog, note: `RMS of ln(measured / estimated) over ${fit.rows} kernels of ${input.result.protocol.model.fileName}, re-estimated on the fitted profile` };
  const file = saveCalibratedProfile(input.profilesDir, { ...fit.profile, fitError });
  return { file, kernels: fit.rows, scales: fit.scales, before, after };
}

export function renderBenchFit(report: BenchFitReport): string {
  const line = (label: string, e: FitError): string =>
    `  ${label}  estimated/measured p50 ${e.wholeModelRatio.toFixed(2)}x  median measured/estimated kernel ${e.medianRatio.toFixed(2)}x  Spearman (MAC kernels) ${e.spearmanMac.toFixed(2)}  RMS log error ${e.rmsLog.toFixed(2)}`;
  const scales = Object.entries(report.scales).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
  return [
    `Fit from this run (${report.kernels} kernels, least squares on log time; time scales ${scales}), both lines against the same measured run:`,
    line('before', report.before),
    line('after ', report.after),
    `Saved ${report.file}: estimates on ${CALIBRATED_PROFILE_ID} now carry a ±${Math.round((Math.exp(report.after.rmsLog) - 1) * 100)}% band (its fit error).`,
    '',
  ].join('\n');
}
