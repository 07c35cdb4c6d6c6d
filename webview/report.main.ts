// The model report editor's page: totals, profile picker, per-layer table, details and charts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { Chart } from 'chart.js';
import type { Analysis } from '../src/core/energy/analysis';
import type { AdviceView, HostToWebview, ProfileChoice } from '../src/core/protocol';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatSeconds } from '../src/core/report/units';
import { bytesByLevel, energyByLayer } from './lib/charts';
import { append, clear, el, h } from './lib/dom';
import { connect } from './lib/host';
import { LayerTable } from './lib/layerTable';
import { layerDetails } from './lib/layerDetails';
import { DEFAULT_QUERY, opTypes, type TableQuery } from './lib/tableModel';

interface ReportState {
  query: TableQuery;
  selected: number;
  scrollTop: number;
}

const host = connect<ReportState>();
const saved = host.state();
const app = document.getElementById('app')!;
let charts: Chart[] = [];
let current: { analysis: Analysis; profiles: readonly ProfileChoice[]; advice: readonly AdviceView[] } | undefined;
let query: TableQuery = saved.query ?? DEFAULT_QUERY;

const status = h('div', { class: 'status', attrs: { role: 'status' } });
const header = h('header', { class: 'totals' });
const toolbar = h('div', { class: 'toolbar' });
const details = h('aside', { class: 'details', attrs: { 'aria-label': 'Layer details' } });
const table = new LayerTable(query, {
  onSelect: (i) => showDetails(i),
  onOpen: (i) => showDetails(i),
  onQueryChange: (q) => {
    query = q;
    host.saveState({ query });
  },
});
const chartsRow = h('section', { class: 'charts' });
const notes = h('section', { class: 'notes' });
append(app, status, header, toolbar, h('div', { class: 'main' }, table.element, details), chartsRow, notes);

function stat(label: string, value: string, title?: string): HTMLElement {
  return h('div', { class: 'stat', title }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

function renderTotals(a: Analysis): void {
  clear(header);
  const t = a.totals;
  append(
    header,
    h('div', { class: 'estimate-label' }, `Estimated on ${a.profile.name} (${a.profile.id}) · batch ${a.settings.batch} · grid ${a.settings.gridRegion} ${a.settings.gridIntensityGPerKWh} g/kWh · PUE ${a.settings.pue}`),
    h(
      'div',
      { class: 'stats' },
      stat('energy / inference', formatEnergy(t.energy.totalJ), `compute ${formatEnergy(t.energy.computeJ)}, on-chip ${formatEnergy(t.energy.onChipJ)}, off-chip ${formatEnergy(t.energy.offChipJ)}, static ${formatEnergy(t.energy.staticJ)}`),
      stat('per 1k inferences', formatEnergy(t.per1k.energyJ)),
      stat('CO2e per 1k', formatGrams(t.per1k.co2eGrams)),
      stat('latency', formatSeconds(t.latencyS)),
      stat('MACs', formatCount(t.macs)),
      stat('params', formatCount(a.model.params)),
      stat('weights', formatBytes(a.model.weightBytes)),
    ),
    splitLegend(a),
  );
}

function splitLegend(a: Analysis): HTMLElement {
  const e = a.totals.energy;
  const total = e.totalJ || 1;
  const bar = h('div', { class: 'split-bar big', title: 'Energy per inference by component' });
  const legend = h('div', { class: 'legend' });
  for (const [v, cls, label] of [[e.computeJ, 'compute', 'compute'], [e.onChipJ, 'onchip', 'on-chip data'], [e.offChipJ, 'offchip', 'off-chip data'], [e.staticJ, 'static', 'static']] as const) {
    const seg = h('span', { class: `seg ${cls}` });
    seg.style.width = `${((v / total) * 100).toFixed(2)}%`;
    bar.appendChild(seg);
    legend.appendChild(h('span', { class: 'legend-item' }, h('span', { class: `swatch ${cls}` }), `${label} ${((v / total) * 100).toFixed(0)}%`));
  }
  return h('div', { class: 'split' }, bar, legend);
}

function renderToolbar(a: Analysis, profiles: readonly ProfileChoice[]): void {
  clear(toolbar);
  const profile = el('vscode-single-select', { 'aria-label': 'Hardware profile', class: 'profile-picker' });
  for (const p of profiles) profile.appendChild(el('vscode-option', p.id === a.profile.id ? { value: p.id, selected: '' } : { value: p.id }, `${p.name} (${p.id})`));
  profile.addEventListener('change', () => host.post({ type: 'selectProfile', id: (profile as HTMLSelectElement).value }));
  const filter = el('vscode-textfield', { placeholder: 'Filter layers by name or op', 'aria-label': 'Filter layers', value: query.text });
  filter.addEventListener('input', () => setQuery({ ...query, text: (filter as HTMLInputElement).value }));
  const op = el('vscode-single-select', { 'aria-label': 'Op type', class: 'op-filter' });
  op.appendChild(el('vscode-option', { value: '' }, 'all ops'));
  for (const t of opTypes(a.layers)) op.appendChild(el('vscode-option', t === query.opType ? { value: t, selected: '' } : { value: t }, t));
  op.addEventListener('change', () => setQuery({ ...query, opType: (op as HTMLSelectElement).value }));
  const action = (label: string, run: () => void, secondary = true) => {
    const b = el('vscode-button', secondary ? { secondary: '' } : {}, label);
    b.addEventListener('click', run);
    return b;
  };
  append(
    toolbar,
    h('label', {}, 'Profile '),
    profile,
    filter,
    op,
    action('Quantize…', () => host.post({ type: 'runAction', action: 'quantize' })),
    action('Prune…', () => host.post({ type: 'runAction', action: 'prune' })),
    action('Benchmark…', () => host.post({ type: 'runAction', action: 'benchmark' })),
    action('Export…', () => host.post({ type: 'runAction', action: 'export' })),
  );
}

function setQuery(q: TableQuery): void {
  query = q;
  table.setQuery(q);
  host.saveState({ query });
}

function showDetails(index: number): void {
  if (!current) return;
  host.saveState({ selected: index });
  for (const c of charts.splice(2)) c.destroy();
  clear(details);
  const { element, chart } = layerDetails(current.analysis, index, current.advice, (action, mode, layer) => host.post({ type: 'runAction', action, mode, layer }));
  details.appendChild(element);
  if (chart) charts.push(chart);
}

function renderCharts(a: Analysis): void {
  for (const c of charts) c.destroy();
  charts = [];
  clear(chartsRow);
  const box = (title: string) => {
    const canvas = h('canvas');
    chartsRow.appendChild(h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas)));
    return canvas;
  };
  charts.push(energyByLayer(box('Energy of the top layers (estimated)'), a.layers));
  charts.push(bytesByLevel(box('Bytes moved by memory level (estimated)'), a));
}

function renderNotes(a: Analysis): void {
  clear(notes);
  if (a.unknownOps.length > 0) {
    notes.appendChild(h('h3', {}, 'Cost unknown (not counted as zero)'));
    const list = h('ul');
    for (const u of a.unknownOps) list.appendChild(h('li', {}, `${u.domain ? `${u.domain}.` : ''}${u.opType} × ${u.count}: ${u.nodes.join(', ')}`));
    notes.appendChild(list);
  }
  if (a.warnings.length > 0) {
    notes.appendChild(h('h3', {}, 'Warnings'));
    const list = h('ul');
    for (const w of a.warnings) list.appendChild(h('li', {}, w));
    notes.appendChild(list);
  }
  const dims = Object.entries(a.settings.dims);
  if (dims.length > 0) notes.appendChild(h('p', { class: 'dims' }, `Symbolic dimensions bound: ${dims.map(([k, v]) => `${k}=${v}`).join(', ')} (change them in the joule.dimensions setting).`));
}

function render(message: Extract<HostToWebview, { type: 'analysis' }>): void {
  current = message;
  status.textContent = '';
  const a = message.analysis;
  renderTotals(a);
  renderToolbar(a, message.profiles);
  const hot = a.layers.map((l, i) => [l.energyShare, i] as const).filter(([s]) => s >= 0.1).map(([, i]) => i);
  table.setData(a.layers, hot);
  renderCharts(a);
  renderNotes(a);
  const selected = saved.selected !== undefined && saved.selected < a.layers.length ? saved.selected : a.layers.length > 0 ? 0 : -1;
  if (selected >= 0) {
    table.select(selected, false);
    showDetails(selected);
  }
  if (saved.scrollTop) table.scrollTop = saved.scrollTop;
}

host.onMessage((m) => {
  if (m.type === 'analysis') render(m);
  else if (m.type === 'busy') {
    clear(status);
    append(status, el('vscode-progress-ring'), m.message);
  } else if (m.type === 'error') {
    clear(status);
    status.appendChild(h('div', { class: 'error' }, m.message));
  }
});
window.addEventListener('beforeunload', () => host.saveState({ scrollTop: table.scrollTop }));
host.post({ type: 'ready' });
