/**
 * Conventions of the ops without multiply-accumulates: activations and other elementwise ops,
 * softmax, normalizations, pooling windows and table lookups. Re-exported by formulas.ts, the one
 * import every front end uses (see the comment at its top). Division, exp, log, tanh, erf, sqrt and
 * pow count as transcendental (cost/types.ts); the counts are documented in docs/cost-rules.md.
 */

/** FLOPs per element: elementwise `e`, transcendental `t`. */
export interface PerElementWork {
  readonly e: number;
  readonly t: number;
}

/** Elementwise and transcendental FLOPs of a whole op. */
export interface PointwiseFlops {
  readonly elementwise: number;
  readonly transcendental: number;
}

const E1: PerElementWork = { e: 1, t: 0 };
const T1: PerElementWork = { e: 0, t: 1 };

/** Work per output element of each ONNX elementwise op; other front ends name their activations by these keys. */
export const ELEMENTWISE_WORK: Readonly<Record<string, PerElementWork>> = {
  // Comparisons, sign games and integer/bit arithmetic: one op each.
  Relu: E1, Abs: E1, Neg: E1, Sign: E1, Floor: E1, Ceil: E1, Round: E1, Not: E1, IsNaN: E1, IsInf: E1,
  ThresholdedRelu: E1, BitwiseNot: E1, Add: E1, Sub: E1, Mul: E1, And: E1, Or: E1, Xor: E1, Equal: E1,
  Less: E1, Greater: E1, LessOrEqual: E1, GreaterOrEqual: E1, BitShift: E1, BitwiseAnd: E1, BitwiseOr: E1,
  BitwiseXor: E1, Mod: E1, Where: E1,
  // Transcendentals (division included).
  Exp: T1, Log: T1, Sqrt: T1, Reciprocal: T1, Erf: T1, Tanh: T1, Sin: T1, Cos: T1, Tan: T1, Asin: T1, Acos: T1,
  Atan: T1, Sinh: T1, Cosh: T1, Asinh: T1, Acosh: T1, Atanh: T1, Div: T1, Pow: T1,
  // Activations: compare/multiply/add pieces plus their transcendentals.
  LeakyRelu: { e: 2, t: 0 }, PRelu: { e: 2, t: 0 }, Clip: { e: 2, t: 0 }, Shrink: { e: 2, t: 0 },
  HardSigmoid: { e: 3, t: 0 }, HardSwish: { e: 4, t: 0 },
  Elu: { e: 2, t: 1 }, Celu: { e: 2, t: 1 }, Selu: { e: 3, t: 1 },
  Sigmoid: { e: 1, t: 2 }, Softplus: { e: 1, t: 2 }, Softsign: { e: 2, t: 1 }, Mish: { e: 2, t: 3 },
  // Gelu, erf form: x·0.5·(1 + erf(x/√2)); tanh form below.
  Gelu: { e: 4, t: 1 },
  // Data conversion, no arithmetic (its bytes are still counted).
  Cast: { e: 0, t: 0 }, CastLike: { e: 0, t: 0 },
};

const NO_WORK: PerElementWork = { e: 0, t: 0 };

/** Gelu, tanh form: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export const GELU_TANH: PerElementWork = { e: 8, t: 1 };

/** SiLU / Swish, x·sigmoid(x): how it exports to ONNX, Sigmoid then Mul. */
export const SILU: PerElementWork = { e: ELEMENTWISE_WORK.Sigmoid!.e + 1, t: ELEMENTWISE_WORK.Sigmoid!.t };

/** The work of an ONNX elementwise op by name (undefined for an op not in the table). */
export function elementwiseWork(op: string): PerElementWork | undefined {
  return ELEMENTWISE_WORK[op];
}

/** Sum of per-element works (an activation fused after a bias add, a gate product...). */
export function addWork(...works: readonly PerElementWork[]): PerElementWork {
  return works.reduce((sum, w) => ({ e: sum.e + w.e, t: sum.t + w.t }), NO_WORK);
}

export function perElementFlops(elements: number, work: PerElementWork): PointwiseFlops {
  return { elementwise: elements * work.e, transcendental: elements * work.t };
}

/** Softmax per element: max compare, subtract, exp, sum, divide. */
export function softmaxFlops(elements: number): PointwiseFlops {
  return { elementwise: 3 * elements, transcendental: 2 * elements };
}

/** LogSoftmax: max, subtract, sum per element, an exp per element and one log per row. */
export function logSoftmaxFlops(elements: number, rows: number): PointwiseFlops {
  return { elementwise: 3 * elements, transcendental: elements + rows };
}

/**
 * Layer normalization over `elements` split into `rows` normalized rows: per element mean add, subtract,
 * square, variance add, scale by 1/σ, ×γ, +β (7; 4 without mean and β for RMS norm); per row a
 * square root and a division. Instance and group norms are the same with rows = (n, c) or (n, group).
 */
export function layerNormFlops(elements: number, rows: number, rms = false): PointwiseFlops {
  return { elementwise: (rms ? 4 : 7) * elements, transcendental: 2 * rows };
}

/**
 * Inference batch normalization: the statistics fold into one scale and one shift per element; per
 * channel a square root and a division (√(var + ε), 1/σ).
 */
export function batchNormFlops(elements: number, channels: number): PointwiseFlops {
  return { elementwise: 2 * elements, transcendental: 2 * channels };
}

export type PoolKind = 'max' | 'average' | 'lp';

/**
 * Windowed pools: per output element one compare (max) or add (average) per window element, then one
 * scale per output (average); Lp pools raise each window element to p and take a root per output.
 */
export function poolFlops(kind: PoolKind, outElements: number, window: number): PointwiseFlops {
  const reads = outElements * window;
  if (kind === 'average') return { elementwise: reads + outElements, transcendental: 0 };
  if (kind === 'lp') return { elementwise: reads, transcendental: reads + outElements };
  return { elementwise: reads, transcendental: 0 };
}

/** Global (and adaptive) pools: a window per output covering the input once. */
export function globalPoolFlops(kind: PoolKind, inElements: number, outElements: number): PointwiseFlops {
  if (kind === 'average') return { elementwise: inElements + outElements, transcendental: 0 };
  if (kind === 'lp') return { elementwise: inElements, transcendental: inElements + outElements };
  return { elementwise: inElements, transcendental: 0 };
}

/**
 * Table lookups (embeddings, Gather): no arithmetic; only the rows looked up are read, never more
 * than the table. Counts elements, or bytes when given bytes.
 */
export function lookupRead(selected: number, table: number): number {
  return Math.min(selected, table);
}

/**
 * Resize / upsample: nearest copies (0 FLOPs); linear and cubic interpolate with `taps` = 2 or 4 per
 * resized axis: taps^r multiplies and taps^r − 1 adds per output element, r = axes whose size changed.
 */
export function resizeFlops(outElements: number, taps: number, resizedAxes: number): PointwiseFlops {
  if (taps <= 1) return { elementwise: 0, transcendental: 0 };
  return { elementwise: outElements * (2 * taps ** resizedAxes - 1), transcendental: 0 };
}

/** Interpolation taps per axis of a resize mode by name (nearest 1, (bi/tri)linear 2, (bi)cubic 4). */
export function resizeTaps(mode: string): number {
  const m = mode.toLowerCase();
  if (m.includes('cubic')) return 4;
  if (m.includes('linear')) return 2;
  return 1;
}

/** Per input element and per output element work of each reduction, keyed by ONNX op. */
const REDUCE_WORK: Readonly<Record<string, { inE: number; inT: number; outE: number; outT: number }>> = {
  ReduceSum: { inE: 1, inT: 0, outE: 0, outT: 0 },
  ReduceMax: { inE: 1, inT: 0, outE: 0, outT: 0 },
  ReduceMin: { inE: 1, inT: 0, outE: 0, outT: 0 },
  ReduceProd: { inE: 1, inT: 0, outE: 0, outT: 0 },
  ReduceMean: { inE: 1, inT: 0, outE: 1, outT: 0 },
  ReduceL1: { inE: 2, inT: 0, outE: 0, outT: 0 },
  ReduceSumSquare: { inE: 2, inT: 0, outE: 0, outT: 0 },
  ReduceL2: { inE: 2, inT: 0, outE: 0, outT: 1 },
  ReduceLogSum: { inE: 1, inT: 0, outE: 0, outT: 1 },
  ReduceLogSumExp: { inE: 1, inT: 1, outE: 0, outT: 1 },
  ArgMax: { inE: 1, inT: 0, outE: 0, outT: 0 },
  ArgMin: { inE: 1, inT: 0, outE: 0, outT: 0 },
  CumSum: { inE: 1, inT: 0, outE: 0, outT: 0 },
};

/** A reduction (ONNX name; unknown names count as ReduceSum) over `inElements` into `outElements`. */
export function reduceFlops(op: string, inElements: number, outElements: number): PointwiseFlops {
  const w = REDUCE_WORK[op] ?? REDUCE_WORK.ReduceSum!;
  return { elementwise: inElements * w.inE + outElements * w.outE, transcendental: inElements * w.inT + outElements * w.outT };
}

/** DequantizeLinear: (x − zero point) × scale. */
export const DEQUANTIZE_WORK: PerElementWork = { e: 2, t: 0 };
/** QuantizeLinear: x / scale, round, + zero point, saturate. */
export const QUANTIZE_WORK: PerElementWork = { e: 3, t: 1 };
