import type { Analysis } from '../../energy/analysis';
import { hotspotIndices } from '../hotspots';
import { estimateHeadline, modelLine, uncertaintyLine, unknownOpLines, withBand } from '../summary';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatPercent, formatSeconds, formatShapes } from '../units';
import { energyBreakdownChart, memoryLevelChart } from './breakdownCharts';
import { energyByLayerChart } from './energyByLayerChart';
import { escapeHtml } from './escape';
import { card, htmlPage, htmlTable } from './page';
import { rooflineChart, type Roof } from './rooflineChart';
import { categoryLegend } from './svg';

export interface HtmlOptions {
  /** Roof lines for the roofline chart (default: `analysis.profile.roofline`); without one only the points are drawn. */
  readonly roof?: Roof;
  /** Bars in the energy-by-layer chart before the rest is merged. */
  readonly maxBars?: number;
}

function layerTable(analysis: Analysis): string {
  const hot = new Set(hotspotIndices(analysis));
  const headers = ['#', 'layer', 'op', 'output', 'MACs', 'weights', 'energy', 'compute', 'on-chip', 'off-chip', 'static', 'latency', 'bound', 'share', 'confidence'];
  const rows = analysis.layers.map((l, i) => ({
    className: hot.has(i) ? 'hot' : undefined,
    cells: [
      String(i + 1),
      l.name,
      l.domain ? `${l.opType} (${l.domain})` : l.opType,
      formatShapes(l.outputShapes),
      l.confidence === 'unknown' ? '?' : formatCount(l.macs),
      formatBytes(l.bytes.weights),
      formatEnergy(l.energy.totalJ),
      formatEnergy(l.energy.computeJ),
      formatEnergy(l.energy.onChipJ),
      formatEnergy(l.energy.offChipJ),
      formatEnergy(l.energy.staticJ),
      formatSeconds(l.latencyS),
      l.bound,
      formatPercent(l.energyShare),
      l.note ? `${l.confidence}: ${l.note}` : l.confidence,
    ],
  }));
  return htmlTable(headers, rows, new Set([0, 4, 5, 6, 7, 8, 9, 10, 11, 13]), 1, 'layers');
}

/** The analysis as one self-contained HTML page: totals, three charts, hotspots, per-layer table. */
export function renderHtml(analysis: Analysis, options: HtmlOptions = {}): string {
  const t = analysis.totals;
  const s = analysis.settings;
  const hot = hotspotIndices(analysis);
  const parts: string[] = [
    `<h1>Energy report: ${escapeHtml(analysis.model.path)}</h1>`,
    `<p class="sub">${escapeHtml(estimateHeadline(analysis))}<br>${escapeHtml(modelLine(analysis))}</p>`,
    '<div class="cards">',
    card('Energy per inference', withBand(formatEnergy(t.energy.totalJ), t.uncertainty?.energyJ, t.uncertainty?.logError, formatEnergy)),
    card('Latency per inference', withBand(formatSeconds(t.latencyS), t.uncertainty?.latencyS, t.uncertainty?.logError, formatSeconds)),
    card('MACs', formatCount(t.macs)),
    card('CO2e per inference', formatGrams(t.co2eGrams)),
    card('Per 1M inferences', `${formatEnergy(t.per1M.energyJ)} · ${formatGrams(t.per1M.co2eGrams)}`),
    card('Data movement share', formatPercent(t.energy.totalJ > 0 ? (t.energy.onChipJ + t.energy.offChipJ) / t.energy.totalJ : 0)),
    '</div>',
    ...(uncertaintyLine(analysis) === undefined ? [] : [`<p class="note">${escapeHtml(uncertaintyLine(analysis)!)}</p>`]),
    `<p class="note">Carbon for grid ${escapeHtml(s.gridRegion)} at ${escapeHtml(String(s.gridIntensityGPerKWh))} g CO2e/kWh, PUE ${escapeHtml(String(s.pue))}.</p>`,
    '<h2>Energy by layer</h2>',
    categoryLegend(),
    energyByLayerChart(analysis, options.maxBars),
    '<div class="charts">',
    `<section><h2>Energy by category</h2>${energyBreakdownChart(analysis)}</section>`,
    `<section><h2>Bytes by memory level <small class="caption">(log scale)</small></h2>${memoryLevelChart(analysis)}</section>`,
    '</div>',
    '<h2>Roofline</h2>',
    rooflineChart(analysis, options.roof ?? analysis.profile.roofline),
  ];
  if (hot.length > 0) {
    parts.push('<h2>Hotspots</h2><ul>');
    for (const i of hot) {
      const l = analysis.layers[i]!;
      parts.push(`<li><strong>${escapeHtml(l.name)}</strong> (${escapeHtml(l.opType)}): ${escapeHtml(formatPercent(l.energyShare))} of the energy, ${escapeHtml(l.bound)}-bound</li>`);
    }
    parts.push('</ul>');
  }
  if (analysis.unknownOps.length > 0) {
    parts.push('<h2>Cost unknown</h2><p>Listed, not counted in the totals:</p><ul>');
    for (const lineText of unknownOpLines(analysis)) parts.push(`<li>${escapeHtml(lineText)}</li>`);
    parts.push('</ul>');
  }
  if (analysis.warnings.length > 0) {
    parts.push('<h2>Warnings</h2><ul>');
    for (const warning of analysis.warnings) parts.push(`<li>${escapeHtml(warning)}</li>`);
    parts.push('</ul>');
  }
  parts.push('<h2>Layers</h2>', `<div class="scroll">${layerTable(analysis)}</div>`);
  return htmlPage(`Joule: ${analysis.model.path}`, parts.join('\n'));
}
