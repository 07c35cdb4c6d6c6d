import type { Analysis, LayerAnalysis } from '../energy/analysis';
import { hotspotIndices } from './hotspots';
import { formatBandFactor } from '../energy/uncertainty';
import { estimateHeadline, modelLine, totalsRows, uncertaintyLine, unknownOpLines } from './summary';
import { alignColumns, printable, truncateMiddle, type Column } from './text';
import { formatBytes, formatCount, formatEnergy, formatPercent, formatSeconds, formatShapes } from './units';

export interface TableOptions {
  /** Longest layer name printed before the middle is cut (the JSON keeps full names). */
  readonly maxNameWidth?: number;
}

const HOTSPOT_MARK = '◀ hotspot';

const COLUMNS: readonly Column[] = [
  { header: '#', align: 'right' },
  { header: 'layer', align: 'left' },
  { header: 'op', align: 'left' },
  { header: 'output', align: 'left' },
  { header: 'MACs', align: 'right' },
  { header: 'weights', align: 'right' },
  { header: 'act. in+out', align: 'right' },
  { header: 'energy', align: 'right' },
  { header: 'compute', align: 'right' },
  { header: 'on-chip', align: 'right' },
  { header: 'off-chip', align: 'right' },
  { header: 'static', align: 'right' },
  { header: 'latency', align: 'right' },
  { header: 'bound', align: 'left' },
  { header: 'share', align: 'right' },
  { header: '', align: 'left' },
];

function layerRow(layer: LayerAnalysis, index: number, hot: boolean, maxName: number, computeUnknown: boolean): string[] {
  const e = layer.energy;
  // Without an input shape a layer's energy is unknown, not 0 J.
  const energy = (j: number): string => (computeUnknown ? '?' : formatEnergy(j));
  const op = layer.domain ? `${layer.opType} (${layer.domain})` : layer.opType;
  const unknown = layer.confidence === 'unknown';
  return [
    String(index + 1),
    truncateMiddle(printable(layer.name), maxName),
    truncateMiddle(printable(op), 28),
    truncateMiddle(printable(formatShapes(layer.outputShapes)), 24),
    unknown ? '?' : formatCount(layer.macs) + (layer.confidence === 'partial' ? '+' : ''),
    formatBytes(layer.bytes.weights),
    formatBytes(layer.bytes.inputs + layer.bytes.outputs),
    energy(e.totalJ),
    energy(e.computeJ),
    energy(e.onChipJ),
    energy(e.offChipJ),
    energy(e.staticJ),
    computeUnknown ? '?' : formatSeconds(layer.latencyS),
    layer.bound,
    formatPercent(layer.energyShare),
    hot ? HOTSPOT_MARK : '',
  ];
}

/** A totals cell with the band's width ("1.2 mJ ±45%"). */
function bandCell(text: string, analysis: Analysis): string {
  const u = analysis.totals.uncertainty;
  return u === undefined ? text : `${text} ${formatBandFactor(u.logError)}`;
}

/**
 * The default CLI output: a header naming the profile, one aligned row per layer with human units,
 * hotspots marked, the totals, then unknown operators and warnings. Plain text, no colours, so it
 * pastes into issues and CI logs as is.
 */
export function renderTable(analysis: Analysis, options: TableOptions = {}): string {
  const maxName = options.maxNameWidth ?? 40;
  const hot = new Set(hotspotIndices(analysis));
  const e = analysis.totals.energy;
  const unknown = analysis.computeUnknown !== undefined;
  const rows = analysis.layers.map((layer, i) => layerRow(layer, i, hot.has(i), maxName, unknown));
  const band = uncertaintyLine(analysis);
  rows.push([
    '',
    'total',
    '',
    '',
    unknown ? 'unknown' : formatCount(analysis.totals.macs),
    formatBytes(analysis.model.weightBytes),
    '',
    unknown ? '?' : bandCell(formatEnergy(e.totalJ), analysis),
    ...[e.computeJ, e.onChipJ, e.offChipJ, e.staticJ].map((j) => (unknown ? '?' : formatEnergy(j))),
    unknown ? '?' : bandCell(formatSeconds(analysis.totals.latencyS), analysis),
    '',
    analysis.layers.length > 0 && !unknown ? '100.0%' : '',
    '',
  ]);
  const lines: string[] = [
    `Joule energy report: ${printable(estimateHeadline(analysis))}`,
    printable(modelLine(analysis)),
    'Every number below is an estimate from a model of the hardware, not a measurement.',
    ...(band === undefined ? [] : [printable(band)]),
    '',
    ...alignColumns(COLUMNS, rows),
    '',
  ];
  const labelWidth = Math.max(...totalsRows(analysis).map(([label]) => label.length));
  for (const [label, value] of totalsRows(analysis)) lines.push(`${printable(label).padEnd(labelWidth)}  ${value}`);
  if (hot.size > 0) {
    lines.push('', 'Hotspots:');
    for (const i of hot) {
      const layer = analysis.layers[i]!;
      lines.push(`  ${printable(layer.name)}: ${formatPercent(layer.energyShare)} of energy, ${layer.bound}-bound`);
    }
  }
  if (analysis.unknownOps.length > 0) {
    lines.push('', 'Cost unknown (listed, not counted in the totals):');
    for (const line of unknownOpLines(analysis)) lines.push(`  ${printable(line)}`);
  }
  const partial = analysis.layers.filter((l) => l.confidence === 'partial').length;
  if (partial > 0) lines.push('', `${partial} layer(s) marked + have a partial cost (see --format json, "note").`);
  if (analysis.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const warning of analysis.warnings) lines.push(`  ${printable(warning)}`);
  }
  return `${lines.join('\n')}\n`;
}
