/**
 * Text of the editor decorations for Python model code: inlay-hint labels, hover Markdown and CodeLens
 * titles. Pure strings, so the extension only places them and tests can read them.
 */
import type { LayerAnalysis } from '../energy/analysis';
import { formatBytes, formatCount, formatEnergy, formatPercent, formatSeconds, formatShape } from '../report/units';
import type { SourceLayer, SourceModel } from './types';

/** `9.41 k params · 37.6 kB · 118 M MACs · 1.21 mJ (27.1%)`; parts that are unknown are left out. */
export function layerHintLabel(layer: SourceLayer, energy?: Pick<LayerAnalysis, 'energy' | 'energyShare'>): string {
  const parts: string[] = [];
  parts.push(layer.params === undefined ? '? params' : `${formatCount(layer.params)} params`);
  if (layer.weightBytes !== undefined && layer.weightBytes > 0) parts.push(formatBytes(layer.weightBytes));
  if (layer.macs !== undefined && layer.macs > 0) parts.push(`${formatCount(layer.macs)} MACs`);
  if (energy) parts.push(`${formatEnergy(energy.energy.totalJ)} (${formatPercent(energy.energyShare)})`);
  return parts.join(' · ');
}

/** Hover: every number Joule knows about the layer, and why the others are missing. */
export function layerHoverMarkdown(layer: SourceLayer, analysis?: LayerAnalysis, profileName?: string): string {
  const rows: [string, string][] = [
    ['Layer', `${layer.framework === 'pytorch' ? 'torch.nn' : 'keras.layers'}.${layer.kind}`],
    ['Parameters', layer.params === undefined ? 'unknown' : `${layer.params.toLocaleString('en-US')} trainable`],
  ];
  if (layer.buffers) rows.push(['Buffers', `${layer.buffers.toLocaleString('en-US')} (running statistics)`]);
  if (layer.weightBytes !== undefined) rows.push(['Weights', `${formatBytes(layer.weightBytes)} at ${layer.dtypeBytes} B/value`]);
  if (layer.inputShape && layer.outputShape) rows.push(['Shape', `${formatShape(layer.inputShape)} → ${formatShape(layer.outputShape)}`]);
  if (layer.macs !== undefined) rows.push(['MACs', layer.macs.toLocaleString('en-US')]);
  if (analysis) {
    const e = analysis.energy;
    rows.push(['Energy', `${formatEnergy(e.totalJ)} per inference (${formatPercent(analysis.energyShare)} of the model)${profileName ? ` on ${profileName}` : ''}`]);
    rows.push(['Split', `compute ${formatEnergy(e.computeJ)} · on-chip ${formatEnergy(e.onChipJ)} · off-chip ${formatEnergy(e.offChipJ)} · static ${formatEnergy(e.staticJ)}`]);
    rows.push(['Latency', `${formatSeconds(analysis.latencyS)} (${analysis.bound}-bound)`]);
  }
  const lines = [`**${escapeMarkdown(layer.variable)}**`, '', '| | |', '| --- | --- |', ...rows.map(([key, value]) => `| ${key} | ${escapeMarkdown(value)} |`)];
  if (layer.note) lines.push('', escapeMarkdown(layer.note));
  return lines.join('\n');
}

/** CodeLens above a class or Sequential: `545 k params · 2.18 MB · 6.13 M MACs · 1.1 mJ/inference`. */
export function modelLensTitle(model: SourceModel, energyJ?: number): string {
  const parts = [`${formatCount(model.totals.params)}${model.unresolvedLayers > 0 ? '+' : ''} params`, formatBytes(model.totals.weightBytes)];
  if (model.totals.macs !== undefined) parts.push(`${formatCount(model.totals.macs)} MACs`);
  if (energyJ !== undefined) parts.push(`${formatEnergy(energyJ)}/inference`);
  else if (model.totals.macs === undefined) parts.push('MACs need an input shape');
  return `Joule: ${parts.join(' · ')}`;
}

/** Names and notes come from the user's file: keep them from being read as Markdown or HTML. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (char) => `\\${char}`);
}
