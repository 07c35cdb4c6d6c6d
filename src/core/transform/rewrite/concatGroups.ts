/**
 * Concat in dependency groups: a Concat along the channel axis makes a composite value whose channels
 * are its inputs' channels side by side. Each input keeps its own group (pruned or not, decided by its
 * own producers); readers of the composite — activations, pooling, BatchNorm, Conv, Gemm/MatMul —
 * slice with the combined kept indices, each part's kept channels shifted by its offset. An input
 * whose channels are fixed (a graph input, an unpruned layer) is a part that keeps all its channels.
 */
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrInt } from '../workingModel';
import type { Edit, Layout } from './channelGroups';
import { asLinearLayer } from './linearLayers';
import { sliceInitializer } from './sliceWeights';

export interface CompositePart {
  /** Channel space of the part; undefined for fixed channels. */
  readonly space?: number;
  readonly width: number;
}

export interface Composite {
  readonly parts: readonly CompositePart[];
  readonly channelAxis: 1 | -1;
}

export interface CompositeEdit {
  readonly parts: readonly CompositePart[];
  readonly edit: Edit;
}

const FOLLOWED = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'Softplus',
  'Mish', 'Gelu', 'Identity', 'Dropout', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);

/** The composite a Concat of channel spaces makes, or why it cannot be followed. */
export function concatComposite(wm: WorkingModel, node: WorkNode, spaced: readonly ({ space: number; layout: Layout } | undefined)[], channelsOf: (space: number) => number): Composite | string {
  const layouts = spaced.filter((s) => s !== undefined).map((s) => s.layout);
  const axis = layouts[0]!.channelAxis;
  if (layouts.some((l) => l.channelAxis !== axis || l.spread !== 1)) return `Concat ${node.name} joins channels laid out differently`;
  const rank = wm.types.get(node.outputs[0]!)?.shape?.length ?? wm.types.get(node.inputs[0]!)?.shape?.length;
  const along = attrInt(node, 'axis', 1);
  const onChannels = axis === 1 ? along === 1 || (rank !== undefined && along === 1 - rank) : along === -1 || (rank !== undefined && along === rank - 1);
  if (!onChannels) return `Concat ${node.name} joins along axis ${along}, not the channel axis`;
  const parts: CompositePart[] = [];
  for (let i = 0; i < node.inputs.length; i++) {
    const s = spaced[i];
    if (s) { parts.push({ space: s.space, width: channelsOf(s.space) }); continue; }
    const shape = wm.types.get(node.inputs[i]!)?.shape;
    const width = shape?.[axis === 1 ? 1 : shape.length - 1];
    if (typeof width !== 'number') return `Concat ${node.name}: the channel count of ${node.inputs[i]} is unknown`;
    parts.push({ width });
  }
  return { parts, channelAxis: axis };
}

/** Follows a composite through one reader; the slices wait for the parts' kept channels. */
export function followComposite(
  wm: WorkingModel, node: WorkNode, comp: Composite, compositeAt: Map<string, Composite>, edits: CompositeEdit[],
): string | undefined {
  const value = node.inputs[0]!;
  if (node.inputs.slice(1).some((i) => i === value) || node.domain !== '') return `${node.opType} ${node.name} reads a Concat in a way that is not followed`;
  const out = node.outputs[0]!;
  const defer = (edit: Edit): void => { edits.push({ parts: comp.parts, edit }); };
  if (FOLLOWED.has(node.opType)) { compositeAt.set(out, comp); return undefined; }
  if (node.opType === 'BatchNormalization') {
    for (let i = 1; i <= 4; i++) if (!wm.isInitializer(node.inputs[i] ?? '')) return `BatchNormalization ${node.name} has computed parameters`;
    for (let i = 1; i <= 4; i++) defer(sliceInitializer(wm, node, i, 0));
    compositeAt.set(out, comp);
    return undefined;
  }
  if (node.opType === 'Conv' && attrInt(node, 'group', 1) === 1 && wm.isInitializer(node.inputs[1] ?? '')) {
    defer(sliceInitializer(wm, node, 1, 1));
    return undefined;
  }
  if ((node.opType === 'Gemm' || node.opType === 'MatMul') && comp.channelAxis === -1) {
    const layer = asLinearLayer(wm, node);
    if (!layer || typeof layer === 'string') return `${node.opType} ${node.name} cannot shrink: ${layer ?? 'unsupported'}`;
    defer(sliceInitializer(wm, node, 1, node.opType === 'Gemm' && attrInt(node, 'transB', 0) === 1 ? 1 : 0));
    return undefined;
  }
  if (node.opType === 'Flatten' && comp.channelAxis === 1 && attrInt(node, 'axis', 1) === 1) {
    const producer = wm.producer(value);
    if (producer?.opType !== 'GlobalAveragePool' && producer?.opType !== 'GlobalMaxPool') return `Flatten ${node.name} of a Concat is followed only after global pooling`;
    compositeAt.set(out, { ...comp, channelAxis: -1 });
    return undefined;
  }
  return `${node.opType} ${node.name} reads a Concat's channels (followed: activations, pooling, BatchNormalization, Conv, Gemm/MatMul, Flatten after global pooling)`;
}

/** Kept indices of a composite: each part's kept channels (all, when not pruned) shifted by its offset. */
export function combinedKeep(parts: readonly CompositePart[], keepOf: (space: number) => readonly number[] | undefined): number[] {
  const keep: number[] = [];
  let offset = 0;
  for (const p of parts) {
    const kept = (p.space !== undefined ? keepOf(p.space) : undefined) ?? Array.from({ length: p.width }, (_, i) => i);
    for (const k of kept) keep.push(offset + k);
    offset += p.width;
  }
  return keep;
}
