// The model report editor's page: totals, profile picker, the per-layer table or the graph, details and charts.
import type { Chart } from 'chart.js';
import type { Analysis } from '../src/core/energy/analysis';
import type { AdviceView, HostToWebview, MeasuredOverlay, ProfileChoice } from '../src/core/protocol';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatSeconds } from '../src/core/report/units';
import { assumedDimsNote } from '../src/core/report/assumedDims';
import { formatBandFactor } from '../src/core/energy/uncertainty';
import { bytesByLevel, energyByLayer } from './lib/charts';
import { dimensionControls } from './lib/dimensionControls';
import { button, select, spinner, textInput } from './lib/controls';
import { append, clear, h } from './lib/dom';
import { connect } from './lib/host';
import { LayerTable } from './lib/layerTable';
import { snapshotHtml } from './lib/snapshot';
import { DetailsRoofline, layerDetails } from './lib/layerDetails';
import { DEFAULT_QUERY, opTypes, type TableQuery } from './lib/tableModel';
import { GraphPane, type GraphPaneState } from './lib/graphPane';
import { viewTabs, type ReportView } from './lib/viewTabs';

interface ReportState {
  query: TableQuery;
  selected: number;
  /** The selected layer's name: after a re-analysis (another profile) the same layer stays selected. */
  selectedName: string;
  scrollTop: number;
  view: ReportView;
  graph: GraphPaneState;
}

// The layout worker's script sits beside this one (dist/webview/); read before anything else runs.
const workerUrl = (document.currentScript as HTMLScriptElement | null)?.src.replace(/report\.js(\?.*)?$/, 'graphLayout.worker.js');

const host = connect<ReportState>();
const saved = host.state();
let nextRequest = 1;
let scrollSave: ReturnType<typeof setTimeout> | undefined;
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
  onOpen: (i) => {
    showDetails(i);
    details.scrollIntoView({ block: 'nearest' });
  },
  onQueryChange: (q) => {
    query = q;
    host.saveState({ query });
  },
  // setState crosses to the extension host: save the position once scrolling pauses, not per event.
  onScroll: (top) => {
    clearTimeout(scrollSave);
    scrollSave = setTimeout(() => host.saveState({ scrollTop: top }), 250);
  },
});
const graph = new GraphPane({
  workerUrl,
  state: saved.graph ?? {},
  onSelectLayer: (i) => {
    table.select(i, false);
    showDetails(i, false);
  },
  onOpenLayer: (i) => {
    showDetails(i, false);
    details.scrollIntoView({ block: 'nearest' });
  },
  onExport: (format, content) => host.post({ type: 'export', requestId: nextRequest++, format, content }),
  onStateChange: (g) => host.saveState({ graph: g }),
});
const chartsRow = h('section', { class: 'charts' });
const notes = h('section', { class: 'notes' });
const main = h('div', { class: 'main' }, table.element, graph.element, details);
const tabs = viewTabs(saved.view ?? 'table', (view) => showView(view));
append(app, status, header, toolbar, tabs.element, main, chartsRow, notes);

function showView(view: ReportView): void {
  table.element.hidden = view !== 'table';
  graph.element.hidden = view !== 'graph';
  main.classList.toggle('graph-mode', view === 'graph');
  host.saveState({ view });
  if (view === 'graph') graph.shown();
  // The table was hidden while the graph moved the selection: bring the selected row into view.
  const selected = host.state().selected;
  if (view === 'table' && current && selected !== undefined && selected < current.analysis.layers.length) table.select(selected, true);
}
showView(saved.view ?? 'table');

function stat(label: string, value: string, title?: string): HTMLElement {
  return h('div', { class: 'stat', title }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

function renderTotals(a: Analysis): void {
  clear(header);
  const t = a.totals;
  // The uncertainty band's width next to each total (docs/validation.md, "Uncertainty bands").
  const pm = t.uncertainty ? ` ${formatBandFactor(t.uncertainty.logError)}` : '';
  append(
    header,
    h('div', { class: 'estimate-label' }, `Estimated on ${a.profile.name} (${a.profile.id}) · batch ${a.settings.batch} · grid ${a.settings.gridRegion} ${a.settings.gridIntensityGPerKWh} g/kWh · PUE ${a.settings.pue}`),
    a.assumedDims?.length ? h('div', { class: 'assumed-dims' }, assumedDimsNote(a.assumedDims, 'set them below')) : null,
    a.computeUnknown !== undefined ? h('div', { class: 'assumed-dims' }, `Compute unknown: set the input shape (${a.computeUnknown})`) : null,
    h(
      'div',
      { class: 'stats' },
      stat('energy / inference', formatEnergy(t.energy.totalJ) + pm, `${t.uncertainty ? `${formatEnergy(t.uncertainty.energyJ.low)} – ${formatEnergy(t.uncertainty.energyJ.high)}: ${t.uncertainty.basis}. ` : ''}compute ${formatEnergy(t.energy.computeJ)}, on-chip ${formatEnergy(t.energy.onChipJ)}, off-chip ${formatEnergy(t.energy.offChipJ)}, static ${formatEnergy(t.energy.staticJ)}`),
      stat('per 1k inferences', formatEnergy(t.per1k.energyJ)),
      stat('CO2e per 1k', formatGrams(t.per1k.co2eGrams)),
      stat('latency', formatSeconds(t.latencyS) + pm),
      stat('MACs', formatCount(t.macs)),
      stat('params', formatCount(a.model.params)),
      stat('weights', formatBytes(a.model.weightBytes)),
    ),
    splitLegend(a),
    dimensionControls(a, (m) => host.post(m)),
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
  const profileOptions = profiles.some((p) => p.id === a.profile.id) ? profiles : [{ id: a.profile.id, name: a.profile.name, kind: '' }, ...profiles];
  const profile = select(
    profileOptions.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })),
    a.profile.id,
    { label: 'Hardware profile', class: 'profile-picker' },
    (id) => host.post({ type: 'selectProfile', id }),
  );
  const filter = textInput(query.text, { label: 'Filter layers', class: 'filter', placeholder: 'Filter layers by name or op' }, (text) => setQuery({ ...query, text }));
  const types = opTypes(a.layers);
  const op = select(
    [{ value: '', label: 'all ops' }, ...types.map((t) => ({ value: t, label: t }))],
    types.includes(query.opType) ? query.opType : '',
    { label: 'Op type', class: 'op-filter' },
    (opType) => setQuery({ ...query, opType }),
  );
  const exportAs = (format: 'json' | 'html' | 'png') => {
    const content = format === 'json' ? JSON.stringify(a, null, 2) : format === 'html' ? snapshotHtml(app, `Energy report: ${a.model.path}`, (copy) => copy.querySelector('.layer-table')?.replaceWith(table.staticTable())) : chartsRow.querySelector('canvas')?.toDataURL('image/png');
    if (content) host.post({ type: 'export', requestId: nextRequest++, format, content });
  };
  append(
    toolbar,
    h('label', { class: 'picker' }, 'Profile ', profile),
    filter,
    op,
    h('span', { class: 'toolbar-gap' }),
    button('Quantize…', () => host.post({ type: 'runAction', action: 'quantize' }), { secondary: true }),
    button('Prune…', () => host.post({ type: 'runAction', action: 'prune' }), { secondary: true }),
    button('Benchmark…', () => host.post({ type: 'runAction', action: 'benchmark' }), { secondary: true }),
    button('Export…', () => host.post({ type: 'runAction', action: 'export' }), { secondary: true, title: 'Export the analysis (JSON, CSV, Markdown) with the export command' }),
    button('Export JSON', () => exportAs('json'), { secondary: true, title: 'Save this analysis as JSON' }),
    button('Export HTML', () => exportAs('html'), { secondary: true, title: 'Save this page as a static HTML file' }),
    button('Export PNG', () => exportAs('png'), { secondary: true, title: 'Save the energy chart as PNG' }),
  );
}

function setQuery(q: TableQuery): void {
  query = q;
  table.setQuery(q);
  host.saveState({ query });
}

function setStatus(...children: (Node | string)[]): void {
  clear(status);
  append(status, ...children);
}

const detailsRoofline = new DetailsRoofline();
const detailsInfo = h('div');
append(details, detailsInfo, detailsRoofline.element);

function showDetails(index: number, moveGraph = true): void {
  if (!current) return;
  if (moveGraph) graph.selectLayer(index, !graph.element.hidden);
  host.saveState({ selected: index, selectedName: current.analysis.layers[index]?.name });
  detailsInfo.replaceChildren(layerDetails(current.analysis, index, current.advice, (action, mode, layer) => host.post({ type: 'runAction', action, mode, layer })));
  detailsRoofline.element.hidden = false;
  detailsRoofline.show(current.analysis, index);
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
  if (dims.length > 0) notes.appendChild(h('p', { class: 'dims' }, `Symbolic dimensions bound: ${dims.map(([k, v]) => `${k}=${v}`).join(', ')} (set them in the Input dimensions bar above, remembered for this model, or in the joule.dimensions setting).`));
}

function render(message: Extract<HostToWebview, { type: 'analysis' }>): void {
  const first = current === undefined;
  current = message;
  clear(status);
  const a = message.analysis;
  renderTotals(a);
  renderToolbar(a, message.profiles);
  table.setData(a.layers, message.hotspots);
  main.style.setProperty('--rows', String(a.layers.length));
  void graph.setAnalysis(a, message.graph);
  renderCharts(a);
  renderNotes(a);
  // Keep the layer the user looked at (by name: a re-analysis may renumber), else the top row.
  const state = host.state();
  const byName = state.selectedName === undefined ? -1 : a.layers.findIndex((l) => l.name === state.selectedName);
  const byIndex = state.selected !== undefined && state.selected < a.layers.length ? state.selected : -1;
  const selected = byName >= 0 ? byName : byIndex >= 0 ? byIndex : (table.displayOrder[0] ?? -1);
  if (first && state.scrollTop) table.scrollTop = state.scrollTop;
  if (selected >= 0) {
    table.select(selected, !(first && state.scrollTop));
    showDetails(selected);
  } else {
    clear(detailsInfo);
    detailsRoofline.element.hidden = true;
  }
}

function showMeasured(m: MeasuredOverlay): void {
  graph.setMeasured(m);
  setStatus(`Measured times from ${m.label}: in the Graph, colour by "Time (measured)" or "Estimate ÷ measured time".`);
}

host.onMessage((m) => {
  if (m.type === 'analysis') render(m);
  else if (m.type === 'measured') showMeasured(m.measured);
  else if (m.type === 'busy') setStatus(spinner(), m.message);
  else if (m.type === 'error') setStatus(h('div', { class: 'error' }, m.message));
  else if (m.type === 'exported') setStatus(m.path ? `Saved ${m.path}` : 'Export cancelled.');
});
host.post({ type: 'ready' });
