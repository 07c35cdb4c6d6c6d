/**
 * Less common operators: sampling (GridSample, Col2Im), detection (NonMaxSuppression), signal (DFT),
 * linear algebra (Det, com.microsoft Inverse and CDist) and sequence/optional plumbing.
 */
import type { Node } from '../../graph/ir';
import { assembleCost, type InputOverride, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, intAttr, outputAt, stringAttr } from '../context';
import { product } from '../formulas';
import type { OpCost } from '../types';

/** GridSample: per output element a coordinate transform (4 ops) and t^d-tap interpolation. */
export const gridSampleRule = (node: Node, ctx: CostContext): OpCost => {
  const out = ctx.numericShape(outputAt(node, 0) ?? '');
  if (!out) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')] });
  const mode = stringAttr(node, 'mode', 'linear');
  const taps = mode === 'nearest' ? 1 : mode === 'cubic' || mode === 'bicubic' ? 4 : 2;
  const points = taps ** (out.length - 2);
  return assembleCost(node, ctx, { elementwise: product(out) * (4 + (taps === 1 ? 0 : 2 * points - 1)) });
};

/** Col2Im: every column element is accumulated into the image once. */
export const col2ImRule = (node: Node, ctx: CostContext): OpCost => {
  const input = valueElements(ctx, inputAt(node, 0));
  if (input === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { controlInputs: [1, 2] });
  return assembleCost(node, ctx, { elementwise: input }, { controlInputs: [1, 2] });
};

/**
 * NonMaxSuppression is data dependent: counted at its worst case, a sort of each class's boxes and
 * an IoU test (≈ 12 ops) between every pair.
 */
export const nonMaxSuppressionRule = (node: Node, ctx: CostContext): OpCost => {
  const scores = ctx.numericShape(inputAt(node, 1) ?? '');
  const controlInputs = [2, 3, 4];
  if (!scores || scores.length !== 3) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'scores shape')] }, { controlInputs });
  const [batch, classes, boxes] = scores as [number, number, number];
  const lists = batch * classes;
  const sort = lists * boxes * Math.max(1, Math.ceil(Math.log2(Math.max(2, boxes))));
  const pairs = lists * (boxes * (boxes - 1)) / 2;
  return assembleCost(node, ctx, { elementwise: sort + 12 * pairs, notes: ['data dependent: worst case (every pair of boxes tested)'] }, { controlInputs });
};

/** DFT: 5·n·log2(n) FLOPs per transform of length n (radix-2 count), n along `axis`. */
export const dftRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(inputAt(node, 0) ?? '');
  if (!shape || shape.length < 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { controlInputs: [1, 2] });
  const axisFromInput = ctx.knownValues(inputAt(node, 2) ?? '')?.[0];
  let axis = axisFromInput ?? intAttr(node, 'axis', 1);
  if (axis < 0) axis += shape.length;
  const n = shape[axis] ?? 1;
  // The last dim holds the real (1) or real+imaginary (2) parts.
  const transforms = product(shape.slice(0, -1)) / n;
  return assembleCost(node, ctx, { elementwise: transforms * 5 * n * Math.max(1, Math.log2(Math.max(2, n))) }, { controlInputs: [1, 2] });
};

/** Det: an LU factorisation per matrix, n³/3 MACs. */
export const detRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(inputAt(node, 0) ?? '');
  if (!shape || shape.length < 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const n = shape[shape.length - 1]!;
  const matrices = product(shape.slice(0, -2));
  return assembleCost(node, ctx, { macs: Math.round(matrices * (n ** 3) / 3), elementwise: matrices * n });
};

/** com.microsoft Inverse: Gauss–Jordan, n³ MACs per matrix. */
export const inverseRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(inputAt(node, 0) ?? '');
  if (!shape || shape.length < 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] });
  const n = shape[shape.length - 1]!;
  return assembleCost(node, ctx, { macs: product(shape.slice(0, -2)) * n ** 3, transcendental: product(shape.slice(0, -2)) * n });
};

/** com.microsoft CDist: (m × d)·(n × d) squared differences, a root per output for euclidean. */
export const cdistRule = (node: Node, ctx: CostContext): OpCost => {
  const a = ctx.numericShape(inputAt(node, 0) ?? '');
  const b = ctx.numericShape(inputAt(node, 1) ?? '');
  if (!a || !b || a.length !== 2 || b.length !== 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shapes')] });
  const [m, d] = a as [number, number];
  const n = b[0]!;
  const euclidean = stringAttr(node, 'metric', 'sqeuclidean') === 'euclidean';
  return assembleCost(node, ctx, {
    macs: m * n * d,
    elementwise: m * n * d,
    transcendental: euclidean ? m * n : 0,
    gemm: { m, n, k: d, batch: 1 },
  });
};

/**
 * com.microsoft MoE: each token runs its top-k experts' MLP (fc1, optional gate fc3, fc2). MACs =
 * tokens × k × (hidden·inter·(1 or 2) + inter·hidden). Expert weights are read only for experts that
 * some token picks: expected E·(1 − (1 − k/E)^tokens) of E under uniform routing (noted).
 */
export const moeRule = (node: Node, ctx: CostContext): OpCost => {
  const x = ctx.numericShape(inputAt(node, 0) ?? '');
  const fc1 = ctx.numericShape(inputAt(node, 2) ?? '') ?? ctx.constant(inputAt(node, 2) ?? '')?.dims;
  if (!x || !fc1 || fc1.length !== 3) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or expert weight shape')] });
  const [experts, hidden, inter] = fc1 as [number, number, number];
  const tokens = product(x) / hidden;
  const k = Math.min(experts, intAttr(node, 'k', 1));
  const gated = inputAt(node, 6) !== undefined;
  const perToken = hidden * inter * (gated ? 2 : 1) + inter * hidden;
  const touched = experts * (1 - (1 - k / experts) ** tokens);
  const share = touched / experts;
  // Expert weights and biases (inputs 2..7) are read in proportion to the experts touched.
  const overrides = new Map<number, InputOverride>();
  for (let i = 2; i <= 7; i++) {
    const name = inputAt(node, i);
    const c = name ? ctx.constant(name) : undefined;
    if (!c) continue;
    overrides.set(i, { kind: 'weights', bytes: c.byteLength * share, params: c.dims.reduce((a, b) => a * b, 1) });
  }
  return assembleCost(node, ctx, {
    macs: tokens * k * perToken,
    // Routing (softmax/top-k over experts), activation and the weighted sum of k expert outputs.
    elementwise: tokens * (experts + k * inter * (gated ? 2 : 1) + k * hidden),
    transcendental: tokens * k * inter,
    // One GEMM per touched expert and matrix (fc1, fc3, fc2: same size), its rows the tokens routed there.
    gemm: { m: (tokens * k) / Math.max(1, touched), n: inter, k: hidden, batch: Math.max(1, touched) * (gated ? 3 : 2) },
    notes: [`top-${k} of ${experts} experts; ≈${touched.toFixed(1)} experts' weights read for ${tokens} tokens (uniform routing)`],
  }, { overrides });
};
