/**
 * Structured channel pruning that removes whole output channels of Conv / Gemm / MatMul layers and
 * rewires every tensor that carries those channels, so the pruned model is smaller and faster.
 *
 * From a producer's output, the channel set is followed through ops that keep channels aligned
 * (activations, pooling, BatchNormalization, depthwise Conv, elementwise ops with per-channel or
 * scalar constants, Flatten) to the consumers whose input channels shrink (Conv, Gemm, MatMul).
 * Anything else on the way — a residual Add with another branch, Concat, Reshape, a graph output —
 * stops the walk and the layer is skipped with that reason. Channels are ranked by the L1 norm of the
 * producer's weights.
 */
import { channelL1Norms, channelsToKeep } from '../math/pruneMasks';
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrInt, intAttr } from '../workingModel';
import { asLinearLayer, type LayerDecision, type LinearLayer } from './linearLayers';

export interface ChannelPruneOptions {
  readonly ratio: number;
  readonly exclude?: readonly string[];
  /** Kept channel counts are rounded up to a multiple of this (default 1). */
  readonly multiple?: number;
  /** Layers with fewer output channels are left alone (default 4). */
  readonly minChannels?: number;
  /** Nodes already pruned another way (attention projections); left out without a decision. */
  readonly handled?: ReadonlySet<string>;
}

const PASS_THROUGH = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign',
  'Mish', 'Gelu', 'Erf', 'Identity', 'Dropout', 'Clip', 'Abs', 'Neg', 'Exp', 'Sqrt', 'Reciprocal',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool',
]);
const ELEMENTWISE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min']);

/** How a tensor in the channel set lays its channels out. */
interface Layout {
  /** Rank of the tensor when known, with channels at `axis` (1 for NCHW, -1 for the last). */
  readonly channelAxis: 1 | -1;
  /** Features per channel after Flatten of a spatial tensor (H·W), 1 otherwise. */
  readonly spread: number;
}

type Edit = (keep: readonly number[]) => void;

interface Plan {
  readonly edits: Edit[];
}

export function pruneChannels(wm: WorkingModel, options: ChannelPruneOptions): { decisions: LayerDecision[]; removed: number; total: number } {
  if (!(options.ratio > 0 && options.ratio < 1)) throw new RangeError(`ratio must be in (0, 1), got ${options.ratio}`);
  const exclude = new Set(options.exclude ?? []);
  const decisions: LayerDecision[] = [];
  let removed = 0;
  let total = 0;
  for (const node of [...wm.nodes]) {
    const layer = asLinearLayer(wm, node);
    if (layer === undefined || options.handled?.has(node.name)) continue;
    const skip = (reason: string): void => { decisions.push({ node: node.name, opType: node.opType, action: 'skipped', reason }); };
    if (typeof layer === 'string') { skip(layer); continue; }
    if (exclude.has(node.name) || exclude.has(node.opType)) { skip('excluded by the user'); continue; }
    if (layer.kind === 'conv' && attrInt(node, 'group', 1) !== 1) { skip('grouped Conv: its output channels are pruned with its input producer'); continue; }
    const channels = outputChannels(wm, layer);
    if (channels < (options.minChannels ?? 4)) { skip(`only ${channels} output channels`); continue; }
    const plan = planFrom(wm, layer, channels);
    if (typeof plan === 'string') { skip(plan); continue; }
    const keep = channelsToKeep(importance(wm, layer), options.ratio, options.multiple ?? 1);
    if (keep.length === channels) { skip('ratio removes no channel at this width'); continue; }
    for (const edit of plan.edits) edit(keep);
    removed += channels - keep.length;
    total += channels;
    decisions.push({ node: node.name, opType: node.opType, action: 'transformed', reason: `${channels} -> ${keep.length} channels` });
  }
  wm.removeUnusedInitializers();
  return { decisions, removed, total };
}

function outputChannels(wm: WorkingModel, layer: LinearLayer): number {
  const d = wm.initializerInfo(layer.weight)!.dims;
  if (layer.kind === 'conv') return d[0]!;
  return layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1 ? d[0]! : d[1]!;
}

function importance(wm: WorkingModel, layer: LinearLayer): Float64Array {
  const info = wm.initializerInfo(layer.weight)!;
  const axis = layer.kind === 'conv' || (layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1) ? 0 : 1;
  return channelL1Norms(wm.floatValues(layer.weight), info.dims, axis);
}

/** Walks the channel set from the producer; returns the edits that prune it, or why it cannot. */
function planFrom(wm: WorkingModel, producer: LinearLayer, channels: number): Plan | string {
  const edits: Edit[] = [];
  const pAxis = producer.kind === 'conv' || (producer.kind === 'gemm' && attrInt(producer.node, 'transB', 0) === 1) ? 0 : 1;
  edits.push(sliceInitializer(wm, producer.node, 1, pAxis));
  if (producer.bias) edits.push(sliceInitializer(wm, producer.node, 2, 0));
  const start: Layout = producer.kind === 'conv' ? { channelAxis: 1, spread: 1 } : { channelAxis: -1, spread: 1 };
  const inSet = new Map<string, Layout>([[producer.node.outputs[0]!, start]]);
  const queue = [producer.node.outputs[0]!];
  const outerReads = wm.outerScopeReads();
  const visited = new Set<WorkNode>([producer.node]);
  const elementwise: WorkNode[] = [];
  while (queue.length > 0) {
    const value = queue.shift()!;
    const layout = inSet.get(value)!;
    if (wm.outputs.includes(value)) return `its channels reach the graph output ${value}`;
    if (outerReads.has(value)) return `a subgraph (If/Loop/Scan body) reads ${value}`;
    for (const c of wm.consumers(value)) {
      if (visited.has(c)) continue;
      visited.add(c);
      const follow = (out: string, next: Layout): void => { inSet.set(out, next); queue.push(out); };
      const index = c.inputs.indexOf(value);
      if (c.domain !== '') return `${c.opType} (${c.domain}) reads its output`;
      if (PASS_THROUGH.has(c.opType) && index === 0) {
        if (c.opType === 'PRelu' && c.inputs[1]) {
          const slope = c.inputs[1];
          const info = wm.initializerInfo(slope);
          if (!info) return 'PRelu slope is not a constant';
          if (info.dims.reduce((a, b) => a * b, 1) > 1) edits.push(sliceBroadcast(wm, c, 1, layout, channels));
        }
        if (c.opType === 'Clip' && c.inputs.slice(1).some((i) => i && !wm.isInitializer(i))) return 'Clip bounds are computed';
        follow(c.outputs[0]!, layout);
      } else if (c.opType === 'BatchNormalization' && index === 0) {
        for (let i = 1; i <= 4; i++) {
          if (!wm.isInitializer(c.inputs[i] ?? '')) return `BatchNormalization ${c.name} has computed parameters`;
          edits.push(sliceInitializer(wm, c, i, 0));
        }
        follow(c.outputs[0]!, layout);
      } else if (ELEMENTWISE.has(c.opType)) {
        for (let i = 0; i < c.inputs.length; i++) {
          if (c.inputs[i] === value || inSet.has(c.inputs[i]!)) continue;
          const other = c.inputs[i]!;
          if (wm.isInitializer(other)) {
            const size = wm.initializerInfo(other)!.dims.reduce((a, b) => a * b, 1);
            if (size > 1) edits.push(sliceBroadcast(wm, c, i, layout, channels));
          }
          // A non-constant other input must come from the same channel set; checked after the walk.
        }
        elementwise.push(c);
        follow(c.outputs[0]!, layout);
      } else if (c.opType === 'Conv' && index === 0) {
        const w = wm.initializerInfo(c.inputs[1] ?? '');
        if (!w) return `Conv ${c.name} has a computed weight`;
        const group = attrInt(c, 'group', 1);
        if (group === 1) {
          edits.push(sliceInitializer(wm, c, 1, 1));
        } else if (group === channels && w.dims[0] === channels && w.dims[1] === 1) {
          // Depthwise: each kept channel keeps its own filter; the group count shrinks with it.
          edits.push(sliceInitializer(wm, c, 1, 0));
          if (c.inputs[2]) edits.push(sliceInitializer(wm, c, 2, 0));
          edits.push((keep) => c.attributes.set('group', intAttr(keep.length)));
          follow(c.outputs[0]!, layout);
        } else {
          return `grouped Conv ${c.name} (group=${group}) reads its channels`;
        }
      } else if ((c.opType === 'MatMul' || c.opType === 'Gemm') && index === 0) {
        const layer = asLinearLayer(wm, c);
        if (!layer || typeof layer === 'string') return `${c.opType} ${c.name} cannot shrink: ${layer ?? 'unsupported'}`;
        if (layout.channelAxis !== -1) return `${c.opType} ${c.name} reads channels that are not on the last axis`;
        const transB = c.opType === 'Gemm' && attrInt(c, 'transB', 0) === 1;
        edits.push(sliceInitializer(wm, c, 1, transB ? 1 : 0, layout.spread));
      } else if (c.opType === 'Flatten' && index === 0 && attrInt(c, 'axis', 1) === 1 && layout.channelAxis === 1) {
        const spread = spatialSize(wm, value, visited);
        if (spread === undefined) return `Flatten ${c.name}: spatial size of ${value} is unknown`;
        follow(c.outputs[0]!, { channelAxis: -1, spread });
      } else {
        return `${c.opType} ${c.name} reads its channels (only activations, pooling, BatchNormalization, depthwise Conv and per-channel constants are followed)`;
      }
    }
  }
  for (const e of elementwise) {
    for (const i of e.inputs) {
      if (i && !inSet.has(i) && !wm.isInitializer(i)) return `${e.opType} ${e.name} combines its channels with another branch (${i}), as a residual connection does`;
    }
  }
  return { edits };
}

/** Features per channel of a 4-D value once flattened: 1 after global pooling, else from its shape. */
function spatialSize(wm: WorkingModel, value: string, visited: ReadonlySet<WorkNode>): number | undefined {
  const producer = wm.producer(value);
  if (producer && visited.has(producer) && (producer.opType === 'GlobalAveragePool' || producer.opType === 'GlobalMaxPool')) return 1;
  const shape = wm.types.get(value)?.shape;
  if (!shape || shape.length < 3) return undefined;
  let s = 1;
  for (const d of shape.slice(2)) {
    if (typeof d !== 'number') return undefined;
    s *= d;
  }
  return s;
}

/**
 * An edit that slices input `index` of `node` (an initializer) along `axis`, keeping channels; with
 * `spread` > 1 each channel owns `spread` consecutive entries (features of a flattened map).
 * The sliced tensor gets a new name so other readers of the original keep it whole.
 */
function sliceInitializer(wm: WorkingModel, node: WorkNode, index: number, axis: number, spread = 1): Edit {
  return (keep) => {
    const name = node.inputs[index]!;
    const info = wm.initializerInfo(name)!;
    const values = wm.floatValues(name);
    const indices = spread === 1 ? keep : keep.flatMap((k) => Array.from({ length: spread }, (_, j) => k * spread + j));
    const { data, dims } = sliceAxis(values, info.dims, axis, indices);
    node.inputs[index] = wm.addInitializer(`${name}_pruned`, 'float32', dims, data);
  };
}

/** Slices a broadcast constant (per-channel scale, bias) when its channel axis has the full width. */
function sliceBroadcast(wm: WorkingModel, node: WorkNode, index: number, layout: Layout, channels: number): Edit {
  const info = wm.initializerInfo(node.inputs[index]!)!;
  const rank = info.dims.length;
  // Right-aligned broadcasting: channel axis 1 of an N-D (N = 4 for images) tensor is rank - 3 here.
  const axis = layout.channelAxis === -1 ? rank - 1 : rank - 3;
  if (axis < 0 || info.dims[axis] !== channels * layout.spread) return () => undefined; // size 1 on the channel axis: broadcasts as is
  return sliceInitializer(wm, node, index, axis, layout.spread);
}

export function sliceAxis(values: Float32Array, dims: readonly number[], axis: number, keep: readonly number[]): { data: Float32Array; dims: number[] } {
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const size = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const data = new Float32Array(outer * keep.length * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const k of keep) {
      const from = (o * size + k) * inner;
      data.set(values.subarray(from, from + inner), at);
      at += inner;
    }
  }
  const out = [...dims];
  out[axis] = keep.length;
  return { data, dims: out };
}
