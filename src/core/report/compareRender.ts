import type { LayerAnalysis } from '../energy/analysis';
import type { Comparison, MetricRow } from './compare';
import { csvLine } from './csv';
import { canonicalize } from './json';
import { escapeMarkdown, markdownTable } from './markdown';
import { alignColumns, printable, truncateMiddle, type Column } from './text';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatSeconds } from './units';

/** Text renderers of a Comparison: table, Markdown, CSV and JSON (HTML is in html/compareHtml.ts). */

export function formatMetric(unit: MetricRow['unit'], value: number): string {
  switch (unit) {
    case 'J':
      return formatEnergy(value);
    case 's':
      return formatSeconds(value);
    case 'bytes':
      return formatBytes(value);
    case 'g':
      return formatGrams(value);
    case 'count':
      return formatCount(value);
  }
}

/** "−42.0%" / "+3.1%" / "=" / "new" — B relative to A. */
export function formatChange(a: number, b: number): string {
  if (a === b) return '=';
  if (a === 0) return 'new';
  const pct = ((b - a) / a) * 100;
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

/** "2.31× less" / "1.20× more" of B against A, or '' when either is 0. */
export function formatRatio(a: number, b: number): string {
  if (a === 0 || b === 0 || a === b) return '';
  return b < a ? `${(a / b).toFixed(2)}× less` : `${(b / a).toFixed(2)}× more`;
}

function kindLine(c: Comparison): string {
  if (c.kind === 'profiles') return `${c.a.model.path} on ${c.a.profile.name} (A) versus ${c.b.profile.name} (B)`;
  if (c.kind === 'models') return `${c.a.model.path} (A) versus ${c.b.model.path} (B), both on ${c.a.profile.name}`;
  return `${c.a.model.path} on ${c.a.profile.name} (A) versus ${c.b.model.path} on ${c.b.profile.name} (B)`;
}

function layerEnergy(layer: LayerAnalysis | undefined): string {
  return layer ? formatEnergy(layer.energy.totalJ) : '—';
}

export function renderCompareTable(c: Comparison): string {
  const totalColumns: Column[] = [
    { header: 'metric', align: 'left' },
    { header: `A: ${truncateMiddle(printable(c.labelA), 30)}`, align: 'right' },
    { header: `B: ${truncateMiddle(printable(c.labelB), 30)}`, align: 'right' },
    { header: 'B vs A', align: 'right' },
    { header: '', align: 'left' },
  ];
  const totalRows = c.totals.map((r) => [r.metric, formatMetric(r.unit, r.a), formatMetric(r.unit, r.b), formatChange(r.a, r.b), formatRatio(r.a, r.b)]);
  const layerColumns: Column[] = [
    { header: 'layer', align: 'left' },
    { header: 'op', align: 'left' },
    { header: 'A energy', align: 'right' },
    { header: 'B energy', align: 'right' },
    { header: 'change', align: 'right' },
    { header: 'A bound', align: 'left' },
    { header: 'B bound', align: 'left' },
  ];
  const layerRows = c.layers.map((p) => [
    truncateMiddle(printable(p.key), 40),
    printable((p.a ?? p.b)?.opType ?? ''),
    layerEnergy(p.a),
    layerEnergy(p.b),
    p.a && p.b ? formatChange(p.a.energy.totalJ, p.b.energy.totalJ) : p.a ? 'only in A' : 'only in B',
    p.a?.bound ?? '',
    p.b?.bound ?? '',
  ]);
  const lines = [
    `Joule comparison: ${printable(kindLine(c))}`,
    'Every number below is an estimate from a model of the hardware, not a measurement.',
    '',
    ...alignColumns(totalColumns, totalRows),
    '',
    ...alignColumns(layerColumns, layerRows),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderCompareMarkdown(c: Comparison): string {
  const lines = [
    '# Energy comparison',
    '',
    `${escapeMarkdown(kindLine(c))}. Every number is an estimate, not a measurement.`,
    '',
    ...markdownTable(
      ['metric', `A: ${escapeMarkdown(c.labelA)}`, `B: ${escapeMarkdown(c.labelB)}`, 'B vs A'],
      c.totals.map((r) => [r.metric, escapeMarkdown(formatMetric(r.unit, r.a)), escapeMarkdown(formatMetric(r.unit, r.b)), escapeMarkdown(`${formatChange(r.a, r.b)} ${formatRatio(r.a, r.b)}`.trim())]),
      new Set([1, 2, 3]),
    ),
    '',
    '## Layers',
    '',
    ...markdownTable(
      ['layer', 'op', 'A energy', 'B energy', 'change', 'A bound', 'B bound'],
      c.layers.map((p) => [
        escapeMarkdown(p.key),
        escapeMarkdown((p.a ?? p.b)?.opType ?? ''),
        escapeMarkdown(layerEnergy(p.a)),
        escapeMarkdown(layerEnergy(p.b)),
        escapeMarkdown(p.a && p.b ? formatChange(p.a.energy.totalJ, p.b.energy.totalJ) : p.a ? 'only in A' : 'only in B'),
        p.a?.bound ?? '',
        p.b?.bound ?? '',
      ]),
      new Set([2, 3, 4]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** One row per matched layer with both sides' raw numbers (J, s). */
export function renderCompareCsv(c: Comparison): string {
  const header = ['layer', 'opType', 'aTotalJ', 'bTotalJ', 'aComputeJ', 'bComputeJ', 'aOnChipJ', 'bOnChipJ', 'aOffChipJ', 'bOffChipJ', 'aStaticJ', 'bStaticJ', 'aLatencyS', 'bLatencyS', 'aBound', 'bBound'];
  const rows = c.layers.map((p) => [
    p.key,
    (p.a ?? p.b)?.opType,
    p.a?.energy.totalJ,
    p.b?.energy.totalJ,
    p.a?.energy.computeJ,
    p.b?.energy.computeJ,
    p.a?.energy.onChipJ,
    p.b?.energy.onChipJ,
    p.a?.energy.offChipJ,
    p.b?.energy.offChipJ,
    p.a?.energy.staticJ,
    p.b?.energy.staticJ,
    p.a?.latencyS,
    p.b?.latencyS,
    p.a?.bound,
    p.b?.bound,
  ]);
  return [header, ...rows].map(csvLine).join('\r\n') + '\r\n';
}

/** The comparison as JSON: the metric rows, the layer pairing (by name) and both full analyses. */
export function renderCompareJson(c: Comparison): string {
  // Top-level keys in reading order; each part canonicalized under its own key's order.
  const document = {
    kind: 'comparison',
    comparison: c.kind,
    labelA: c.labelA,
    labelB: c.labelB,
    metrics: canonicalize(c.totals, 'metrics'),
    layerPairs: canonicalize(
      c.layers.map((p) => ({ name: p.key, opType: (p.a ?? p.b)?.opType, aTotalJ: p.a?.energy.totalJ ?? null, bTotalJ: p.b?.energy.totalJ ?? null })),
      'layerPairs',
    ),
    analysisA: canonicalize(c.a, 'analysisA'),
    analysisB: canonicalize(c.b, 'analysisB'),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
