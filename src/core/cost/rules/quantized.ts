/**
 * Quantized operators at their integer precision: QuantizeLinear/DequantizeLinear, QDQ pairs feeding
 * a Conv/MatMul/Gemm, DynamicQuantizeLinear, QLinearConv/QLinearMatMul, ConvInteger/MatMulInteger
 * and com.microsoft's quantized kernels.
 */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown, valueElements } from '../assemble';
import { precisionOf } from '../precision';
import { type CostContext, inputAt, intAttr, outputAt } from '../context';
import { DEQUANTIZE_WORK, QUANTIZE_WORK } from '../formulas';
import type { OpCost, Precision } from '../types';
import { convLikeCost } from './conv';
import { perElementCost } from './elementwise';
import { matMulLikeCost } from './matmul';
import { isFusedDequantize } from './qdq';

/** A fused DequantizeLinear moves no data of its own: its consumer reads the integer tensor. */
export const dequantizeRule = (node: Node, ctx: CostContext): OpCost => {
  if (isFusedDequantize(node, ctx)) {
    const base = assembleCost(node, ctx, { notes: ['fused into its consumer (QDQ pair): counted there at integer size'] }, { metadataOnly: true });
    return { ...base, precision: precisionOf(ctx.dataType(node.inputs[0]!)) ?? 'int8' };
  }
  return perElementCost(node, ctx, DEQUANTIZE_WORK);
};

export const quantizeRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, QUANTIZE_WORK);

/** Min/max over the input, then quantize each element. */
export const dynamicQuantizeRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 5, t: 1 });

function integerPrecision(ctx: CostContext, name: string | undefined): Precision {
  const p = name ? precisionOf(ctx.dataType(name)) : undefined;
  return p && p !== 'fp32' && p !== 'fp16' && p !== 'bf16' && p !== 'fp64' ? p : 'int8';
}

/** Rescaling an int32 accumulator to the output's integer type: multiply, round, add, clip. */
const REQUANTIZE = 4;

export const qLinearConvRule = (node: Node, ctx: CostContext): OpCost => convLikeCost(node, ctx, {
  x: 0, w: 3, bias: 8, precision: integerPrecision(ctx, inputAt(node, 0)), extraPerOutput: { elementwise: REQUANTIZE, transcendental: 0 },
});

export const convIntegerRule = (node: Node, ctx: CostContext): OpCost =>
  convLikeCost(node, ctx, { x: 0, w: 1, precision: integerPrecision(ctx, inputAt(node, 0)) });

export const qLinearMatMulRule = (node: Node, ctx: CostContext): OpCost =>
  matMulLikeCost(node, ctx, { a: 0, b: 3, precision: integerPrecision(ctx, inputAt(node, 0)), perOutputElementwise: REQUANTIZE });

export const matMulIntegerRule = (node: Node, ctx: CostContext): OpCost =>
  matMulLikeCost(node, ctx, { a: 0, b: 1, precision: integerPrecision(ctx, inputAt(node, 0)) });

/** com.microsoft MatMulIntegerToFloat: int8 product, scaled to float (+ bias). */
export const matMulIntegerToFloatRule = (node: Node, ctx: CostContext): OpCost =>
  matMulLikeCost(node, ctx, { a: 0, b: 1, precision: integerPrecision(ctx, inputAt(node, 0)), perOutputElementwise: 2 + (inputAt(node, 6) ? 1 : 0) });

/** com.microsoft DynamicQuantizeMatMul: quantizes A on the fly, int8 product, scales back. */
export const dynamicQuantizeMatMulRule = (node: Node, ctx: CostContext): OpCost => {
  const cost = matMulLikeCost(node, ctx, { a: 0, b: 1, precision: integerPrecision(ctx, inputAt(node, 1)), perOutputElementwise: 2 + (inputAt(node, 4) ? 1 : 0) });
  const aElements = valueElements(ctx, inputAt(node, 0)) ?? 0;
  return { ...cost, flops: { ...cost.flops, elementwise: cost.flops.elementwise + 5 * aElements, transcendental: cost.flops.transcendental + aElements } };
};

/** com.microsoft QGemm: A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp. */
export const qGemmRule = (node: Node, ctx: CostContext): OpCost => matMulLikeCost(node, ctx, {
  a: 0, b: 3, transA: intAttr(node, 'transA', 0) === 1, transB: intAttr(node, 'transB', 0) === 1,
  precision: integerPrecision(ctx, inputAt(node, 0)), perOutputElementwise: REQUANTIZE + (inputAt(node, 6) ? 1 : 0),
});

/** com.microsoft QLinear elementwise ops: dequantize inputs, apply, requantize. */
export const qLinearElementwiseRule = (node: Node, ctx: CostContext): OpCost => {
  const binary = node.opType === 'QLinearAdd' || node.opType === 'QLinearMul';
  const cost = perElementCost(node, ctx, { e: (binary ? 4 : 2) + 1 + 3, t: 1 + (node.opType === 'QLinearSigmoid' ? 2 : 0) });
  return { ...cost, precision: integerPrecision(ctx, inputAt(node, 0)) };
};

/** com.microsoft QLinearGlobalAveragePool: one add per input element, rescale per output. */
export const qLinearGlobalAveragePoolRule = (node: Node, ctx: CostContext): OpCost => {
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  const precision = integerPrecision(ctx, inputAt(node, 0));
  if (input === undefined || out === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')], precision });
  return assembleCost(node, ctx, { elementwise: input + REQUANTIZE * out, precision });
};

