// Charts of the benchmark panel: latency histogram, measured versus estimated per layer, variants,
// and energy versus latency under caps. Measured and estimated numbers never share a colour.
import { Chart } from 'chart.js';
import type { BenchView } from '../../src/core/protocol';
import { baseOptions, shortLabel } from './charts';
import { palette } from './theme';


export function latencyHistogram(canvas: HTMLCanvasElement, b: BenchView): Chart {
  const p = palette();
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: b.histogram.map((bin) => `${bin.fromMs.toFixed(2)}–${bin.toMs.toFixed(2)}`), datasets: [{ label: 'runs (measured)', data: b.histogram.map((bin) => bin.count), backgroundColor: p.measured }] },
    options: { ...baseOptions(), plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'latency, ms' } }, y: { title: { display: true, text: 'runs' } } } },
  });
}

export function measuredVersusEstimated(canvas: HTMLCanvasElement, b: BenchView, top = 15): Chart {
  const p = palette();
  const layers = [...b.layers].sort((x, y) => (y.measuredMs ?? 0) - (x.measuredMs ?? 0)).slice(0, top);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: layers.map((l) => l.name),
      datasets: [
        { label: 'measured (onnxruntime profile)', data: layers.map((l) => l.measuredMs ?? 0), backgroundColor: p.measured },
        { label: 'estimated (roofline)', data: layers.map((l) => l.estimatedMs ?? 0), backgroundColor: p.estimated },
      ],
    },
    options: { ...baseOptions(), indexAxis: 'y', scales: { x: { title: { display: true, text: 'ms per inference' } }, y: { ticks: { autoSkip: false, callback: shortLabel(layers.map((l) => l.name)) } } } },
  });
}

export function variants(canvas: HTMLCanvasElement, b: BenchView): Chart {
  const p = palette();
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: b.variants.map((v) => v.label),
      datasets: [
        { label: 'p50 latency, ms (measured)', data: b.variants.map((v) => v.latencyP50Ms), backgroundColor: p.measured, yAxisID: 'ms' },
        { label: `energy per inference, mJ (${[...new Set(b.variants.map((v) => (v.energySource === 'estimate' ? 'estimated' : `measured, ${v.energySource}`)))].join(' / ')})`, data: b.variants.map((v) => v.energyJ * 1000), backgroundColor: p.estimated, yAxisID: 'mj' },
      ],
    },
    options: { ...baseOptions(), scales: { ms: { position: 'left', title: { display: true, text: 'ms' } }, mj: { position: 'right', title: { display: true, text: 'mJ' }, grid: { drawOnChartArea: false } } } },
  });
}

/** Energy versus latency: measured cap points, modelled ones, and the Pareto front joined by a line. */
export function capPareto(canvas: HTMLCanvasElement, b: BenchView): Chart {
  const p = palette();
  const point = (c: BenchView['caps'][number]) => ({ x: c.latencyMs, y: c.energyJ * 1000, label: c.label });
  const measured = b.caps.filter((c) => c.measured).map(point);
  const modelled = b.caps.filter((c) => !c.measured).map(point);
  const all = [...measured, ...modelled].sort((a, c) => a.x - c.x);
  const front: typeof all = [];
  for (const pt of all) if (front.length === 0 || pt.y < front[front.length - 1]!.y) front.push(pt);
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'measured caps', data: measured, backgroundColor: p.measured, pointRadius: 5 },
        { label: 'modelled caps (estimated)', data: modelled, backgroundColor: p.estimated, pointRadius: 4 },
        { label: 'Pareto front', data: front, borderColor: p.foreground, backgroundColor: p.foreground, showLine: true, pointRadius: 0 },
      ],
    },
    options: {
      ...baseOptions(),
      plugins: { tooltip: { callbacks: { label: (ctx) => `${(ctx.raw as { label?: string }).label ?? ''}: ${(ctx.parsed.x ?? 0).toFixed(3)} ms, ${(ctx.parsed.y ?? 0).toFixed(4)} mJ` } } },
      scales: { x: { title: { display: true, text: 'latency, ms' } }, y: { title: { display: true, text: 'energy per inference, mJ' } } },
    },
  });
}
