/**
 * Elementwise operators: per output element, a fixed count of elementwise and transcendental FLOPs
 * (division, exp, log, tanh, erf, sqrt... count as transcendental, as in cost/types.ts).
 */
import type { Node } from '../../graph/ir';
import { assembleCost, type ByteOptions, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, outputAt, stringAttr } from '../context';
import { ELEMENTWISE_WORK, GELU_TANH, type PerElementWork } from '../formulas';
import type { OpCost } from '../types';

/** FLOPs per output element (the shared table lives in cost/pointwiseFormulas.ts). */
export type PerElement = PerElementWork;
export { ELEMENTWISE_WORK, GELU_TANH };

/** Elements the op produces (output 0), falling back to input 0 for same-shape ops. */
export function producedElements(node: Node, ctx: CostContext): number | undefined {
  return valueElements(ctx, outputAt(node, 0)) ?? valueElements(ctx, inputAt(node, 0));
}

export function perElementCost(node: Node, ctx: CostContext, work: PerElement, notes?: readonly string[], byteOptions?: ByteOptions): OpCost {
  const elements = producedElements(node, ctx);
  if (elements === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')], notes }, byteOptions);
  return assembleCost(node, ctx, { elementwise: elements * work.e, transcendental: elements * work.t, notes }, byteOptions);
}

/** Clip's min and max are scalar bounds (PyTorch's ReLU6 exports them), not parameters. */
const CLIP_BOUNDS: ByteOptions = { controlInputs: [1, 2] };

export const tableRule = (node: Node, ctx: CostContext): OpCost => {
  let work = ELEMENTWISE_WORK[node.opType] ?? { e: 1, t: 0 };
  if (node.opType === 'Gelu' && stringAttr(node, 'approximate', 'none') === 'tanh') work = GELU_TANH;
  return perElementCost(node, ctx, work, undefined, node.opType === 'Clip' ? CLIP_BOUNDS : undefined);
};

/** Sum/Max/Min/Mean over n inputs: n − 1 ops per output element (Mean: one more to scale). */
export const variadicRule = (node: Node, ctx: CostContext): OpCost => {
  const n = node.inputs.filter((i) => i).length;
  return perElementCost(node, ctx, { e: Math.max(0, n - 1) + (node.opType === 'Mean' ? 1 : 0), t: 0 });
};

// ---- com.microsoft fused activations ----

export const msGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 4, t: 1 });
/** FastGelu: tanh approximation, plus the optional bias add. */
export const fastGeluRule = (node: Node, ctx: CostContext): OpCost =>
  perElementCost(node, ctx, { e: GELU_TANH.e + (inputAt(node, 1) ? 1 : 0), t: GELU_TANH.t });
/** BiasGelu: bias add then erf Gelu. */
export const biasGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 5, t: 1 });
/** QuickGelu: x·sigmoid(αx). */
export const quickGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 3, t: 2 });
/** BiasAdd: x + bias + skip. */
export const biasAddRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 2, t: 0 });
