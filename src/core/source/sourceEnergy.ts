/**
 * Energy of a model found in Python code: its layers' LayerCosts go through the same energy model as
 * an ONNX graph (src/core/energy), and layers above a share of the model's energy become hotspots for
 * diagnostics.
 */
import type { LayerCost } from '../cost/types';
import type { Analysis, UnknownOp } from '../energy/analysis';
import { estimate, type EstimateSettings } from '../energy/estimate';
import type { HardwareProfile } from '../energy/profileSchema';
import type { SourceAnalysis } from './types';

export interface SourceModelEstimate {
  readonly estimate: Analysis;
  /** `estimate.layers[i]` is `analysis.layers[layerIndices[i]]`. */
  readonly layerIndices: readonly number[];
}

/** Prices one model of the analysis on a hardware profile. Layers without shapes are listed as unknown. */
export function estimateSourceModel(
  analysis: SourceAnalysis, modelIndex: number, profile: HardwareProfile, settings: EstimateSettings = {}, path = '<python source>',
): SourceModelEstimate {
  const model = analysis.models[modelIndex];
  if (!model) throw new RangeError(`no model ${modelIndex} in the analysis`);
  const costs: LayerCost[] = [];
  const layerIndices: number[] = [];
  const unknown = new Map<string, { opType: string; domain: string; count: number; nodes: string[] }>();
  for (const index of model.layerIndices) {
    const layer = analysis.layers[index];
    if (layer.cost) {
      costs.push(layer.cost);
      layerIndices.push(index);
      continue;
    }
    const domain = layer.framework === 'pytorch' ? 'torch.nn' : 'keras.layers';
    const entry = unknown.get(layer.kind) ?? { opType: layer.kind, domain, count: 0, nodes: [] };
    entry.count++;
    if (entry.nodes.length < 5) entry.nodes.push(layer.variable);
    unknown.set(layer.kind, entry);
  }
  const unknownOps: UnknownOp[] = [...unknown.values()];
  const warnings = model.shapeNote ? [`${model.name}: ${model.shapeNote}`] : [];
  const result = estimate({
    model: { path, format: 'python', params: model.totals.params, weightBytes: model.totals.weightBytes },
    layers: costs, unknownOps, warnings, dims: {}, batch: model.inputShape?.[0] ?? 1,
  }, profile, settings);
  return { estimate: result, layerIndices };
}

export interface SourceHotspot {
  readonly layerIndex: number;
  /** Share of the model's energy per inference, 0..1. */
  readonly share: number;
  /** Stable diagnostic code. */
  readonly code: 'joule.hotspot';
  readonly message: string;
}

/** Layers whose share of the model's energy is at least `threshold` (0..1), largest first. */
export function sourceHotspots(analysis: SourceAnalysis, modelEstimate: SourceModelEstimate, threshold: number): SourceHotspot[] {
  const { estimate: result, layerIndices } = modelEstimate;
  const hotspots: SourceHotspot[] = [];
  result.layers.forEach((layer, i) => {
    if (layer.energyShare < threshold) return;
    const source = analysis.layers[layerIndices[i]];
    const offChipShare = layer.energy.totalJ > 0 ? layer.energy.offChipJ / layer.energy.totalJ : 0;
    const why = layer.bound === 'memory'
      ? `memory-bound: ${Math.round(offChipShare * 100)}% of its energy moves data off chip`
      : layer.bound === 'compute' ? `compute-bound: ${source.macs?.toLocaleString('en-US')} MACs` : `${layer.bound}-bound`;
    hotspots.push({
      layerIndex: layerIndices[i],
      share: layer.energyShare,
      code: 'joule.hotspot',
      message: `${source.variable} (${source.kind}) uses ${Math.round(layer.energyShare * 100)}% of the model's energy per inference on ${result.profile.name} (${why}).`,
    });
  });
  return hotspots.sort((a, b) => b.share - a.share);
}
