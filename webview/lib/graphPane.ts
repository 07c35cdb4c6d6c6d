// The report's Graph view: a toolbar (colour by, search, fit, exports), a legend, the canvas and a
// status line. It turns the analysis into a display graph, lays it out in the worker and paints it.
import type { Analysis } from '../../src/core/energy/analysis';
import type { MeasuredOverlay } from '../../src/core/protocol';
import type { LayerGraph } from '../../src/core/report/layerGraph';
import { formatEnergy, formatSeconds } from '../../src/core/report/units';
import { button, select, textInput } from './controls';
import { append, clear, h } from './dom';
import { GraphCanvas } from './graphCanvas';
import { COLOR_MODES, css, edgeWidths, estimatedTimes, fillFor, measuredByName, nodeValues, parseColor, scaleValues, textOn, type ColorMode, type Rgb } from './graphColors';
import { NODE_HEIGHT, NODE_WIDTH, type GraphTheme } from './graphGeometry';
import type { Layout } from './graphLayout';
import { LayoutClient } from './graphLayoutClient';
import { buildGraphModel, searchNodes, type GraphModel } from './graphModel';
import { graphSvg } from './graphSvg';

export interface GraphPaneState {
  readonly colorBy: ColorMode;
  readonly search: string;
  /** Name-scope depth collapsed into one box (0: none). */
  readonly collapse: number;
  /** Pan and zoom, restored after a reload. */
  readonly view?: { readonly scale: number; readonly tx: number; readonly ty: number };
}

const COLLAPSE_CHOICES = [
  { value: '0', label: 'no grouping' },
  { value: '1', label: 'scopes, depth 1' },
  { value: '2', label: 'scopes, depth 2' },
  { value: '3', label: 'scopes, depth 3' },
  { value: '4', label: 'scopes, depth 4' },
];

interface Options {
  readonly workerUrl: string | undefined;
  readonly state: Partial<GraphPaneState>;
  onSelectLayer(layer: number): void;
  onOpenLayer(layer: number): void;
  onExport(format: 'svg' | 'png', content: string): void;
  onStateChange(state: GraphPaneState): void;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function theme(): GraphTheme {
  return {
    background: cssVar('--vscode-editor-background', '#1f1f1f'),
    foreground: cssVar('--vscode-editor-foreground', '#cccccc'),
    edge: cssVar('--vscode-editorLineNumber-foreground', '#6e7681'),
    border: cssVar('--vscode-editorWidget-border', '#454545'),
    focus: cssVar('--vscode-focusBorder', '#0078d4'),
    match: cssVar('--vscode-editor-findMatchHighlightBorder', '') || cssVar('--vscode-charts-yellow', '#cca700'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

export class GraphPane {
  readonly element: HTMLElement;
  private readonly canvas: GraphCanvas;
  private readonly layouts: LayoutClient;
  private readonly legend = h('div', { class: 'graph-legend' });
  private readonly status = h('div', { class: 'graph-status', attrs: { role: 'status' } });
  private readonly modePicker: HTMLSelectElement;
  private readonly search: HTMLInputElement;
  private readonly matchCount = h('span', { class: 'graph-matches' });
  private colorBy: ColorMode;
  private analysis: Analysis | undefined;
  private model: GraphModel | undefined;
  private layout: Layout | undefined;
  private measured: MeasuredOverlay | undefined;
  private matches: number[] = [];
  private matchAt = -1;
  private generation = 0;
  private fitted = false;
  private pendingSelect: number | undefined;
  private collapse: number;
  private expanded = new Set<string>();
  private graph: LayerGraph | undefined;
  private viewSave: ReturnType<typeof setTimeout> | undefined;
  private savedView: GraphPaneState['view'];

  constructor(private readonly options: Options) {
    this.colorBy = options.state.colorBy ?? 'energy';
    this.collapse = options.state.collapse ?? 0;
    this.savedView = options.state.view;
    this.layouts = new LayoutClient(options.workerUrl);
    this.canvas = new GraphCanvas({
      onSelect: (node) => this.options.onSelectLayer(this.representative(node)),
      onOpen: (node) => {
        const scope = this.model?.nodes[node]?.scope;
        if (scope === undefined) this.options.onOpenLayer(this.representative(node));
        else this.expand(scope, node);
      },
      describe: (node) => this.describe(node),
      // setState crosses to the extension host: save once panning pauses.
      onView: () => {
        clearTimeout(this.viewSave);
        this.viewSave = setTimeout(() => this.saveState(), 300);
      },
    });
    const collapse = select(COLLAPSE_CHOICES, String(this.collapse), { label: 'Group layers by name scope', class: 'graph-collapse' }, (v) => {
      this.collapse = Number(v);
      this.expanded.clear();
      this.saveState();
      if (this.analysis) void this.setAnalysis(this.analysis, this.graph);
    });
    this.modePicker = select(COLOR_MODES.map((m) => ({ value: m.value, label: m.label })), this.colorBy, { label: 'Colour nodes by', class: 'graph-mode' }, (v) => {
      this.colorBy = v as ColorMode;
      this.saveState();
      this.repaint();
    });
    this.search = textInput(options.state.search ?? '', { label: 'Search the graph', class: 'graph-search', placeholder: 'Search name or op (Enter: next)' }, () => {
      this.saveState();
      this.runSearch(false);
    });
    this.search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      this.nextMatch(e.shiftKey ? -1 : 1);
    });
    const toolbar = h(
      'div',
      { class: 'toolbar graph-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Graph' } },
      h('label', { class: 'picker' }, 'Colour by ', this.modePicker),
      h('label', { class: 'picker', title: 'Collapse layers under a common name prefix into one box; double-click or Enter on a box opens it' }, 'Group ', collapse),
      this.search,
      this.matchCount,
      button('Fit', () => this.canvas.fit(), { secondary: true, title: 'Fit the graph to the width (key 0)' }),
      h('span', { class: 'toolbar-gap' }),
      button('Export SVG', () => this.exportSvg(), { secondary: true, title: 'Save the whole graph as SVG' }),
      button('Export PNG', () => this.options.onExport('png', this.canvas.canvas.toDataURL('image/png')), { secondary: true, title: 'Save the graph as shown as PNG' }),
    );
    this.element = h('section', { class: 'graph-pane', attrs: { 'aria-label': 'Model graph' } }, toolbar, this.legend, this.canvas.element, this.status);
  }

  /** The layer a node stands for in the table and details: a fused group's costliest member. */
  private representative(node: number): number {
    const layers = this.model?.nodes[node]?.layers ?? [];
    const a = this.analysis;
    return layers.reduce((best, l) => (a && a.layers[l]!.energy.totalJ > a.layers[best]!.energy.totalJ ? l : best), layers[0] ?? 0);
  }

  private saveState(): void {
    const view = this.layout ? this.canvas.view : this.savedView;
    this.options.onStateChange({ colorBy: this.colorBy, search: this.search.value, collapse: this.collapse, ...(view ? { view } : {}) });
  }

  async setAnalysis(analysis: Analysis, graph: LayerGraph | undefined): Promise<void> {
    const generation = ++this.generation;
    if (analysis !== this.analysis) this.expanded.clear();
    this.analysis = analysis;
    this.graph = graph;
    const model = buildGraphModel(analysis.layers, graph, { scopeDepth: this.collapse, expanded: this.expanded });
    const input = { nodeCount: model.nodes.length, from: Int32Array.from(model.edges, (e) => e.from), to: Int32Array.from(model.edges, (e) => e.to), nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT };
    this.status.textContent = `Laying out ${model.nodes.length} nodes…`;
    const result = await this.layouts.layout(input);
    if (generation !== this.generation) return;
    this.model = model;
    this.layout = result.layout;
    this.canvas.setGraph(model, result.layout);
    const fused = model.nodes.filter((n) => n.kernelClass).length;
    const scopes = model.nodes.filter((n) => n.scope).length;
    const edges = graph ? `${model.edges.length} edges (width: estimated bytes moved)` : 'no edges (the analysis has no dataflow)';
    const groups = [fused ? `${fused} fused kernels, dashed` : '', scopes ? `${scopes} collapsed scopes, double border: double-click opens` : ''].filter(Boolean).join('; ');
    this.status.textContent = `${model.nodes.length} nodes${groups ? ` (${groups})` : ''} for ${analysis.layers.length} layers, ${edges}; laid out in ${result.ms.toFixed(0)} ms (measured, ${result.where === 'worker' ? 'in a Web Worker' : 'on the page: no worker'}).`;
    this.repaint();
    this.runSearch(false);
    // A view restored after a reload stays as the user left it, even if the selection is outside it.
    const restored = !this.fitted && this.element.offsetParent !== null && this.fitNow();
    if (this.pendingSelect !== undefined) this.selectLayer(this.pendingSelect, !restored);
  }

  setMeasured(measured: MeasuredOverlay): void {
    this.measured = measured;
    this.repaint();
  }

  /** Tooltip: what the box is and what it costs, each number saying estimated or measured. */
  private describe(node: number): string {
    const n = this.model?.nodes[node];
    const a = this.analysis;
    if (!n || !a) return '';
    let energy = 0;
    let latency = 0;
    let measuredMs = 0;
    let measuredAny = false;
    const measured = measuredByName(this.measured);
    for (const l of n.layers) {
      energy += a.layers[l]!.energy.totalJ;
      latency += a.layers[l]!.latencyS;
      const m = measured.get(a.layers[l]!.name)?.measuredMs;
      if (m !== undefined) {
        measuredMs += m;
        measuredAny = true;
      }
    }
    const share = a.totals.energy.totalJ > 0 ? ` (${((energy / a.totals.energy.totalJ) * 100).toFixed(1)}%)` : '';
    const lines = [`${n.label}: ${n.name}`, `energy ${formatEnergy(energy)}${share}, latency ${formatSeconds(latency)} (estimated)`];
    if (measuredAny) lines.push(`time ${measuredMs.toFixed(3)} ms (measured)`);
    if (n.layers.length > 1) lines.push(`${n.layers.length} layers${n.scope !== undefined ? '; double-click opens' : ''}`);
    return lines.join('\n');
  }

  /** Opens a collapsed scope in place: lays out again and selects its first layer. */
  private expand(scope: string, node: number): void {
    const first = this.model?.nodes[node]?.layers[0];
    this.expanded.add(scope);
    if (!this.analysis) return;
    if (first !== undefined) {
      this.pendingSelect = first;
      this.options.onSelectLayer(first);
    }
    void this.setAnalysis(this.analysis, this.graph);
  }

  /** Called when the Graph tab is shown: the first time, fit the graph to the now known width. */
  shown(): void {
    if (!this.fitted && this.layout) this.fitNow();
    this.canvas.invalidate();
  }

  /** The first time the graph is in view: where the user left it before a reload, else fitted. */
  private fitNow(): boolean {
    this.fitted = true;
    const saved = this.savedView;
    this.savedView = undefined;
    if (saved) this.canvas.view = saved;
    else this.canvas.fit();
    return saved !== undefined;
  }

  focus(): void {
    this.canvas.canvas.focus();
  }

  /** Selects a layer's node (from the table) and brings it into view. */
  selectLayer(layer: number, reveal: boolean): void {
    if (!this.model) {
      this.pendingSelect = layer;
      return;
    }
    this.pendingSelect = undefined;
    const node = this.model.nodeOfLayer[layer];
    if (node !== undefined) this.canvas.select(node, reveal);
  }

  private runSearch(reveal: boolean): void {
    if (!this.model || !this.analysis) return;
    this.matches = searchNodes(this.model, this.analysis.layers, this.search.value);
    this.matchAt = -1;
    this.canvas.setMatches(this.matches);
    this.matchCount.textContent = this.search.value.trim() ? `${this.matches.length} found` : '';
    if (reveal) this.nextMatch(1);
  }

  private nextMatch(step: number): void {
    if (this.matches.length === 0) return;
    this.matchAt = (this.matchAt + step + this.matches.length) % this.matches.length;
    const node = this.matches[this.matchAt]!;
    this.canvas.select(node, true);
    this.matchCount.textContent = `${this.matchAt + 1} of ${this.matches.length}`;
    this.options.onSelectLayer(this.representative(node));
  }

  private repaint(): void {
    const { model, analysis } = this;
    if (!model || !analysis) return;
    const measured = measuredByName(this.measured);
    const hasMeasured = measured.size > 0;
    for (const option of this.modePicker.options) {
      const needs = COLOR_MODES.find((m) => m.value === option.value)?.measured ?? false;
      option.disabled = needs && !hasMeasured;
    }
    const mode: ColorMode = COLOR_MODES.find((m) => m.value === this.colorBy)?.measured && !hasMeasured ? 'energy' : this.colorBy;
    this.modePicker.value = mode;
    const t = theme();
    const neutral: Rgb = parseColor(cssVar('--vscode-editorWidget-background', '')) ?? parseColor(t.background) ?? [37, 37, 38];
    const values = nodeValues(mode, model, analysis.layers, measured);
    const scaled = scaleValues(mode, values);
    const fills = Array.from(scaled, (v) => fillFor(mode, v, neutral));
    const strips = mode === 'measured' ? Array.from(scaleValues('measured', estimatedTimes(model, analysis.layers, measured)), (v) => css(fillFor('measured', v, neutral))) : undefined;
    this.canvas.setPaint({ fills: fills.map(css), texts: fills.map(textOn), edgeWidths: edgeWidths(model), ...(strips ? { strips } : {}) }, t);
    this.renderLegend(mode, values);
  }

  private renderLegend(mode: ColorMode, values: Float64Array): void {
    clear(this.legend);
    let top = 0;
    for (const v of values) if (v > top) top = v;
    const swatch = (cls: string) => h('span', { class: `graph-ramp ${cls}`, attrs: { 'aria-hidden': 'true' } });
    if (mode === 'ratio') {
      append(this.legend, swatch('diverging'), `blue: estimate below the measured time · red: estimate above it (full colour at 8×) · plain: not measured. Measured by ${this.measured?.label ?? 'the benchmark'}.`);
    } else if (mode === 'measured') {
      append(this.legend, swatch('heat'), `measured time per node (square-root scale, top ${top.toFixed(3)} ms; from ${this.measured?.label ?? 'the benchmark'}, energy ${formatEnergy(this.measured?.energy.joulesPerInference ?? 0)}/inference by ${this.measured?.energy.source ?? '?'}). Left strip: estimated time on the same scale.`);
    } else {
      const what = mode === 'compute' ? 'compute energy' : mode === 'data' ? 'data-movement energy (on-chip + off-chip)' : 'energy';
      append(this.legend, swatch('heat'), `estimated ${what} per node on ${this.analysis?.profile.name ?? ''} (square-root scale, top ${formatEnergy(top)}); edge width: estimated bytes of the tensor.`);
    }
  }

  private exportSvg(): void {
    const { model, layout } = this;
    const paint = this.canvas.currentPaint;
    if (!model || !layout || !paint) return;
    this.options.onExport('svg', graphSvg(model, layout, paint, theme(), `Energy graph: ${this.analysis?.model.path ?? ''}`));
  }
}
