/**
 * Refines a calibrated profile from one benchmark on this machine (`joule bench MODEL --fit`,
 * docs/benchmarks.md, "Fit from a benchmark"). Calibration measures each kernel class on one probe
 * shape; a real model's kernels run other shapes, so their times differ. The fit scales five
 * parameters so the estimated kernel times match the measured ones in the least-squares sense on a
 * log scale:
 *
 *   minimise  Σ_rows ( ln measured_row − ln Σ_layers [ max(computeS × s_class, memoryS × s_mem) + overheadS × s_op ] )²
 *
 * over s_gemm, s_conv, s_depthwise, s_convInteger (time scales of each matrix class's compute term),
 * s_mem (memory terms, all levels) and s_op (the per-operator overhead), each kept within e^±7. A row
 * is one runtime kernel with the layers it executes (src/core/bench/kernelMapping.ts). The
 * objective adds 0.00001 × kernels × Σ (ln s)², a small pull towards the calibrated values. The
 * minimum is found by coordinate descent with golden-section line searches (the objective is smooth
 * and each parameter touches few rows). The profile is then rewritten so the estimator reproduces the
 * fitted times: efficiency.compute ÷ s_gemm (peaks raised when it would pass 1), conv and depthwise
 * relative to it, ConvInteger relative to conv; bandwidths ÷ s_mem; vector throughput unchanged;
 * the per-operator overhead, except a larger one over an overhead calibration measured from whole runs
 * (s_op > 1 can be the profiler's own per-kernel cost, which a plain run does not pay).
 */
import type { Analysis, LayerAnalysis } from '../energy/analysis';
import type { HardwareProfile, KernelEfficiencyKey, Sourced } from '../energy/profileSchema';
import { validateProfile } from '../energy/profileSchema';
import type { LayerTimeRow } from '../bench/measuredVsEstimated';

export const FIT_PARAMETERS = ['gemm', 'conv', 'depthwise', 'convInteger', 'memory', 'overhead'] as const;
export type FitParameter = (typeof FIT_PARAMETERS)[number];

export interface ProfileFit {
  readonly profile: HardwareProfile;
  /** Time scale per parameter (fitted / calibrated time); 1 where no row informs it. */
  readonly scales: Readonly<Record<FitParameter, number>>;
  /** Kernel rows the fit used (measured, estimated > 0). */
  readonly rows: number;
  /** RMS of ln(measured / estimated) over those rows before and after the fit (after: as fitted). */
  readonly rmsLogBefore: number;
  readonly rmsLogAfter: number;
}

const BOUND = 7;

/** The parameter that scales a layer's compute term, or undefined for non-matrix layers. */
function parameterOf(layer: LayerAnalysis): FitParameter | undefined {
  if (layer.macs === 0) return undefined;
  if (layer.opType === 'ConvInteger') return 'convInteger';
  const k = layer.kernel?.kernelClass;
  return k === 'gemm' || k === 'conv' || k === 'depthwise' ? k : undefined;
}

interface Term { readonly computeS: number; readonly memoryS: number; readonly overheadS: number; readonly p: FitParameter | undefined }
interface Row { readonly measuredS: number; readonly terms: readonly Term[] }

function rowsOf(rows: readonly LayerTimeRow[], analysis: Analysis): Row[] {
  const byName = new Map(analysis.layers.map((l) => [l.name, l]));
  const out: Row[] = [];
  for (const r of rows) {
    if (r.measuredMs === undefined || !(r.measuredMs > 0) || !(r.estimatedMs > 0)) continue;
    const terms = (r.fusedLayers ?? [r.layer]).flatMap((name) => {
      const l = byName.get(name);
      return l?.timing ? [{ ...l.timing, p: parameterOf(l) }] : [];
    });
    if (terms.length > 0) out.push({ measuredS: r.measuredMs / 1000, terms });
  }
  return out;
}

function predicted(row: Row, x: Readonly<Record<FitParameter, number>>): number {
  return row.terms.reduce((s, t) => s + Math.max(t.computeS * (t.p ? Math.exp(x[t.p]) : 1), t.memoryS * Math.exp(x.memory)) + t.overheadS * Math.exp(x.overhead), 0);
}

function residuals(rows: readonly Row[], x: Readonly<Record<FitParameter, number>>): number {
  return rows.reduce((s, r) => s + Math.log(r.measuredS / Math.max(predicted(r, x), 1e-15)) ** 2, 0);
}

/** A small pull towards the calibrated values breaks ties: where compute hides under memory time (or
 * the reverse) the data cannot tell a scale's value, and it stays as measured instead of drifting. */
const RIDGE = 1e-5;

function objective(rows: readonly Row[], x: Readonly<Record<FitParameter, number>>): number {
  return residuals(rows, x) + RIDGE * rows.length * FIT_PARAMETERS.reduce((s, p) => s + x[p] ** 2, 0);
}

/** Golden-section minimum of f on [lo, hi]. */
function goldenMin(f: (v: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let i = 0; i < 60 && b - a > 1e-6; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) <= f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

/** Least-squares log-scale factors per parameter (x = ln s), by coordinate descent. */
export function fitScales(rows: readonly LayerTimeRow[], analysis: Analysis): { scales: Record<FitParameter, number>; rows: number; rmsLogBefore: number; rmsLogAfter: number } {
  const data = rowsOf(rows, analysis);
  const x: Record<FitParameter, number> = { gemm: 0, conv: 0, depthwise: 0, convInteger: 0, memory: 0, overhead: 0 };
  const informs = (p: FitParameter, t: Term): boolean => (p === 'overhead' ? t.overheadS > 0 : p === 'memory' ? t.memoryS > 0 : t.p === p);
  const used = FIT_PARAMETERS.filter((p) => data.some((r) => r.terms.some((t) => informs(p, t))));
  const before = data.length > 0 ? Math.sqrt(residuals(data, x) / data.length) : 0;
  for (let sweep = 0; sweep < 12; sweep++) {
    let moved = 0;
    for (const p of used) {
      const old = x[p];
      x[p] = goldenMin((v) => objective(data, { ...x, [p]: v }), -BOUND, BOUND);
      // Keep the old value unless the new one is better: a parameter no row feels would otherwise drift.
      if (!(objective(data, x) < objective(data, { ...x, [p]: old }) - 1e-12)) x[p] = old;
      moved = Math.max(moved, Math.abs(x[p] - old));
    }
    if (moved < 1e-4) break;
  }
  // A class no row informs keeps its calibrated ratio to its parent (conv and depthwise to the GEMM,
  // ConvInteger to conv), so it moves with the parent's fitted scale.
  if (!used.includes('conv')) x.conv = x.gemm;
  if (!used.includes('depthwise')) x.depthwise = x.gemm;
  if (!used.includes('convInteger')) x.convInteger = x.conv;
  const after = data.length > 0 ? Math.sqrt(residuals(data, x) / data.length) : 0;
  const scales = Object.fromEntries(FIT_PARAMETERS.map((p) => [p, Math.exp(x[p])])) as Record<FitParameter, number>;
  return { scales, rows: data.length, rmsLogBefore: before, rmsLogAfter: after };
}

/**
 * The refined profile: the fitted scales written into its efficiencies and overhead, each sourced
 * to the fit, and `fitError` set to the fit's RMS log error.
 */
export function fitProfile(profile: HardwareProfile, analysis: Analysis, rows: readonly LayerTimeRow[], how: { readonly model: string; readonly date: string }): ProfileFit {
  const fit = fitScales(rows, analysis);
  if (fit.rows < 3) throw new Error(`only ${fit.rows} measured kernels matched the estimate: too few to fit (run bench without --no-layers)`);
  const s = fit.scales;
  const note = (what: string): string => `${what}, least squares over ${fit.rows} kernels of ${how.model}`;
  const fitted = (value: number, what: string): Sourced => ({ value, source: 'fit', note: note(what) });
  // Throughput is 1 / time: efficiencies divide by the time scales.
  let compute = profile.efficiency.compute.value / s.gemm;
  let peakScale = 1;
  if (compute > 1) {
    peakScale = compute;
    compute = 1;
  }
  const gemmChange = (compute * peakScale) / profile.efficiency.compute.value;
  const relative: Record<KernelEfficiencyKey, number> = {
    conv: 1 / s.conv / gemmChange,
    depthwise: 1 / s.depthwise / gemmChange,
    convInteger: s.conv / s.convInteger,
  };
  const kernelEfficiency: Partial<Record<KernelEfficiencyKey, Sourced>> = {};
  for (const [key, entry] of Object.entries(profile.kernelEfficiency ?? {}) as [KernelEfficiencyKey, Sourced][]) {
    const value = Math.min(4, entry.value * relative[key]);
    kernelEfficiency[key] = relative[key] === 1 ? entry : fitted(value, `calibrated ${entry.value.toPrecision(3)} x ${relative[key].toPrecision(3)}`);
  }
  const peakOpsPerS = peakScale === 1 ? profile.peakOpsPerS : Object.fromEntries(Object.entries(profile.peakOpsPerS).map(([k, v]) => [k, fitted(v.value * peakScale, `calibrated ${v.value.toPrecision(3)} x ${peakScale.toPrecision(3)}`)]));
  const refined: HardwareProfile = {
    ...profile,
    peakOpsPerS,
    // Vector ops divide by efficiency.compute too: keep their throughput as calibrated.
    vectorOpsPerS: gemmChange === 1 ? profile.vectorOpsPerS : fitted(profile.vectorOpsPerS.value * (profile.efficiency.compute.value / compute), 'calibrated elementwise rate kept: compensates the fitted compute efficiency'),
    efficiency: { ...profile.efficiency, compute: fitted(compute, `calibrated ${profile.efficiency.compute.value} / GEMM time scale ${s.gemm.toPrecision(3)}`) },
    kernelEfficiency,
    memory: s.memory === 1 ? profile.memory : profile.memory.map((level) => ({
      ...level,
      bandwidthBytesPerS: fitted(level.bandwidthBytesPerS.value / s.memory, `calibrated ${level.bandwidthBytesPerS.value.toPrecision(3)} B/s / memory time scale ${s.memory.toPrecision(3)}`),
    })),
    // Profiled kernel times carry the profiler's own cost (~5 µs a kernel on onnxruntime 1.30, against
    // ~0.5 µs of dispatch in a plain run): a larger fitted overhead may be that cost, so it is not
    // written over an overhead calibration measured from whole runs; a smaller one is a real correction.
    perOpOverheadS: s.overhead === 1 || (s.overhead > 1 && profile.perOpOverheadS.source === 'calibration') ? profile.perOpOverheadS : fitted(profile.perOpOverheadS.value * s.overhead, `calibrated ${profile.perOpOverheadS.value.toPrecision(3)} s x ${s.overhead.toPrecision(3)}`),
    fitError: { value: fit.rmsLogAfter, source: 'fit', note: note('RMS of ln(measured / estimated)') },
    sources: { ...profile.sources, fit: `joule bench ${how.model} --fit on ${how.date.slice(0, 10)}: measured kernel times (onnxruntime profiler) against the estimate` },
  };
  const check = validateProfile(refined);
  if (!check.ok) throw new Error(`fitted profile is invalid: ${check.errors.join('; ')}`);
  return { profile: check.profile, scales: s, rows: fit.rows, rmsLogBefore: fit.rmsLogBefore, rmsLogAfter: fit.rmsLogAfter };
}
