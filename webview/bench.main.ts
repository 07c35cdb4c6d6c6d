// The benchmark panel's page: measured latency, memory and energy (with its meter), per-layer
// measured versus estimated time, variants, caps; export as PNG, HTML and JSON.
import type { Chart } from 'chart.js';
import type { BenchView, HostToWebview } from '../src/core/protocol';
import { formatBytes, formatEnergy } from '../src/core/report/units';
import { capPareto, latencyHistogram, measuredVersusEstimated, variants } from './lib/benchCharts';
import { energyByLayer, roofline } from './lib/charts';
import { button, spinner } from './lib/controls';
import { append, clear, h } from './lib/dom';
import { connect } from './lib/host';
import { snapshotHtml } from './lib/snapshot';

interface BenchState {
  bench: BenchView;
}

const host = connect<BenchState>();
const app = document.getElementById('app')!;
let charts: Chart[] = [];
let nextRequest = 1;

function stat(label: string, value: string, kind: 'measured' | 'estimated', tag: string = kind): HTMLElement {
  return h('div', { class: `stat ${kind}`, title: kind }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, `${label} · ${tag}`));
}

function figure(title: string, wide = false): HTMLCanvasElement {
  const canvas = h('canvas');
  app.appendChild(h('figure', { class: `chart${wide ? ' wide' : ''}` }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas)));
  return canvas;
}

function exportButtons(b: BenchView): HTMLElement {
  const post = (format: 'png' | 'html' | 'json', content: string | undefined) => {
    if (content) host.post({ type: 'export', requestId: nextRequest++, format, content });
  };
  return h(
    'div',
    { class: 'toolbar' },
    button('Export PNG', () => post('png', app.querySelector('canvas')?.toDataURL('image/png')), { secondary: true, title: 'Save the latency histogram as PNG' }),
    button('Export HTML', () => post('html', snapshotHtml(app, `Benchmark: ${b.label}`)), { secondary: true, title: 'Save this page as a static HTML file' }),
    button('Export JSON', () => post('json', JSON.stringify(b, null, 2)), { secondary: true, title: 'Save the results as JSON' }),
    button('Input values…', () => host.post({ type: 'runAction', action: 'inputs' }), { secondary: true, title: 'Give real values (a number or a .npy/.pb/.json file) for the model\'s inputs; the rest are generated' }),
    button('Benchmark again', () => host.post({ type: 'runAction', action: 'benchmark' }), { secondary: true }),
  );
}

function render(b: BenchView): void {
  for (const c of charts) c.destroy();
  charts = [];
  clear(app);
  const energyKind = b.energy.source === 'estimate' ? 'estimated' : 'measured';
  append(
    app,
    h('h1', {}, `Benchmark: ${b.label}`),
    exportButtons(b),
    h(
      'div',
      { class: 'stats' },
      stat('p50 latency', `${b.latencyMs.p50.toFixed(3)} ms`, 'measured'),
      stat('p90 / p99', `${b.latencyMs.p90.toFixed(3)} / ${b.latencyMs.p99.toFixed(3)} ms`, 'measured'),
      stat('min / max', `${b.latencyMs.min.toFixed(3)} / ${b.latencyMs.max.toFixed(3)} ms`, 'measured'),
      stat('throughput', `${b.throughputPerS.toFixed(1)} /s`, 'measured'),
      stat('peak memory (RSS)', formatBytes(b.peakRssBytes), 'measured'),
      stat('session load', `${b.sessionLoadMs.toFixed(1)} ms`, 'measured'),
      stat('energy / inference', formatEnergy(b.energy.joulesPerInference), energyKind, b.energy.source === 'estimate' ? 'estimated' : `measured (${b.energy.source})`),
    ),
    b.energy.note ? h('p', { class: 'note' }, b.energy.note) : undefined,
  );
  const protocol = h('table', { class: 'kv protocol' });
  for (const [k, v] of Object.entries(b.protocol)) protocol.appendChild(h('tr', {}, h('th', {}, k), h('td', {}, String(v))));
  app.appendChild(h('details', {}, h('summary', {}, 'Protocol (what makes runs comparable)'), protocol));

  charts.push(latencyHistogram(figure('Latency histogram (measured)'), b));
  if (b.layers.length > 0) charts.push(measuredVersusEstimated(figure('Time per layer: measured versus estimated'), b));
  if (b.analysis) {
    charts.push(energyByLayer(figure('Energy breakdown of the top layers (estimated)'), b.analysis.layers));
    charts.push(roofline(figure('Roofline: layers as points'), b.analysis, undefined, new Map(b.layers.filter((l) => l.measuredMs).map((l) => [l.name, l.measuredMs!]))));
  }
  if (b.variants.length > 1) charts.push(variants(figure('Variants side by side'), b));
  if (b.caps.length > 0) charts.push(capPareto(figure('Energy versus latency under power caps'), b));
}

host.onMessage((m: HostToWebview) => {
  if (m.type === 'bench') {
    host.saveState({ bench: m.bench });
    render(m.bench);
  } else if (m.type === 'error' || m.type === 'busy') {
    // One status line at the top; the next results replace the whole page, status included.
    app.querySelector(':scope > .status')?.remove();
    const line = m.type === 'busy' ? h('div', { class: 'status', attrs: { role: 'status' } }, spinner(), m.message) : h('div', { class: 'status error', attrs: { role: 'alert' } }, m.message);
    app.prepend(line);
  } else if (m.type === 'exported') {
    app.querySelector('.toolbar')?.appendChild(h('span', { class: 'note' }, m.path ? `Saved ${m.path}` : 'Export cancelled.'));
  }
});
const restored = host.state().bench;
if (restored) render(restored);
host.post({ type: 'ready' });
