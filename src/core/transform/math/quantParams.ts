/**
 * Linear quantization arithmetic: scale and zero point from a value range, and per-tensor or
 * per-channel quantization of float weights. q = clamp(round(x / scale) + zeroPoint, qmin, qmax);
 * x ≈ (q - zeroPoint) * scale. Rounding is half-to-even, as ONNX QuantizeLinear specifies.
 */

export interface IntRange {
  readonly qmin: number;
  readonly qmax: number;
}

/** Integer target type of a quantization. */
export type QuantType = 'int8' | 'uint8' | 'int4' | 'uint4';

export function intRange(type: QuantType, options: { readonly narrow?: boolean } = {}): IntRange {
  switch (type) {
    // A narrow int8 range (−127..127) keeps symmetric weights exactly symmetric, as onnxruntime does.
    case 'int8': return { qmin: options.narrow ? -127 : -128, qmax: 127 };
    case 'uint8': return { qmin: 0, qmax: 255 };
    case 'int4': return { qmin: options.narrow ? -7 : -8, qmax: 7 };
    case 'uint4': return { qmin: 0, qmax: 15 };
  }
}

export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Round half to even (banker's rounding), the rounding of ONNX QuantizeLinear. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; pull exact ties that landed on an odd number back down.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Scale and zero point covering [min, max]. The range is widened to include 0 so that zero (padding,
 * ReLU outputs) is exactly representable. Symmetric puts the zero point at the middle of the range
 * (0 for signed types, 128 / 8 for unsigned).
 */
export function quantParamsFromRange(min: number, max: number, range: IntRange, symmetric: boolean): QuantParams {
  let lo = Math.min(min, 0);
  let hi = Math.max(max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`cannot quantize a non-finite range [${min}, ${max}]`);
  const { qmin, qmax } = range;
  if (symmetric) {
    const absMax = Math.max(-lo, hi);
    lo = -absMax;
    hi = absMax;
    const zeroPoint = qmin < 0 ? 0 : Math.ceil((qmin + qmax) / 2);
    // Half the span on each side; a positive-only span (unsigned) uses the lower half size.
    const half = qmin < 0 ? Math.min(-qmin, qmax) : (qmax - qmin) / 2;
    const scale = absMax === 0 ? 1 : absMax / half;
    return { scale, zeroPoint };
  }
  if (hi === lo) return { scale: 1, zeroPoint: qmin < 0 ? 0 : qmin };
  const scale = (hi - lo) / (qmax - qmin);
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfEven(qmin - lo / scale)));
  return { scale, zeroPoint };
}

export function quantizeValue(x: number, p: QuantParams, range: IntRange): number {
  const q = roundHalfEven(x / p.scale) + p.zeroPoint;
  return q < range.qmin ? range.qmin : q > range.qmax ? range.qmax : q;
}

export interface QuantizedTensor {
  /** Quantized integers in the original element order. */
  readonly values: Int32Array;
  /** One entry per channel (length 1 for per-tensor). */
  readonly scales: Float32Array;
  readonly zeroPoints: Int32Array;
  /** Axis the scales run along, undefined for per-tensor. */
  readonly axis?: number;
}

/**
 * Quantizes `data` with shape `dims`: per tensor when `axis` is undefined, else one scale per index
 * of `axis` (per output channel).
 */
export function quantizeTensor(
  data: Float32Array,
  dims: readonly number[],
  type: QuantType,
  options: { readonly axis?: number; readonly symmetric: boolean; readonly narrow?: boolean; readonly range?: IntRange },
): QuantizedTensor {
  const range = options.range ?? intRange(type, { narrow: options.narrow });
  const axis = options.axis;
  if (axis === undefined) {
    const { min, max } = minMax(data, 0, data.length, 1);
    const p = quantParamsFromRange(min, max, range, options.symmetric);
    const values = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) values[i] = quantizeValue(data[i]!, p, range);
    return { values, scales: Float32Array.of(p.scale), zeroPoints: Int32Array.of(p.zeroPoint) };
  }
  if (axis < 0 || axis >= dims.length) throw new Error(`axis ${axis} out of range for rank ${dims.length}`);
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = data.length / (channels * inner);
  const scales = new Float32Array(channels);
  const zeroPoints = new Int32Array(channels);
  const values = new Int32Array(data.length);
  for (let c = 0; c < channels; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (let o = 0; o < outer; o++) {
      const r = minMax(data, (o * channels + c) * inner, inner, 1);
      min = Math.min(min, r.min);
      max = Math.max(max, r.max);
    }
    const p = quantParamsFromRange(min, max, range, options.symmetric);
    scales[c] = p.scale;
    zeroPoints[c] = p.zeroPoint;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) values[i] = quantizeValue(data[i]!, p, range);
    }
  }
  return { values, scales, zeroPoints, axis };
}

/** Inverse of quantizeTensor, for error measurement and tests. */
export function dequantizeTensor(q: QuantizedTensor, dims: readonly number[]): Float32Array {
  const out = new Float32Array(q.values.length);
  if (q.axis === undefined) {
    const s = q.scales[0]!;
    const z = q.zeroPoints[0]!;
    for (let i = 0; i < out.length; i++) out[i] = (q.values[i]! - z) * s;
    return out;
  }
  const channels = dims[q.axis]!;
  const inner = dims.slice(q.axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor(i / inner) % channels;
    out[i] = (q.values[i]! - q.zeroPoints[c]!) * q.scales[c]!;
  }
  return out;
}

function minMax(data: Float32Array, start: number, count: number, stride: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0, at = start; i < count; i++, at += stride) {
    const v = data[at]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
