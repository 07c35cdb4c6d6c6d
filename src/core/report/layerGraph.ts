/**
 * The dataflow between a model's layers, for the report's graph view: which layer feeds which, and
 * how many bytes the tensor on each edge holds. Built from the per-layer costs (their activation
 * inputs and outputs), so it needs no second read of the model file.
 */
import { elementCount } from '../graph/ir';

/** One tensor from a producing layer to a consuming one (indices into Analysis.layers). */
export interface LayerEdge {
  readonly from: number;
  readonly to: number;
  /** Estimated bytes of the tensor (the producer's output bytes, split over its outputs by size). */
  readonly bytes: number;
  readonly tensor: string;
}

export interface LayerGraph {
  readonly edges: readonly LayerEdge[];
}

/** What the graph needs of a layer: LayerCost has it (Analysis layers do not keep tensor names). */
export interface LayerPorts {
  readonly activationInputs: readonly string[];
  readonly activationOutputs: readonly string[];
  readonly outputShapes: readonly (readonly (number | string | undefined)[] | undefined)[];
  readonly bytes: { readonly outputs: number };
}

/** Bytes of each output of a layer: its output bytes split by element count (evenly when shapes are unknown). */
function outputBytes(layer: LayerPorts): Map<string, number> {
  const names = layer.activationOutputs;
  const sizes = names.map((_, i) => elementCount(layer.outputShapes[i]));
  const known = sizes.every((s) => s !== undefined);
  const total = known ? sizes.reduce<number>((a, s) => a + (s ?? 0), 0) : names.length;
  const out = new Map<string, number>();
  names.forEach((name, i) => {
    const weight = known ? (sizes[i] ?? 0) : 1;
    out.set(name, total > 0 ? (layer.bytes.outputs * weight) / total : 0);
  });
  return out;
}

/** Producer → consumer edges between layers; tensors from graph inputs or weights have no edge. */
export function layerGraph(layers: readonly LayerPorts[]): LayerGraph {
  const producer = new Map<string, { index: number; bytes: number }>();
  layers.forEach((layer, index) => {
    for (const [name, bytes] of outputBytes(layer)) producer.set(name, { index, bytes });
  });
  const edges: LayerEdge[] = [];
  layers.forEach((layer, to) => {
    const seen = new Set<string>();
    for (const tensor of layer.activationInputs) {
      const from = producer.get(tensor);
      if (!from || from.index === to || seen.has(tensor)) continue;
      seen.add(tensor);
      edges.push({ from: from.index, to, bytes: from.bytes, tensor });
    }
  });
  return { edges };
}
