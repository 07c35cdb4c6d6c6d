import { modelShareOf, type PricedSource } from '../../core/pipeline/pythonSource';
import type { SourceLayer } from '../../core/pycode/types';
import { formatBytes, formatCount, formatEnergy, formatPercent, formatSeconds } from '../../core/report/units';

/** The inlay hint after a layer: parameters and energy (compact), plus weight bytes and MACs (full). */
export function layerHint(priced: PricedSource, index: number, detail: 'compact' | 'full'): string | undefined {
  const layer = priced.source.layers[index]!;
  const energy = priced.layerEnergy[index];
  const parts: string[] = [];
  if (layer.params !== undefined) parts.push(`${formatCount(layer.params)} params`);
  if (detail === 'full' && layer.weightBytes !== undefined) parts.push(formatBytes(layer.weightBytes));
  if (detail === 'full' && layer.macs !== undefined) parts.push(`${formatCount(layer.macs)} MACs`);
  if (layer.macs !== undefined && energy) parts.push(`${formatEnergy(energy.energy.totalJ)}/inf`);
  else if (layer.outputShape === undefined) parts.push('shape ?');
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** The hover: the layer's full breakdown as Markdown, with where each number comes from. */
export function layerHover(priced: PricedSource, index: number): string {
  const layer: SourceLayer = priced.source.layers[index]!;
  const e = priced.layerEnergy[index];
  const profile = priced.analysis.profile;
  const lines = [`**${layer.kind}** \`${layer.variable}\` — Joule estimate on *${profile.name}*`, ''];
  const rows: [string, string][] = [];
  rows.push(['Parameters', layer.params !== undefined ? formatCount(layer.params) : 'unknown']);
  if (layer.buffers) rows.push(['Buffers (running stats)', formatCount(layer.buffers)]);
  if (layer.weightBytes !== undefined) rows.push(['Weight bytes', `${formatBytes(layer.weightBytes)} (${layer.dtypeBytes * 8}-bit)`]);
  if (layer.inputShape) rows.push(['Input shape', layer.inputShape.join('×')]);
  if (layer.outputShape) rows.push(['Output shape', layer.outputShape.join('×')]);
  if (layer.macs !== undefined) rows.push(['MACs / inference', formatCount(layer.macs)]);
  if (e && layer.macs !== undefined) {
    const u = e.uncertainty;
    rows.push(['Energy / inference', u ? `${formatEnergy(e.energy.totalJ)} (${formatEnergy(u.energyJ.low)} – ${formatEnergy(u.energyJ.high)})` : formatEnergy(e.energy.totalJ)]);
    rows.push(['— compute', formatEnergy(e.energy.computeJ)]);
    rows.push(['— on-chip data movement', formatEnergy(e.energy.onChipJ)]);
    rows.push(['— off-chip data movement', formatEnergy(e.energy.offChipJ)]);
    rows.push(['— static (idle + activity × time)', formatEnergy(e.energy.staticJ)]);
    rows.push(['Latency (roofline)', `${formatSeconds(e.latencyS)}${u ? ` (${formatSeconds(u.latencyS.low)} – ${formatSeconds(u.latencyS.high)})` : ''}, ${e.bound}-bound`]);
    const ofModel = modelShareOf(priced, index);
    if (ofModel) rows.push([`Share of ${ofModel.name}'s energy`, formatPercent(ofModel.share)]);
  }
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`));
  const basis = priced.analysis.totals.uncertainty?.basis;
  if (basis && e && layer.macs !== undefined) lines.push('', `_Ranges: ${basis}._`);
  if (layer.note) lines.push('', `_${layer.note}_`);
  // The layer's note already carries a shape hint fitted to its model's first layer.
  if (layer.macs === undefined && !layer.note?.includes('joule: input=')) lines.push('', '_MACs and energy unknown: set the input shape (`# joule: input=(…)` above the model, or `joule.python.inputShape`)._');
  return lines.join('\n');
}
