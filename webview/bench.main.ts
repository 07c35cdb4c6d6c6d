// The benchmark panel's page: measured latency, memory and energy (with its meter), per-layer
// measured versus estimated time, variants, caps; export as PNG, HTML and JSON.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Chart } from 'chart.js';
import type { BenchView, HostToWebview } from '../src/core/protocol';
import { formatBytes, formatEnergy } from '../src/core/report/units';
import { capPareto, latencyHistogram, measuredVersusEstimated, variants } from './lib/benchCharts';
import { energyByLayer, roofline } from './lib/charts';
import { append, clear, el, h } from './lib/dom';
import { connect } from './lib/host';

interface BenchState {
  bench: BenchView;
}

const host = connect<BenchState>();
const app = document.getElementById('app')!;
let charts: Chart[] = [];
let nextRequest = 1;

function stat(label: string, value: string, kind: 'measured' | 'estimated'): HTMLElement {
  return h('div', { class: `stat ${kind}`, title: kind }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, `${label} · ${kind}`));
}

function figure(title: string, wide = false): HTMLCanvasElement {
  const canvas = h('canvas');
  app.appendChild(h('figure', { class: `chart${wide ? ' wide' : ''}` }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas)));
  return canvas;
}

function exportButtons(b: BenchView): HTMLElement {
  const button = (label: string, run: () => void) => {
    const e = el('vscode-button', { secondary: '' }, label);
    e.addEventListener('click', run);
    return e;
  };
  return h(
    'div',
    { class: 'toolbar' },
    button('Export PNG', () => {
      const first = app.querySelector('canvas');
      if (first) host.post({ type: 'export', requestId: nextRequest++, format: 'png', content: first.toDataURL('image/png') });
    }),
    button('Export HTML', () => host.post({ type: 'export', requestId: nextRequest++, format: 'html', content: `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"></head><body>${snapshotHtml()}</body></html>` })),
    button('Export JSON', () => host.post({ type: 'export', requestId: nextRequest++, format: 'json', content: JSON.stringify(b, null, 2) })),
    button('Benchmark again', () => host.post({ type: 'runAction', action: 'benchmark' })),
  );
}

/** The page as static HTML: text through the DOM serializer, charts as PNG images. */
function snapshotHtml(): string {
  const copy = app.cloneNode(true) as HTMLElement;
  const originals = app.querySelectorAll('canvas');
  copy.querySelectorAll('canvas').forEach((c, i) => {
    const img = document.createElement('img');
    img.src = originals[i]!.toDataURL('image/png');
    img.width = originals[i]!.width;
    c.replaceWith(img);
  });
  copy.querySelectorAll('vscode-button').forEach((b) => b.remove());
  return copy.innerHTML;
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
      stat(`energy / inference (${b.energy.source})`, formatEnergy(b.energy.joulesPerInference), energyKind),
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
  } else if (m.type === 'error') {
    app.appendChild(h('div', { class: 'error' }, m.message));
  }
});
const restored = host.state().bench;
if (restored) render(restored);
host.post({ type: 'ready' });
