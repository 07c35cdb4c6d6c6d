/** Slicing of weights along a channel axis, shared by channel and head pruning. */
import type { WorkingModel, WorkNode } from '../workingModel';
import type { Edit, Layout } from './channelGroups';

/**
 * An edit that slices input `index` of `node` (an initializer) along `axis`, keeping channels; with
 * `spread` > 1 each channel owns `spread` consecutive entries (features of a flattened map).
 * The sliced tensor gets a new name so other readers of the original keep it whole; the current
 * input is read when the edit runs, so a Conv sliced on axis 1 (as a consumer) and axis 0 (as a
 * producer) gets both.
 */
export function sliceInitializer(wm: WorkingModel, node: WorkNode, index: number, axis: number, spread = 1): Edit {
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
export function sliceBroadcast(wm: WorkingModel, node: WorkNode, index: number, layout: Layout, channels: number): Edit {
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
