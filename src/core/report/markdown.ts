import type { Analysis } from '../energy/analysis';
import { hotspotIndices } from './hotspots';
import { estimateHeadline, modelLine, totalsRows, unknownOpLines } from './summary';
import { printable } from './text';
import { formatBytes, formatCount, formatEnergy, formatPercent, formatSeconds, formatShapes } from './units';

/**
 * Escapes text for a Markdown table cell or paragraph: layer names come from untrusted files and
 * could otherwise close the table (`|`), open code spans, or inject HTML/links into a rendered page.
 */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>|&~]/g, (c) => `\\${c}`);
}

/** Markdown collapses leading spaces, so indented sub-rows of the totals get a visible marker. */
function subRowLabel(label: string): string {
  return label.startsWith('  ') ? `↳ ${escapeMarkdown(label.trim())}` : escapeMarkdown(label);
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const align = headers.map((_, i) => (rightAligned.has(i) ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** A Markdown report (for pull requests and CI summaries): totals, per-layer table, unknowns, warnings. */
export function renderMarkdown(analysis: Analysis): string {
  const hot = new Set(hotspotIndices(analysis));
  const lines: string[] = [
    `# Energy report: ${escapeMarkdown(analysis.model.path)}`,
    '',
    `*${escapeMarkdown(estimateHeadline(analysis))}.* ${escapeMarkdown(modelLine(analysis))}.`,
    '',
    'Every number is an estimate from a model of the hardware, not a measurement.',
    '',
    '## Totals',
    '',
    ...markdownTable(['', 'value'], totalsRows(analysis).map(([label, value]) => [subRowLabel(label), escapeMarkdown(value)]), new Set([1])),
    '',
    '## Layers',
    '',
  ];
  const headers = ['#', 'layer', 'op', 'output', 'MACs', 'weights', 'energy', 'compute', 'on-chip', 'off-chip', 'static', 'latency', 'bound', 'share'];
  const rows = analysis.layers.map((layer, i) => [
    String(i + 1),
    hot.has(i) ? `**${escapeMarkdown(layer.name)}** 🔥` : escapeMarkdown(layer.name),
    escapeMarkdown(layer.domain ? `${layer.opType} (${layer.domain})` : layer.opType),
    escapeMarkdown(formatShapes(layer.outputShapes)),
    layer.confidence === 'unknown' ? '?' : escapeMarkdown(formatCount(layer.macs) + (layer.confidence === 'partial' ? '+' : '')),
    escapeMarkdown(formatBytes(layer.bytes.weights)),
    escapeMarkdown(formatEnergy(layer.energy.totalJ)),
    escapeMarkdown(formatEnergy(layer.energy.computeJ)),
    escapeMarkdown(formatEnergy(layer.energy.onChipJ)),
    escapeMarkdown(formatEnergy(layer.energy.offChipJ)),
    escapeMarkdown(formatEnergy(layer.energy.staticJ)),
    escapeMarkdown(formatSeconds(layer.latencyS)),
    layer.bound,
    escapeMarkdown(formatPercent(layer.energyShare)),
  ]);
  lines.push(...markdownTable(headers, rows, new Set([0, 4, 5, 6, 7, 8, 9, 10, 11, 13])));
  if (hot.size > 0) lines.push('', '🔥 marks hotspots (the layers that hold most of the energy).');
  if (analysis.unknownOps.length > 0) {
    lines.push('', '## Cost unknown', '', 'These operators are listed, not counted in the totals:', '');
    for (const line of unknownOpLines(analysis)) lines.push(`- ${escapeMarkdown(line)}`);
  }
  if (analysis.warnings.length > 0) {
    lines.push('', '## Warnings', '');
    for (const warning of analysis.warnings) lines.push(`- ${escapeMarkdown(warning)}`);
  }
  return `${lines.join('\n')}\n`;
}
