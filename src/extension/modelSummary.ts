import type { Analysis } from '../core/energy/analysis';
import { hotspotIndices, type HotspotRule } from '../core/report/hotspots';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatPercent, formatSeconds } from '../core/report/units';
import { assumedDimsNote, describeAssumedDims } from '../core/report/assumedDims';
import type { ModelSummary } from './modelsTree';

/** What the Models view and the status bar say about an analysis (always labelled "estimated"). */
export function summarizeAnalysis(analysis: Analysis, rule: HotspotRule): ModelSummary {
  const t = analysis.totals;
  const hot = hotspotIndices(analysis, rule);
  return {
    description: `${formatEnergy(t.energy.totalJ)}/inf · est. ${analysis.profile.id}${analysis.assumedDims?.length ? ` · assumed ${describeAssumedDims(analysis.assumedDims)}` : ''}`,
    tooltip: [
      `Estimated on ${analysis.profile.name}`,
      ...(analysis.assumedDims?.length ? [`Input ${assumedDimsNote(analysis.assumedDims, 'set them in the report editor')}`] : []),
      `Energy per inference: ${formatEnergy(t.energy.totalJ)} (compute ${formatEnergy(t.energy.computeJ)}, on-chip ${formatEnergy(t.energy.onChipJ)}, off-chip ${formatEnergy(t.energy.offChipJ)}, static ${formatEnergy(t.energy.staticJ)})`,
      `Latency: ${formatSeconds(t.latencyS)} · MACs: ${formatCount(t.macs)}`,
      `Per 1k inferences: ${formatEnergy(t.per1k.energyJ)}, ${formatGrams(t.per1k.co2eGrams)} CO2e (${analysis.settings.gridRegion}, ${analysis.settings.gridIntensityGPerKWh} g/kWh)`,
      `Params: ${formatCount(analysis.model.params)} · weights ${formatBytes(analysis.model.weightBytes)}`,
      ...(analysis.unknownOps.length > 0 ? [`Cost unknown for: ${analysis.unknownOps.map((u) => u.opType).join(', ')}`] : []),
    ].join('\n'),
    hotspots: hot.map((i) => {
      const layer = analysis.layers[i]!;
      return { label: layer.name, description: `${layer.opType} · ${formatPercent(layer.energyShare)} · ${layer.bound}-bound` };
    }),
  };
}
