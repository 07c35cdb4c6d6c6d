/**
 * Dependency groups for structured pruning: channels that must be removed together.
 *
 * One walk over the graph in topological order gives every value that carries the output channels of
 * a Conv / Gemm / MatMul (a "channel space") the space it belongs to. Activations, Clip, pooling,
 * BatchNormalization, depthwise Conv and Flatten keep a value in its space; an elementwise op whose
 * inputs carry two spaces (a residual Add, a squeeze-excitation Mul) merges them into one group, so
 * every producer feeding it loses the same channels. Consumers that shrink (Conv input channels,
 * Gemm/MatMul rows) and per-channel constants are recorded as edits of the group. A group is blocked,
 * with the reason, when its channels reach a graph output or an op that cannot follow them (Reshape,
 * Concat, a grouped Conv, a custom op).
 */
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrInt, intAttr } from '../workingModel';
import { asLinearLayer, type LayerDecision, type LinearLayer } from './linearLayers';
import { type Composite, type CompositeEdit, concatComposite, followComposite } from './concatGroups';
import { sliceBroadcast, sliceInitializer } from './sliceWeights';

/** How a value lays its channels out. */
export interface Layout {
  /** Channels at axis 1 (NCHW) or the last axis. */
  readonly channelAxis: 1 | -1;
  /** Features per channel after Flatten of a spatial tensor (H·W), 1 otherwise. */
  readonly spread: number;
}

export type Edit = (keep: readonly number[]) => void;

export interface ChannelGroup {
  /** Identifies the group in `compositeEdits` parts. */
  readonly id: number;
  readonly channels: number;
  /** Layers whose output channels are this group's (more than one when residual branches join). */
  readonly producers: readonly LinearLayer[];
  /** Slices of every weight, BatchNorm vector, constant and consumer that carries the channels. */
  readonly edits: readonly Edit[];
  /** Why the group cannot shrink, when it cannot. */
  readonly blocked?: string;
}

interface Space {
  channels: number;
  producers: LinearLayer[];
  edits: Edit[];
  blocked?: string;
}

const PASS_THROUGH = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign',
  'Mish', 'Gelu', 'Erf', 'Identity', 'Dropout', 'Clip', 'Abs', 'Neg', 'Exp', 'Sqrt', 'Reciprocal',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool',
]);
const ELEMENTWISE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min']);

/** The output-channel axis of a layer's weight: Conv [O, I, ...] and Gemm transB=1 [N, K] -> 0, else 1. */
export function outputAxis(layer: LinearLayer): number {
  return layer.kind === 'conv' || (layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1) ? 0 : 1;
}

export function findChannelGroups(
  wm: WorkingModel,
  options: { readonly exclude: ReadonlySet<string>; readonly handled?: ReadonlySet<string> },
): { groups: ChannelGroup[]; skipped: LayerDecision[]; compositeEdits: CompositeEdit[] } {
  const spaces: Space[] = [];
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const get = (s: number): Space => spaces[find(s)]!;
  const block = (s: number, reason: string): void => { get(s).blocked ??= reason; };
  const union = (a: number, b: number): number => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return ra;
    const [sa, sb] = [spaces[ra]!, spaces[rb]!];
    parent[rb] = ra;
    sa.producers.push(...sb.producers);
    sa.edits.push(...sb.edits);
    sa.blocked ??= sb.blocked;
    if (sa.channels !== sb.channels) sa.blocked ??= `branches of ${sa.channels} and ${sb.channels} channels are combined by broadcasting`;
    return ra;
  };
  const at = new Map<string, { space: number; layout: Layout }>();
  const producers = new Map<string, WorkNode>();
  for (const n of wm.nodes) for (const o of n.outputs) producers.set(o, n);
  const isConstant = (name: string): boolean => wm.isInitializer(name) || producers.get(name)?.opType === 'Constant';
  const skipped: LayerDecision[] = [];
  const compositeAt = new Map<string, Composite>();
  const compositeEdits: CompositeEdit[] = [];
  const blockParts = (c: Composite, reason: string): void => { for (const p of c.parts) if (p.space !== undefined) block(p.space, reason); };

  for (const node of wm.nodes) {
    const spaced = node.inputs.map((i) => (i ? at.get(i) : undefined));
    const composites = node.inputs.map((i) => (i ? compositeAt.get(i) : undefined)).filter((c) => c !== undefined);
    const blockAll = (problem: string): void => {
      for (const s of spaced) if (s) block(s.space, problem);
      for (const c of composites) blockParts(c, problem);
    };
    if (composites.length > 0) {
      const problem = composites.length > 1 || spaced.some((s) => s !== undefined) || !compositeAt.has(node.inputs[0] ?? '')
        ? `${node.opType} ${node.name} combines a Concat with other channels`
        : followComposite(wm, node, composites[0]!, compositeAt, compositeEdits);
      if (problem !== undefined) blockAll(problem);
    } else if (node.opType === 'Concat' && spaced.some((s) => s !== undefined)) {
      const c = concatComposite(wm, node, spaced, (s) => get(s).channels);
      if (typeof c === 'string') blockAll(c);
      else compositeAt.set(node.outputs[0]!, c);
    } else if (spaced.some((s) => s !== undefined)) {
      const problem = follow(wm, node, spaced, { at, get, union, isConstant, handled: options.handled });
      if (problem !== undefined) blockAll(problem);
    }
    const layer = asLinearLayer(wm, node);
    if (layer === undefined || options.handled?.has(node.name)) continue;
    const skip = (reason: string): void => { skipped.push({ node: node.name, opType: node.opType, action: 'skipped', reason }); };
    if (typeof layer === 'string') { skip(layer); continue; }
    if (layer.kind === 'conv' && attrInt(node, 'group', 1) !== 1) {
      if (!at.has(node.outputs[0]!)) skip('grouped Conv: its channels are pruned with the layer that produces its input');
      continue;
    }
    if (options.exclude.has(node.name) || options.exclude.has(node.opType)) { skip('excluded by the user'); continue; }
    const axis = outputAxis(layer);
    const space: Space = {
      channels: layer.weightDims[axis]!,
      producers: [layer],
      edits: [sliceInitializer(wm, node, 1, axis), ...(layer.bias ? [sliceInitializer(wm, node, 2, 0)] : [])],
    };
    spaces.push(space);
    parent.push(parent.length);
    at.set(node.outputs[0]!, { space: spaces.length - 1, layout: { channelAxis: layer.kind === 'conv' ? 1 : -1, spread: 1 } });
  }

  const outerReads = wm.outerScopeReads();
  for (const [value, s] of at) {
    if (wm.outputs.includes(value)) block(s.space, `its channels reach the graph output ${value}`);
    else if (outerReads.has(value)) block(s.space, `a subgraph (If/Loop/Scan body) reads ${value}`);
  }
  for (const [value, c] of compositeAt) {
    if (wm.outputs.includes(value) || outerReads.has(value)) blockParts(c, `a Concat of its channels reaches ${value}, which must keep its shape`);
  }
  const roots = new Set(spaces.map((_, i) => find(i)));
  const groups = [...roots].map((r): ChannelGroup => {
    const s = spaces[r]!;
    return { id: r, channels: s.channels, producers: s.producers, edits: s.edits, ...(s.blocked ? { blocked: s.blocked } : {}) };
  });
  // Parts name the space they had when the Concat was seen; later merges moved it to a root.
  const resolved = compositeEdits.map((e) => ({ ...e, parts: e.parts.map((p) => (p.space === undefined ? p : { ...p, space: find(p.space) })) }));
  return { groups, skipped, compositeEdits: resolved };
}

interface WalkState {
  readonly at: Map<string, { space: number; layout: Layout }>;
  readonly get: (s: number) => Space;
  readonly union: (a: number, b: number) => number;
  readonly isConstant: (name: string) => boolean;
  readonly handled?: ReadonlySet<string>;
}

type Spaced = { space: number; layout: Layout } | undefined;

/** Follows channel spaces through one node; returns why its spaced inputs cannot shrink, if so. */
function follow(wm: WorkingModel, node: WorkNode, spaced: readonly Spaced[], st: WalkState): string | undefined {
  const first = spaced[0];
  const out = node.outputs[0]!;
  const onlyFirst = spaced.every((s, i) => i === 0 || s === undefined);
  if (node.domain !== '') return `${node.opType} (${node.domain}) reads its channels`;
  if (PASS_THROUGH.has(node.opType) && first && onlyFirst) {
    const space = st.get(first.space);
    if (node.opType === 'PRelu' && node.inputs[1]) {
      const info = wm.initializerInfo(node.inputs[1]);
      if (!info) return 'PRelu slope is not a constant';
      if (info.dims.reduce((a, b) => a * b, 1) > 1) space.edits.push(sliceBroadcast(wm, node, 1, first.layout, space.channels));
    }
    if (node.opType === 'Clip' && node.inputs.slice(1).some((i) => i && !st.isConstant(i))) return `Clip ${node.name} has bounds computed at run time`;
    st.at.set(out, first);
    return undefined;
  }
  if (node.opType === 'BatchNormalization' && first && onlyFirst) {
    const space = st.get(first.space);
    for (let i = 1; i <= 4; i++) {
      if (!wm.isInitializer(node.inputs[i] ?? '')) return `BatchNormalization ${node.name} has computed parameters`;
      space.edits.push(sliceInitializer(wm, node, i, 0));
    }
    st.at.set(out, first);
    return undefined;
  }
  if (ELEMENTWISE.has(node.opType)) return followElementwise(wm, node, spaced, st);
  if (node.opType === 'Conv' && first && onlyFirst) {
    const space = st.get(first.space);
    const w = wm.initializerInfo(node.inputs[1] ?? '');
    if (!w) return `Conv ${node.name} has a computed weight`;
    const group = attrInt(node, 'group', 1);
    if (group === 1) {
      space.edits.push(sliceInitializer(wm, node, 1, 1));
      return undefined;
    }
    if (group === space.channels && w.dims[0] === space.channels && w.dims[1] === 1) {
      // Depthwise: each kept channel keeps its own filter and the group count shrinks with it.
      space.edits.push(sliceInitializer(wm, node, 1, 0));
      if (node.inputs[2]) space.edits.push(sliceInitializer(wm, node, 2, 0));
      space.edits.push((keep) => node.attributes.set('group', intAttr(keep.length)));
      st.at.set(out, first);
      return undefined;
    }
    return `grouped Conv ${node.name} (group=${group}) reads its channels`;
  }
  if ((node.opType === 'MatMul' || node.opType === 'Gemm') && first && onlyFirst) {
    const layer = asLinearLayer(wm, node);
    if (!layer || typeof layer === 'string') return `${node.opType} ${node.name} cannot shrink: ${layer ?? 'unsupported'}`;
    if (st.handled?.has(node.name)) return `${node.opType} ${node.name} is pruned by attention heads`;
    if (first.layout.channelAxis !== -1) return `${node.opType} ${node.name} reads channels that are not on the last axis`;
    const transB = node.opType === 'Gemm' && attrInt(node, 'transB', 0) === 1;
    st.get(first.space).edits.push(sliceInitializer(wm, node, 1, transB ? 1 : 0, first.layout.spread));
    return undefined;
  }
  if (node.opType === 'Flatten' && first && onlyFirst && attrInt(node, 'axis', 1) === 1 && first.layout.channelAxis === 1) {
    const spread = spatialSize(wm, node.inputs[0]!);
    if (spread === undefined) return `Flatten ${node.name}: spatial size of ${node.inputs[0]} is unknown`;
    st.at.set(out, { space: first.space, layout: { channelAxis: -1, spread } });
    return undefined;
  }
  return `${node.opType} ${node.name} reads its channels (followed: activations, Clip, pooling, BatchNormalization, depthwise Conv, elementwise ops, Flatten)`;
}

/** Elementwise ops merge the spaces of their inputs; constants are sliced, fixed-width inputs block. */
function followElementwise(wm: WorkingModel, node: WorkNode, spaced: readonly Spaced[], st: WalkState): string | undefined {
  const carried = spaced.filter((s): s is NonNullable<Spaced> => s !== undefined);
  const layout = carried[0]!.layout;
  if (carried.some((s) => s.layout.channelAxis !== layout.channelAxis || s.layout.spread !== layout.spread)) {
    return `${node.opType} ${node.name} combines channels laid out differently`;
  }
  const ranks = node.inputs.map((v, i) => (spaced[i] ? wm.types.get(v)?.shape?.length : undefined)).filter((r) => r !== undefined);
  if (new Set(ranks).size > 1) {
    return `${node.opType} ${node.name} broadcasts inputs of different rank`;
  }
  let root = carried[0]!.space;
  for (const s of carried.slice(1)) root = st.union(root, s.space);
  const space = st.get(root);
  for (let i = 0; i < node.inputs.length; i++) {
    const input = node.inputs[i]!;
    if (spaced[i] || !input) continue;
    if (wm.isInitializer(input)) {
      const size = wm.initializerInfo(input)!.dims.reduce((a, b) => a * b, 1);
      if (size > 1) space.edits.push(sliceBroadcast(wm, node, i, layout, space.channels));
    } else if (!st.isConstant(input) || !isScalar(wm, input)) {
      return `${node.opType} ${node.name} combines its channels with ${input}, whose channels are fixed`;
    }
  }
  st.at.set(node.outputs[0]!, { space: root, layout });
  return undefined;
}

/** A value known to hold one element (a Constant node's output with a declared or inferred shape). */
function isScalar(wm: WorkingModel, value: string): boolean {
  const shape = wm.types.get(value)?.shape;
  return shape !== undefined && shape.every((d) => d === 1);
}

/** Features per channel of a 4-D value once flattened: 1 after global pooling, else from its shape. */
function spatialSize(wm: WorkingModel, value: string): number | undefined {
  const producer = wm.producer(value);
  if (producer && (producer.opType === 'GlobalAveragePool' || producer.opType === 'GlobalMaxPool')) return 1;
  const shape = wm.types.get(value)?.shape;
  if (!shape || shape.length < 3) return undefined;
  let s = 1;
  for (const d of shape.slice(2)) {
    if (typeof d !== 'number') return undefined;
    s *= d;
  }
  return s;
}
