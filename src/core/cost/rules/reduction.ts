/** Reductions and scans: Reduce*, ArgMax/ArgMin, CumSum, TopK. */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, outputAt } from '../context';
import type { OpCost } from '../types';

/** Per input element and per output element work of each reduction. */
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

export const reduceRule = (node: Node, ctx: CostContext): OpCost => {
  const work = REDUCE_WORK[node.opType] ?? REDUCE_WORK.ReduceSum!;
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  // Newer opsets (and CumSum) pass axes as input 1: a small control tensor.
  const controlInputs = [1];
  if (input === undefined || out === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] }, { controlInputs });
  }
  return assembleCost(node, ctx, {
    elementwise: input * work.inE + out * work.outE,
    transcendental: input * work.inT + out * work.outT,
  }, { controlInputs });
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
