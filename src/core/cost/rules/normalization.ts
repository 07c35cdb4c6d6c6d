/** Normalizations and softmax: BatchNorm, LayerNorm (and fused com.microsoft forms), RMSNorm, LRN, Softmax. */
import type { Node } from '../../graph/ir';
import { assembleCost, type InputOverride, shapeUnknown, tableReadOverride } from '../assemble';
import { type CostContext, inputAt, intAttr, intsAttr } from '../context';
import { batchNormFlops, layerNormFlops, logSoftmaxFlops, product, softmaxFlops } from '../formulas';
import type { OpCost } from '../types';

function normalizedAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Elements and number of normalized rows (product of dims before `axis`). */
function rowsOf(ctx: CostContext, name: string | undefined, axis: number): { elements: number; rows: number } | undefined {
  const shape = name ? ctx.numericShape(name) : undefined;
  if (!shape) return undefined;
  const a = normalizedAxis(axis, shape.length);
  return { elements: product(shape), rows: product(shape.slice(0, Math.max(0, a))) };
}

/**
 * Inference BatchNormalization: per element a folded scale and shift; per channel √(var+ε) and 1/σ.
 * All four constants are read, but only scale and bias are learned parameters (the running mean and
 * variance are buffers, as PyTorch counts them).
 */
export const batchNormRule = (node: Node, ctx: CostContext): OpCost => {
  const params = [1, 2].reduce((sum, i) => sum + (ctx.constant(inputAt(node, i) ?? '')?.dims.reduce((a, b) => a * b, 1) ?? 0), 0);
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  if (!shape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { params });
  return assembleCost(node, ctx, batchNormFlops(product(shape), shape[1] ?? 1), { params });
};

function layerNormLike(node: Node, ctx: CostContext, opts: { rms: boolean; extraPerElement: number; axis: number }): OpCost {
  const r = rowsOf(ctx, inputAt(node, 0), opts.axis);
  if (!r) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const f = layerNormFlops(r.elements, r.rows, opts.rms);
  return assembleCost(node, ctx, { elementwise: f.elementwise + opts.extraPerElement * r.elements, transcendental: f.transcendental });
}

export const layerNormRule = (node: Node, ctx: CostContext): OpCost =>
  layerNormLike(node, ctx, { rms: false, extraPerElement: 0, axis: intAttr(node, 'axis', -1) });

/** SimplifiedLayerNormalization / RMSNormalization: no mean, no β. */
export const rmsNormRule = (node: Node, ctx: CostContext): OpCost =>
  layerNormLike(node, ctx, { rms: true, extraPerElement: 0, axis: intAttr(node, 'axis', -1) });

/** SkipLayerNormalization: input + skip (+ bias), then LayerNorm over the last axis. */
export const skipLayerNormRule = (node: Node, ctx: CostContext): OpCost =>
  layerNormLike(node, ctx, { rms: false, extraPerElement: 1 + (inputAt(node, 4) ? 1 : 0), axis: -1 });

export const skipSimplifiedLayerNormRule = (node: Node, ctx: CostContext): OpCost =>
  layerNormLike(node, ctx, { rms: true, extraPerElement: 1 + (inputAt(node, 3) ? 1 : 0), axis: -1 });

/** InstanceNormalization: LayerNorm statistics per (n, c). */
export const instanceNormRule = (node: Node, ctx: CostContext): OpCost =>
  layerNormLike(node, ctx, { rms: false, extraPerElement: 0, axis: 2 });

/** GroupNormalization: statistics per (n, group). */
export const groupNormRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  const groups = intAttr(node, 'num_groups', intAttr(node, 'groups', 1));
  if (!shape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const f = layerNormFlops(product(shape), (shape[0] ?? 1) * groups);
  return assembleCost(node, ctx, { elementwise: f.elementwise, transcendental: f.transcendental });
};

/** LpNormalization: square-and-add per element, a division per element, a root per row. */
export const lpNormRule = (node: Node, ctx: CostContext): OpCost => {
  const r = rowsOf(ctx, inputAt(node, 0), intAttr(node, 'axis', -1));
  if (!r) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  return assembleCost(node, ctx, { elementwise: 2 * r.elements, transcendental: r.elements + r.rows });
};

/** MeanVarianceNormalization: LayerNorm without affine over `axes` (default [0, 2, 3]). */
export const mvnRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  if (!shape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const axes = (intsAttr(node, 'axes') ?? [0, 2, 3]).map((a) => normalizedAxis(a, shape.length));
  const elements = product(shape);
  const rows = product(shape.filter((_, i) => !axes.includes(i)));
  return assembleCost(node, ctx, { elementwise: 5 * elements, transcendental: 2 * rows });
};

/** LRN: `size` squares and adds per element, then scale, shift, power and division. */
export const lrnRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  if (!shape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const elements = product(shape);
  return assembleCost(node, ctx, { elementwise: (2 * intAttr(node, 'size', 1) + 2) * elements, transcendental: 2 * elements });
};

function softmaxLike(node: Node, ctx: CostContext, extraPerElement: number): OpCost {
  const defaultAxis = (ctx.model.opsetImports.get('') ?? 13) < 13 ? 1 : -1;
  const r = rowsOf(ctx, inputAt(node, 0), intAttr(node, 'axis', defaultAxis));
  if (!r) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  if (node.opType === 'Hardmax') return assembleCost(node, ctx, { elementwise: 2 * r.elements });
  if (node.opType === 'LogSoftmax') {
    return assembleCost(node, ctx, logSoftmaxFlops(r.elements, r.rows));
  }
  const f = softmaxFlops(r.elements);
  return assembleCost(node, ctx, { elementwise: f.elementwise + extraPerElement * r.elements, transcendental: f.transcendental });
}

export const softmaxRule = (node: Node, ctx: CostContext): OpCost => softmaxLike(node, ctx, 0);
/** com.microsoft BiasSoftmax: bias add then softmax. */
export const biasSoftmaxRule = (node: Node, ctx: CostContext): OpCost => softmaxLike(node, ctx, 1);

/**
 * com.microsoft EmbedLayerNormalization: word + position (+ segment) embedding lookups, their sum,
 * then LayerNorm. Tables are read only at the rows looked up.
 */
export const embedLayerNormRule = (node: Node, ctx: CostContext): OpCost => {
  const ids = ctx.numericShape(node.inputs[0] ?? '');
  const word = ctx.constant(inputAt(node, 2) ?? '')?.dims;
  if (!ids || !word || word.length !== 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input ids or embedding shape')] });
  const tokens = product(ids);
  const hidden = word[1]!;
  const elements = tokens * hidden;
  const overrides = new Map<number, InputOverride>();
  for (const i of [2, 3, 4]) {
    const table = inputAt(node, i);
    const o = table ? tableReadOverride(ctx, table, tokens) : undefined;
    if (o) overrides.set(i, o);
  }
  const tables = [2, 3, 4].filter((i) => inputAt(node, i)).length;
  const f = layerNormFlops(elements, tokens);
  return assembleCost(node, ctx, { elementwise: f.elementwise + (tables - 1) * elements, transcendental: f.transcendental }, { overrides });
};
