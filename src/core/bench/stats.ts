/**
 * Summary statistics of latency samples. Percentiles use linear interpolation between closest ranks
 * (the "R-7" / NumPy default), so p50 of an even-sized sample is the mean of the two middle values.
 */

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for fewer than two samples. */
  readonly stdDev: number;
  readonly count: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowValue = sorted[lower] as number;
  const highValue = sorted[upper] as number;
  return lowValue + (highValue - lowValue) * (position - lower);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty sample');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) throw new RangeError('no samples to summarize');
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`sample ${s} is not a finite number`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const average = mean(sorted);
  let squares = 0;
  for (const v of sorted) squares += (v - average) ** 2;
  return {
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: average,
    stdDev: sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0,
    count: sorted.length,
  };
}

/** Equal-width histogram for charts: `bins` counts between min and max (all in one bin when equal). */
export function histogram(samples: readonly number[], bins = 20): { readonly edges: number[]; readonly counts: number[] } {
  if (samples.length === 0 || bins < 1) return { edges: [], counts: [] };
  // A loop, not Math.min(...samples): spreading a long run's samples would overflow the stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const s of samples) {
    const index = Math.min(bins - 1, Math.floor((s - lo) / width));
    counts[index] = (counts[index] as number) + 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, counts };
}
