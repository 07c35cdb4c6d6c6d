/**
 * Pruning masks over weight values: unstructured magnitude (one threshold per layer or one for all
 * layers), N:M structured sparsity (keep the N largest of every M consecutive weights along the
 * reduction axis, the pattern sparse tensor cores accelerate), and channel importance by L1 norm.
 */

/**
 * The magnitude below which `ratio` of the values fall (ties pruned together). Values at or below
 * the returned threshold are pruned; ratio 0 returns -1 so nothing is.
 */
export function magnitudeThreshold(values: ArrayLike<number>[], ratio: number): number {
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`pruning ratio must be in [0, 1), got ${ratio}`);
  const total = values.reduce((s, v) => s + v.length, 0);
  const prune = Math.floor(total * ratio);
  if (prune === 0 || total === 0) return -1;
  const all = new Float32Array(total);
  let at = 0;
  for (const v of values) for (let i = 0; i < v.length; i++) all[at++] = Math.abs(v[i]!);
  all.sort();
  return all[prune - 1]!;
}

/** Zeroes every |w| ≤ threshold in place; returns how many weights are now zero. */
export function applyThreshold(values: Float32Array, threshold: number): number {
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]!) <= threshold) values[i] = 0;
    if (values[i] === 0) zeros++;
  }
  return zeros;
}

/**
 * Applies N:M sparsity in place to a tensor viewed as [outer][reduce][inner], groups of `m`
 * consecutive elements along `reduce` (the axis that is summed over). A trailing group shorter than m
 * keeps ceil(len · n / m) elements. Ties keep the earlier element, so the result is deterministic.
 */
export function applyNofM(values: Float32Array, outer: number, reduce: number, inner: number, n: number, m: number): void {
  if (!(n > 0 && n < m)) throw new Error(`N:M needs 0 < N < M, got ${n}:${m}`);
  if (outer * reduce * inner !== values.length) throw new Error('N:M view does not match the tensor size');
  const idx: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let g = 0; g < reduce; g += m) {
        const len = Math.min(m, reduce - g);
        const keep = Math.ceil((len * n) / m);
        idx.length = 0;
        for (let j = 0; j < len; j++) idx.push(((o * reduce) + g + j) * inner + i);
        idx.sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
        for (let j = keep; j < len; j++) values[idx[j]!] = 0;
      }
    }
  }
}

/**
 * L1 norm of each slice along `axis` (for a Conv weight [O][I][kh][kw] and axis 0, one norm per
 * output channel): the usual importance score of structured pruning.
 */
export function channelL1Norms(values: Float32Array, dims: readonly number[], axis: number): Float64Array {
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const norms = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) norms[Math.floor(i / inner) % channels]! += Math.abs(values[i]!);
  return norms;
}

/**
 * Indices of the channels to keep (ascending) when removing `ratio` of them by lowest score; at
 * least one channel is always kept, and `multiple` rounds the kept count up (hardware-friendly widths).
 */
export function channelsToKeep(scores: ArrayLike<number>, ratio: number, multiple = 1): number[] {
  const count = scores.length;
  let keep = Math.max(1, Math.round(count * (1 - ratio)));
  if (multiple > 1) keep = Math.min(count, Math.ceil(keep / multiple) * multiple);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, keep).sort((a, b) => a - b);
}

/** Fraction of exact zeros. */
export function sparsity(values: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
  return values.length === 0 ? 0 : zeros / values.length;
}
