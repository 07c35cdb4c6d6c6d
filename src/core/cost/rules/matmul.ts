/** Matrix products: MatMul, Gemm, com.microsoft FusedMatMul / FusedGemm / MatMulNBits. */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown, staticDims, valueElements } from '../assemble';
import { type CostContext, floatAttr, inputAt, intAttr } from '../context';
import { matMulMacs, matMulWork } from '../formulas';
import type { OpCost, Precision } from '../types';
import { fusedActivationWork } from './conv';
import { GELU_TANH } from './elementwise';
import { qdqView } from './qdq';

export interface MatMulGeometry {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** Product of the broadcast of two batch shapes (numpy rules), or undefined when incompatible. */
function broadcastBatch(a: readonly number[], b: readonly number[]): number | undefined {
  const rank = Math.max(a.length, b.length);
  let batch = 1;
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    batch *= Math.max(da, db);
  }
  return batch;
}

/**
 * numpy-style matmul geometry of A·B with optional transposition of the last two axes. A 1-D A is
 * a row vector (M = 1), a 1-D B a column vector (N = 1). Returns a reason when a shape is unknown.
 */
export function matMulGeometry(node: Node, ctx: CostContext, a: string | undefined, b: string | undefined,
  transA = false, transB = false): MatMulGeometry | string {
  const aShape = staticDims(ctx, a);
  const bShape = staticDims(ctx, b);
  if (!aShape || aShape.length === 0) return shapeUnknown(node, `shape of '${a ?? ''}'`);
  if (!bShape || bShape.length === 0) return shapeUnknown(node, `shape of '${b ?? ''}'`);
  const aMat = aShape.length === 1 ? [1, aShape[0]!] : aShape.slice(-2);
  const bMat = bShape.length === 1 ? [bShape[0]!, 1] : bShape.slice(-2);
  const [m, k] = transA ? [aMat[1]!, aMat[0]!] : [aMat[0]!, aMat[1]!];
  const n = transB ? bMat[0]! : bMat[1]!;
  const batch = broadcastBatch(aShape.slice(0, -2), bShape.slice(0, -2));
  if (batch === undefined) return shapeUnknown(node, `broadcast of batch dims [${aShape.join(',')}]·[${bShape.join(',')}]`);
  return { batch, m, n, k };
}

export function matMulLikeCost(node: Node, ctx: CostContext, opts: {
  a: number; b: number; transA?: boolean; transB?: boolean; precision?: Precision;
  perOutputElementwise?: number; perOutputTranscendental?: number; notes?: readonly string[];
  overrides?: Parameters<typeof assembleCost>[3];
}): OpCost {
  const g = matMulGeometry(node, ctx, inputAt(node, opts.a), inputAt(node, opts.b), opts.transA, opts.transB);
  if (typeof g === 'string') return assembleCost(node, ctx, { missing: [g], precision: opts.precision, notes: opts.notes }, opts.overrides);
  const work = matMulWork(g, { e: opts.perOutputElementwise ?? 0, t: opts.perOutputTranscendental ?? 0 });
  return assembleCost(node, ctx, {
    ...work,
    precision: opts.precision,
    notes: opts.notes,
  }, opts.overrides);
}

/** MatMul, at integer precision when fed by DequantizeLinear (QDQ). */
export const matMulRule = (node: Node, ctx: CostContext): OpCost => {
  const q = qdqView(node, ctx);
  return matMulLikeCost(node, ctx, { a: 0, b: 1, precision: q.precision, notes: q.note ? [q.note] : undefined, overrides: { overrides: q.overrides } });
};

/** Y = alpha·A'·B' + beta·C: the C add and non-unit scalings are elementwise FLOPs. */
function gemmExtraPerOutput(node: Node): number {
  const hasC = inputAt(node, 2) !== undefined;
  const alpha = floatAttr(node, 'alpha', 1);
  const beta = floatAttr(node, 'beta', 1);
  return (hasC ? 1 : 0) + (hasC && beta !== 1 ? 1 : 0) + (alpha !== 1 ? 1 : 0);
}

export const gemmRule = (node: Node, ctx: CostContext): OpCost => {
  const q = qdqView(node, ctx);
  return matMulLikeCost(node, ctx, {
    a: 0, b: 1, transA: intAttr(node, 'transA', 0) === 1, transB: intAttr(node, 'transB', 0) === 1,
    perOutputElementwise: gemmExtraPerOutput(node),
    precision: q.precision, notes: q.note ? [q.note] : undefined, overrides: { overrides: q.overrides },
  });
};

export const fusedGemmRule = (node: Node, ctx: CostContext): OpCost => {
  const act = fusedActivationWork(node);
  return matMulLikeCost(node, ctx, {
    a: 0, b: 1, transA: intAttr(node, 'transA', 0) === 1, transB: intAttr(node, 'transB', 0) === 1,
    perOutputElementwise: gemmExtraPerOutput(node) + act.elementwise, perOutputTranscendental: act.transcendental,
  });
};

/** com.microsoft FusedMatMul: alpha·op(A)·op(B), op = optional transpose of the last two axes. */
export const fusedMatMulRule = (node: Node, ctx: CostContext): OpCost => {
  const batchTransposed = intAttr(node, 'transBatchA', 0) === 1 || intAttr(node, 'transBatchB', 0) === 1;
  return matMulLikeCost(node, ctx, {
    a: 0, b: 1, transA: intAttr(node, 'transA', 0) === 1, transB: intAttr(node, 'transB', 0) === 1,
    perOutputElementwise: floatAttr(node, 'alpha', 1) !== 1 ? 1 : 0,
    notes: batchTransposed ? ['transBatch attributes: MACs assume the batch axes multiply out the same'] : undefined,
  });
};

/** com.microsoft GemmFastGelu: X·W (+ bias) then the tanh-form Gelu per output. */
export const gemmFastGeluRule = (node: Node, ctx: CostContext): OpCost => matMulLikeCost(node, ctx, {
  a: 0, b: 1, perOutputElementwise: GELU_TANH.e + (inputAt(node, 2) ? 1 : 0), perOutputTranscendental: GELU_TANH.t,
});

/** com.microsoft MatMulBnb4: A · 4-bit (FP4/NF4) B of N × K, dequantized per block. */
export const matMulBnb4Rule = (node: Node, ctx: CostContext): OpCost => {
  const k = intAttr(node, 'K', 0);
  const n = intAttr(node, 'N', 0);
  const blockSize = intAttr(node, 'block_size', 64);
  const params = n * k + Math.ceil((n * k) / blockSize);
  const aElements = valueElements(ctx, inputAt(node, 0));
  if (k <= 0 || n <= 0 || aElements === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape or K/N attributes')], precision: 'int4' }, { params });
  }
  const rows = aElements / k;
  return assembleCost(node, ctx, {
    macs: matMulMacs({ m: rows, n, k }), gemm: { m: rows, n, k, batch: 1 }, elementwise: n * k, precision: 'int4', notes: [`4-bit weights, block size ${blockSize}`],
  }, { params });
};

/**
 * com.microsoft MatMulNBits: A (…, K) · dequantized B (N × K, `bits`-bit blocks). MACs at the
 * weights' precision (int4 for bits = 4); dequantizing the weights costs one multiply per weight
 * (two with zero points). Parameters count logical weights, not packed bytes.
 */
export const matMulNBitsRule = (node: Node, ctx: CostContext): OpCost => {
  const k = intAttr(node, 'K', 0);
  const n = intAttr(node, 'N', 0);
  const bits = intAttr(node, 'bits', 4);
  const blockSize = intAttr(node, 'block_size', 32);
  const precision: Precision = bits <= 4 ? 'int4' : bits <= 8 ? 'int8' : 'fp16';
  const hasZeroPoints = inputAt(node, 3) !== undefined;
  const blocks = k > 0 ? Math.ceil(k / blockSize) : 0;
  const params = n * k + n * blocks * (hasZeroPoints ? 2 : 1) + (inputAt(node, 5) ? n : 0);
  const aElements = valueElements(ctx, inputAt(node, 0));
  if (k <= 0 || n <= 0 || aElements === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape or K/N attributes')], precision }, { params });
  }
  const rows = aElements / k;
  return assembleCost(node, ctx, {
    macs: matMulMacs({ m: rows, n, k }),
    gemm: { m: rows, n, k, batch: 1 },
    elementwise: n * k * (hasZeroPoints ? 2 : 1) + (inputAt(node, 5) ? rows * n : 0),
    precision,
    notes: [`${bits}-bit weights, block size ${blockSize}`],
  }, { params });
};
