/** Reductions and scans: Reduce*, ArgMax/ArgMin, CumSum, TopK. */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, outputAt } from '../context';
import { reduceFlops } from '../formulas';
import type { OpCost } from '../types';

export const reduceRule = (node: Node, ctx: CostContext): OpCost => {
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  // Newer opsets (and CumSum) pass axes as input 1: a small control tensor.
  const controlInputs = [1];
  if (input === undefined || out === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] }, { controlInputs });
  }
  return assembleCost(node, ctx, reduceFlops(node.opType, input, out), { controlInputs });
};

/** TopK: a heap of k per row: about n·log2(k) compares per row of n elements. */
export const topKRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  const k = ctx.knownValues(inputAt(node, 1) ?? '')?.[0];
  if (!shape || k === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape or K')] }, { controlInputs: [1] });
  let elements = 1;
  for (const d of shape) elements *= d;
  return assembleCost(node, ctx, { elementwise: elements * Math.max(1, Math.ceil(Math.log2(Math.max(2, k)))) }, { controlInputs: [1] });
};
