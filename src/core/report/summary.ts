import type { Analysis } from '../energy/analysis';
import { formatBandFactor } from '../energy/uncertainty';
import { assumedDimsNote, describeAssumedDims } from './assumedDims';
import { formatCount, formatEnergy, formatGrams, formatSeconds, formatBytes } from './units';

/**
 * The sentences every report format shares: what was estimated on what, and the totals. Kept in one
 * place so table, Markdown and HTML never disagree on wording or units.
 */

/** "estimated on NVIDIA A100 SXM 80 GB, profile a100, batch 1, dims seq=128" */
export function estimateHeadline(analysis: Analysis): string {
  const dims = Object.entries(analysis.settings.dims);
  const dimText = dims.length === 0 ? '' : `, dims ${dims.map(([k, v]) => `${k}=${v}`).join(' ')}`;
  const assumed = assumedDimsNote(analysis.assumedDims, 'set with --dim H=N,W=N / NAME=N');
  return `estimated on ${analysis.profile.name}, profile ${analysis.profile.id}, batch ${analysis.settings.batch}${dimText}${assumed ? `; ${assumed}` : ''}`;
}

/** "model.onnx · onnx opset 17 · 11.7 M params · 46.8 MB weights" */
export function modelLine(analysis: Analysis): string {
  const m = analysis.model;
  const version = m.opset === undefined ? m.format : `${m.format} opset ${m.opset}`;
  const producer = m.producer ? ` · from ${m.producer}` : '';
  return `${m.path} · ${version}${producer} · ${formatCount(m.params)} params · ${formatBytes(m.weightBytes)} weights`;
}

/** "1.2 mJ ±45% (0.83 mJ – 1.74 mJ)"; the bare value for analyses without a band. */
export function withBand(text: string, value: { low: number; high: number } | undefined, logError: number | undefined, format: (v: number) => string): string {
  if (value === undefined || logError === undefined) return text;
  return `${text} ${formatBandFactor(logError)} (${format(value.low)} – ${format(value.high)})`;
}

/** "Uncertainty: ±45% on energy and latency (…basis)", or undefined for analyses without a band. */
export function uncertaintyLine(analysis: Analysis): string | undefined {
  const u = analysis.totals.uncertainty;
  return u && `Uncertainty: ${formatBandFactor(u.logError)} on energy and latency (${u.basis}).`;
}

/** Label/value pairs of the totals, in reading order. */
export function totalsRows(analysis: Analysis): [string, string][] {
  const t = analysis.totals;
  const e = t.energy;
  const s = analysis.settings;
  if (analysis.computeUnknown !== undefined) {
    const unknown = `unknown: set the input shape (${analysis.computeUnknown})`;
    return [['Energy per inference', unknown], ['Latency per inference', 'unknown'], ['MACs', 'unknown'], ['Weights', formatBytes(analysis.model.weightBytes)]];
  }
  return [
    ['Energy per inference', withBand(formatEnergy(e.totalJ), t.uncertainty?.energyJ, t.uncertainty?.logError, formatEnergy) + (analysis.assumedDims?.length ? ` (at assumed ${describeAssumedDims(analysis.assumedDims)})` : '')],
    ['  compute', formatEnergy(e.computeJ)],
    ['  on-chip data movement', formatEnergy(e.onChipJ)],
    ['  off-chip data movement', formatEnergy(e.offChipJ)],
    ['  static (idle + activity power × latency)', formatEnergy(e.staticJ)],
    ['Latency per inference', withBand(formatSeconds(t.latencyS), t.uncertainty?.latencyS, t.uncertainty?.logError, formatSeconds)],
    ['MACs', formatCount(t.macs)],
    ['FLOPs', formatCount(t.flops)],
    [`CO2e per inference (${s.gridRegion}, ${s.gridIntensityGPerKWh} g/kWh, PUE ${s.pue})`, formatGrams(t.co2eGrams)],
    ['Per 1k inferences', `${formatEnergy(t.per1k.energyJ)}, ${formatGrams(t.per1k.co2eGrams)} CO2e`],
    ['Per 1M inferences', `${formatEnergy(t.per1M.energyJ)}, ${formatGrams(t.per1M.co2eGrams)} CO2e`],
  ];
}

/** "Cost unknown (not counted): Foo ×3 [com.x] — a, b, c" lines, one per unknown op type. */
export function unknownOpLines(analysis: Analysis): string[] {
  return analysis.unknownOps.map((u) => {
    const domain = u.domain ? ` [${u.domain}]` : '';
    const more = u.count > u.nodes.length ? `, … (${u.count - u.nodes.length} more)` : '';
    return `${u.opType}${domain} ×${u.count}: ${u.nodes.join(', ')}${more}`;
  });
}

/** Memory level names in the order they first appear across layers. */
export function memoryLevels(analysis: Pick<Analysis, 'layers'>): string[] {
  const levels: string[] = [];
  for (const layer of analysis.layers) {
    for (const level of Object.keys(layer.bytes.byLevel)) if (!levels.includes(level)) levels.push(level);
  }
  return levels;
}
