/**
 * Activation range collection for static quantization. MinMax keeps the extremes seen over all
 * calibration batches; Percentile keeps a bounded sample of values per tensor and clips the range to
 * the given percentile of |x|, which ignores rare outliers that would waste the 256 levels.
 */
import { mulberry32 } from '../../onnx/seededWeights';

export type CalibrationMethod = 'minmax' | 'percentile';

export interface ActivationRange {
  readonly min: number;
  readonly max: number;
}

/** Per-tensor accumulator fed one batch at a time. */
export interface RangeCollector {
  add(values: ArrayLike<number>): void;
  range(): ActivationRange;
}

export class MinMaxCollector implements RangeCollector {
  private min = Infinity;
  private max = -Infinity;

  add(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  range(): ActivationRange {
    if (this.min > this.max) return { min: 0, max: 0 };
    return { min: this.min, max: this.max };
  }
}

/**
 * Keeps a reservoir sample (bounded memory) and returns the symmetric-in-percentile range: the
 * `percentile` quantile of negative and positive values separately, so a ReLU output stays [0, p].
 */
export class PercentileCollector implements RangeCollector {
  private readonly sample: number[] = [];
  private seen = 0;
  private readonly random = mulberry32(12345);
  private readonly minMax = new MinMaxCollector();

  constructor(
    private readonly percentile = 99.99,
    private readonly capacity = 200_000,
  ) {
    if (!(percentile > 0 && percentile <= 100)) throw new Error(`percentile must be in (0, 100], got ${percentile}`);
  }

  add(values: ArrayLike<number>): void {
    this.minMax.add(values);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      this.seen++;
      if (this.sample.length < this.capacity) this.sample.push(v);
      else {
        const j = Math.floor(this.random() * this.seen);
        if (j < this.capacity) this.sample[j] = v;
      }
    }
  }

  range(): ActivationRange {
    if (this.sample.length === 0) return { min: 0, max: 0 };
    const sorted = Float64Array.from(this.sample).sort();
    const q = this.percentile / 100;
    const hi = quantileSorted(sorted, q);
    const lo = quantileSorted(sorted, 1 - q);
    const { min, max } = this.minMax.range();
    // Never widen past the true extremes, and keep the sign structure (a ReLU output has min 0).
    return { min: Math.max(min, Math.min(lo, 0)), max: Math.min(max, Math.max(hi, 0)) };
  }
}

/** Linear-interpolated quantile of ascending data, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

export function createCollector(method: CalibrationMethod, percentile?: number): RangeCollector {
  return method === 'minmax' ? new MinMaxCollector() : new PercentileCollector(percentile);
}
