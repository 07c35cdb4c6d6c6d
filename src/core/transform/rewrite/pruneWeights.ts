/**
 * Unstructured pruning: zeroes weights in place, keeping every shape. Magnitude pruning (one
 * threshold for all layers, or the same ratio in each layer) and N:M (2:4) along the reduction axis.
 * Dense kernels still multiply the zeros, so this alone saves neither time nor file size: it prepares
 * a model for sparse kernels (2:4 on sparse tensor cores) or for compression.
 */
import { applyNofM, applyThreshold, magnitudeThreshold } from '../math/pruneMasks';
import type { WorkingModel } from '../workingModel';
import { attrInt } from '../workingModel';
import { type LayerDecision, type LinearLayer, selectLayers } from './linearLayers';

export interface MagnitudeOptions {
  readonly ratio: number;
  readonly scope: 'global' | 'per-layer';
  readonly exclude?: readonly string[];
  readonly minElements?: number;
}

export interface PruneStats {
  readonly decisions: LayerDecision[];
  /** Fraction of zero weights over the pruned layers. */
  readonly sparsity: number;
}

export function pruneMagnitude(wm: WorkingModel, options: MagnitudeOptions): PruneStats {
  const { layers, decisions } = selectLayers(wm, options);
  const weights = layers.map((l) => wm.floatValues(l.weight));
  const global = options.scope === 'global' ? magnitudeThreshold(weights, options.ratio) : undefined;
  let zeros = 0;
  let total = 0;
  layers.forEach((layer, i) => {
    const w = weights[i]!;
    zeros += applyThreshold(w, global ?? magnitudeThreshold([w], options.ratio));
    total += w.length;
    wm.setInitializer(layer.weight, 'float32', layer.weightDims, w);
  });
  return { decisions, sparsity: total ? zeros / total : 0 };
}

export interface NofMOptions {
  readonly n: number;
  readonly m: number;
  readonly exclude?: readonly string[];
  readonly minElements?: number;
}

/** The [outer][reduce][inner] view whose middle axis a layer sums over. */
function reductionView(layer: LinearLayer): [number, number, number] {
  const d = layer.weightDims;
  if (layer.kind === 'conv') {
    // [O][I][kh][kw]: groups of M input channels at the same kernel tap (how sparse kernels lay it out).
    return [d[0]!, d[1]!, d.slice(2).reduce((a, b) => a * b, 1)];
  }
  if (layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1) return [d[0]!, d[1]!, 1];
  return [1, d[0]!, d[1]!];
}

export function pruneNofM(wm: WorkingModel, options: NofMOptions): PruneStats {
  const { layers, decisions } = selectLayers(wm, options);
  let zeros = 0;
  let total = 0;
  const result: LayerDecision[] = [];
  for (const d of decisions) {
    const layer = layers.find((l) => l.node.name === d.node);
    if (!layer) { result.push(d); continue; }
    const [outer, reduce, inner] = reductionView(layer);
    if (reduce < options.m) {
      result.push({ ...d, action: 'skipped', reason: `reduction length ${reduce} is shorter than M=${options.m}` });
      continue;
    }
    const w = wm.floatValues(layer.weight);
    applyNofM(w, outer, reduce, inner, options.n, options.m);
    for (const v of w) if (v === 0) zeros++;
    total += w.length;
    wm.setInitializer(layer.weight, 'float32', layer.weightDims, w);
    result.push(d);
  }
  return { decisions: result, sparsity: total ? zeros / total : 0 };
}
