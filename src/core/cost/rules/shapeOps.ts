/**
 * Shape and data-movement operators: no arithmetic, but real bytes where they copy data. Ops that
 * only rewrite a tensor's metadata (Reshape, Squeeze...) move nothing and say so.
 */
import type { Node } from '../../graph/ir';
import { assembleCost, type InputOverride, valueBytes } from '../assemble';
import { type CostContext, inputAt, outputAt } from '../context';
import { lookupRead } from '../formulas';
import type { OpCost } from '../types';

const METADATA_NOTE = 'metadata-only: no data moves (0 bytes)';

/** Reshape, Squeeze, Unsqueeze, Flatten, Identity, inference Dropout: a view of the same buffer. */
export const metadataRule = (node: Node, ctx: CostContext): OpCost =>
  assembleCost(node, ctx, { notes: [METADATA_NOTE] }, { metadataOnly: true });

/** Shape and Size read a tensor's metadata only. */
export const shapeQueryRule = (node: Node, ctx: CostContext): OpCost =>
  assembleCost(node, ctx, { notes: ['reads metadata only (0 bytes)'] }, { metadataOnly: true });

/** A Constant node's data is counted as weights by the ops that read it. */
export const constantRule = (node: Node, ctx: CostContext): OpCost =>
  assembleCost(node, ctx, { notes: ['constant data: counted as weights where consumed'] }, { metadataOnly: true });

/** Copies: every input byte read once, every output byte written once (Transpose, Concat, Split...). */
export function copyRule(controlInputs: readonly number[] = []) {
  return (node: Node, ctx: CostContext): OpCost => assembleCost(node, ctx, { notes: ['data copy, no arithmetic'] }, { controlInputs });
}

/**
 * Selections (Slice, Gather, GatherElements, GatherND, Compress): only the selected elements of the
 * data input are read, i.e. as many bytes as the output holds (an embedding Gather reads its rows,
 * not the table). The whole constant table still counts as parameters.
 */
export function selectionRule(controlInputs: readonly number[] = []) {
  return (node: Node, ctx: CostContext): OpCost => {
    const data = inputAt(node, 0);
    const out = outputAt(node, 0);
    const outBytes = out ? valueBytes(ctx, out) : undefined;
    const overrides = new Map<number, InputOverride>();
    if (data && outBytes !== undefined) {
      const constant = ctx.constant(data);
      const full = valueBytes(ctx, data);
      const bytes = full === undefined ? outBytes : lookupRead(outBytes, full);
      let params = 0;
      if (constant && constant.dataType !== 'int64') {
        params = 1;
        for (const d of constant.dims) params *= d;
      }
      overrides.set(0, { kind: constant ? 'weights' : 'inputs', bytes, params });
    }
    return assembleCost(node, ctx, { notes: ['reads only the selected elements'] }, { controlInputs, overrides });
  };
}

/** Generators (ConstantOfShape, Range, EyeLike, random ops): write their output, read only controls. */
export function generatorRule(controlInputs: readonly number[]) {
  return (node: Node, ctx: CostContext): OpCost => assembleCost(node, ctx, { notes: ['writes its output, no arithmetic'] }, { controlInputs });
}
