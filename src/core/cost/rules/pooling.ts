/** Pooling and resampling: MaxPool, AveragePool, LpPool, global pools, Resize/Upsample, RoiAlign. */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, intAttr, intsAttr, outputAt, stringAttr } from '../context';
import { globalPoolFlops, poolFlops, type PoolKind, product, resizeFlops, resizeTaps } from '../formulas';
import type { OpCost } from '../types';

/** Windowed pools (cost/pointwiseFormulas.ts poolFlops). */
export const poolRule = (node: Node, ctx: CostContext): OpCost => {
  const out = valueElements(ctx, outputAt(node, 0));
  const kernel = intsAttr(node, 'kernel_shape');
  if (out === undefined || !kernel) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape or kernel_shape')] });
  return assembleCost(node, ctx, poolFlops(poolKind(node.opType), out, product(kernel)));
};

function poolKind(opType: string): PoolKind {
  return opType.includes('Average') ? 'average' : opType.includes('Lp') ? 'lp' : 'max';
}

/** Global pools: one op per input element (average: one scale per output). */
export const globalPoolRule = (node: Node, ctx: CostContext): OpCost => {
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  if (input === undefined || out === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] });
  return assembleCost(node, ctx, globalPoolFlops(poolKind(node.opType), input, out));
};

/**
 * Resize/Upsample: nearest copies (0 FLOPs); linear and cubic interpolate with t taps per resized
 * axis (t = 2 or 4): t^r multiplies and t^r − 1 adds per output element, r = axes whose size changed.
 */
export const resizeRule = (node: Node, ctx: CostContext): OpCost => {
  const inShape = ctx.numericShape(node.inputs[0] ?? '');
  const outName = outputAt(node, 0);
  const outShape = outName ? ctx.numericShape(outName) : undefined;
  const controlInputs = node.opType === 'Upsample' ? [1] : [1, 2, 3];
  if (!inShape || !outShape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] }, { controlInputs });
  const mode = stringAttr(node, 'mode', 'nearest');
  const resized = outShape.filter((d, i) => d !== inShape[i]).length;
  return assembleCost(node, ctx, { ...resizeFlops(product(outShape), resizeTaps(mode), resized), notes: [`${mode} interpolation over ${resized} axes`] }, { controlInputs });
};

/** RoiAlign: per output element, sampling_ratio² bilinear samples (≈ 8 ops each) averaged. */
export const roiAlignRule = (node: Node, ctx: CostContext): OpCost => {
  const out = valueElements(ctx, outputAt(node, 0));
  if (out === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')] });
  const ratio = intAttr(node, 'sampling_ratio', 0);
  const samples = (ratio > 0 ? ratio : 2) ** 2;
  return assembleCost(node, ctx, {
    elementwise: out * samples * 8,
    notes: ratio > 0 ? [] : ['adaptive sampling_ratio: 2×2 samples per bin assumed'],
  });
};
