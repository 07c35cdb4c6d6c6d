import type { Analysis, LayerAnalysis } from '../energy/analysis';

/**
 * Which layers a report marks as hotspots. A fixed share threshold alone marks nothing in a model of
 * 200 similar layers, and "top 3" alone marks 1% layers in it; so a hotspot is a layer that holds at
 * least `minShare` of the energy, or one of the `top` costliest layers holding at least `topMinShare`.
 */
export interface HotspotRule {
  readonly minShare: number;
  readonly top: number;
  readonly topMinShare: number;
}

export const DEFAULT_HOTSPOT_RULE: HotspotRule = { minShare: 0.1, top: 3, topMinShare: 0.05 };

/** Indices (into `analysis.layers`) of the hotspot layers, costliest first. */
export function hotspotIndices(analysis: Pick<Analysis, 'layers'>, rule: HotspotRule = DEFAULT_HOTSPOT_RULE): number[] {
  const ranked = rankByEnergy(analysis.layers);
  // Layers tied with the last of the top ones are marked too: identical blocks get identical marks.
  const cutoff = ranked.length >= rule.top && rule.top > 0 ? analysis.layers[ranked[rule.top - 1]!]!.energy.totalJ : 0;
  return ranked.filter((index) => {
    const layer = analysis.layers[index]!;
    return layer.energyShare >= rule.minShare || (layer.energy.totalJ >= cutoff * (1 - 1e-9) && layer.energyShare >= rule.topMinShare);
  });
}

/** Layer indices sorted by total energy, costliest first; ties keep graph order. */
export function rankByEnergy(layers: readonly LayerAnalysis[]): number[] {
  return layers
    .map((_, index) => index)
    .sort((a, b) => layers[b]!.energy.totalJ - layers[a]!.energy.totalJ || a - b);
}
