// chart.js charts of an analysis or a benchmark, coloured from the theme. Each function owns one
// canvas and returns the Chart so the page can destroy it before drawing again.
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { Analysis, LayerAnalysis } from '../../src/core/energy/analysis';
import { formatBytes, formatCount, formatEnergy } from '../../src/core/report/units';
import { COMPONENTS, COMPONENT_LABELS, componentColor, palette } from './theme';

Chart.register(...registerables);

type TickFormat = (value: number) => string;

/** Tick labels in the report's units; on a log axis only at powers of ten (the rest crowd the axis). */
export function ticks(format: TickFormat, log = false): { callback: (value: number | string) => string | undefined; autoSkip?: boolean } {
  return {
    callback: (value) => {
      const v = Number(value);
      if (log && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) > 1e-9) return undefined;
      return format(v);
    },
  };
}

/** Plain numbers: 0.01, 1, 1k, 1M. */
export const plain: TickFormat = (v) => (v >= 1000 ? formatCount(v) : String(Number(v.toPrecision(3))));

/** Options every chart shares; sets chart.js's default text and grid colours from the theme first. */
export function baseOptions(): { responsive: true; maintainAspectRatio: false; animation: false } {
  const p = palette();
  Chart.defaults.color = p.foreground;
  Chart.defaults.borderColor = p.grid;
  return { responsive: true, maintainAspectRatio: false, animation: false };
}

/** Category labels cut to their last 40 characters (a layer's path ends with what tells it apart). */
export function shortLabel(labels: readonly string[]): (value: number | string) => string {
  return (value) => {
    const label = labels[Number(value)] ?? String(value);
    return label.length > 40 ? `…${label.slice(-39)}` : label;
  };
}

/** Energy of the top-N layers, stacked by component (compute / on-chip / off-chip / static). */
export function energyByLayer(canvas: HTMLCanvasElement, layers: readonly LayerAnalysis[], top = 15): Chart {
  const p = palette();
  const ranked = [...layers].sort((a, b) => b.energy.totalJ - a.energy.totalJ).slice(0, top);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: ranked.map((l) => l.name),
      datasets: COMPONENTS.map((c) => ({ label: COMPONENT_LABELS[c], data: ranked.map((l) => l.energy[c]), backgroundColor: componentColor(p, c), stack: 'e' })),
    },
    options: { ...baseOptions(), indexAxis: 'y', scales: { x: { stacked: true, ticks: ticks(formatEnergy), title: { display: true, text: 'energy per inference (estimated)' } }, y: { stacked: true, ticks: { autoSkip: false, callback: shortLabel(ranked.map((l) => l.name)) } } } },
  });
}

/** Bytes moved per memory level over the whole model. */
export function bytesByLevel(canvas: HTMLCanvasElement, analysis: Analysis): Chart {
  const p = palette();
  const totals = new Map<string, number>();
  for (const l of analysis.layers) for (const [level, bytes] of Object.entries(l.bytes.byLevel)) totals.set(level, (totals.get(level) ?? 0) + bytes);
  const colors = [p.onChip, p.compute, p.static, p.offChip, p.estimated];
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [...totals.keys()], datasets: [{ label: 'bytes moved per inference (estimated)', data: [...totals.values()], backgroundColor: [...totals.keys()].map((_, i) => colors[i % colors.length]!) }] },
    options: { ...baseOptions(), plugins: { legend: { display: false } }, scales: { y: { type: 'logarithmic', ticks: ticks(formatBytes, true), title: { display: true, text: 'bytes per inference' } } } },
  });
}

/**
 * Roofline: layers as points (arithmetic intensity, attained FLOP/s), with the profile's roof when
 * the analysis carries it; `highlight` marks one layer.
 */
function point(l: LayerAnalysis, seconds: number): { x: number; y: number } {
  return { x: Math.max(l.intensity, 1e-3), y: seconds > 0 ? l.flops / seconds : 0 };
}

/** Which dataset of a roofline chart marks the highlighted layer, and for which analysis. */
const highlightSlots = new WeakMap<Chart, { analysis: Analysis; dataset: number }>();

export function roofline(canvas: HTMLCanvasElement, analysis: Analysis, highlight?: number, measuredMs?: ReadonlyMap<string, number>): Chart {
  const p = palette();
  const estimated = analysis.layers.filter((l) => l.flops > 0 && l.latencyS > 0);
  const datasets: NonNullable<ChartConfiguration<'scatter'>['data']>['datasets'] = [
    { label: 'layers (estimated)', data: estimated.map((l) => point(l, l.latencyS)), backgroundColor: p.estimated, pointRadius: 3 },
  ];
  if (measuredMs) {
    const measured = estimated.filter((l) => (measuredMs.get(l.name) ?? 0) > 0);
    datasets.push({ label: 'layers (measured)', data: measured.map((l) => point(l, measuredMs.get(l.name)! / 1000)), backgroundColor: p.measured, pointRadius: 3 });
  }
  let slot = -1;
  if (highlight !== undefined && analysis.layers[highlight]) {
    const l = analysis.layers[highlight]!;
    slot = datasets.push({ label: l.name, data: [point(l, l.latencyS)], backgroundColor: p.highlight, pointRadius: 7 }) - 1;
  }
  const roof = analysis.profile.roofline;
  if (roof) {
    const ridge = roof.peakFlopsPerS / roof.offChipBytesPerS;
    const xs = [1e-2, ridge, Math.max(ridge * 100, 1e4)];
    datasets.push({ label: `roofline (${roof.precision})`, data: xs.map((x) => ({ x, y: Math.min(roof.peakFlopsPerS, x * roof.offChipBytesPerS) })), borderColor: p.foreground, backgroundColor: p.foreground, pointRadius: 0, showLine: true });
  }
  const chart = new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      ...baseOptions(),
      scales: {
        x: { type: 'logarithmic', ticks: ticks(plain, true), title: { display: true, text: 'arithmetic intensity (FLOP per off-chip byte)' } },
        y: { type: 'logarithmic', ticks: ticks((v) => (v >= 1000 ? `${formatCount(v)}FLOP/s` : `${formatCount(v)} FLOP/s`), true), title: { display: true, text: 'attained FLOP/s' } },
      },
    },
  });
  if (slot >= 0) highlightSlots.set(chart, { analysis, dataset: slot });
  return chart;
}

/**
 * Moves the highlighted point of a roofline drawn with `highlight` to another layer of the same
 * analysis without rebuilding the chart (thousands of points). False when it cannot.
 */
export function moveRooflineHighlight(chart: Chart, analysis: Analysis, index: number): boolean {
  const slot = highlightSlots.get(chart);
  const l = analysis.layers[index];
  const dataset = slot && slot.analysis === analysis ? chart.data.datasets[slot.dataset] : undefined;
  if (!dataset || !l) return false;
  dataset.label = l.name;
  dataset.data = [point(l, l.latencyS)];
  chart.update('none');
  return true;
}

