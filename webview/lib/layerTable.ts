// The per-layer table: sortable headers, a filter, energy split bars, keyboard selection, and
// virtualized rows (only what the viewport shows is in the DOM), so 10,000 layers stay responsive.
import type { LayerAnalysis } from '../../src/core/energy/analysis';
import { formatCount, formatEnergy, formatPercent, formatSeconds } from '../../src/core/report/units';
import { clear, h } from './dom';
import { queryLayers, splitWidths, toggleSort, visibleWindow, type SortKey, type TableQuery } from './tableModel';

const ROW_HEIGHT = 26;

const COLUMNS: readonly { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'index', label: '#', numeric: true },
  { key: 'name', label: 'Layer', numeric: false },
  { key: 'opType', label: 'Op', numeric: false },
  { key: 'macs', label: 'MACs', numeric: true },
  { key: 'energy', label: 'Energy', numeric: true },
  { key: 'share', label: 'Share', numeric: true },
  { key: 'latency', label: 'Latency', numeric: true },
  { key: 'bound', label: 'Bound', numeric: false },
];

export interface LayerTableEvents {
  onSelect(index: number): void;
  onOpen(index: number): void;
  onQueryChange(query: TableQuery): void;
}

export class LayerTable {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private layers: readonly LayerAnalysis[] = [];
  private hotspots = new Set<number>();
  private order: number[] = [];
  private maxJ = 0;
  private selected = -1;

  constructor(private query: TableQuery, private readonly events: LayerTableEvents) {
    this.header = h('div', { class: 'lt-header', attrs: { role: 'row' } });
    this.spacer = h('div', { class: 'lt-spacer' });
    this.rowsHost = h('div', { class: 'lt-rows' });
    this.viewport = h('div', { class: 'lt-viewport', attrs: { tabindex: '0', role: 'grid', 'aria-label': 'Layers' } }, this.spacer, this.rowsHost);
    this.element = h('div', { class: 'layer-table' }, this.header, this.viewport);
    this.viewport.addEventListener('scroll', () => this.renderRows());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.renderRows()).observe(this.viewport);
  }

  setData(layers: readonly LayerAnalysis[], hotspots: readonly number[]): void {
    this.layers = layers;
    this.hotspots = new Set(hotspots);
    this.maxJ = layers.reduce((m, l) => Math.max(m, l.energy.totalJ), 0);
    this.refresh();
  }

  setQuery(query: TableQuery): void {
    this.query = query;
    this.refresh();
  }

  select(index: number, scroll = true): void {
    this.selected = index;
    if (scroll) {
      const pos = this.order.indexOf(index);
      if (pos >= 0) {
        const top = pos * ROW_HEIGHT;
        if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
        else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
      }
    }
    this.renderRows();
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(value: number) {
    this.viewport.scrollTop = value;
  }

  private refresh(): void {
    this.order = queryLayers(this.layers, this.query);
    this.spacer.style.height = `${this.order.length * ROW_HEIGHT}px`;
    this.renderHeader();
    this.renderRows();
  }

  private renderHeader(): void {
    clear(this.header);
    for (const c of COLUMNS) {
      const arrow = this.query.sortKey === c.key ? (this.query.descending ? ' ▼' : ' ▲') : '';
      const cell = h('button', { class: `lt-cell lt-${c.key}${c.numeric ? ' num' : ''}`, attrs: { 'aria-sort': arrow ? (this.query.descending ? 'descending' : 'ascending') : 'none' } }, `${c.label}${arrow}`);
      cell.addEventListener('click', () => {
        this.query = toggleSort(this.query, c.key);
        this.events.onQueryChange(this.query);
        this.refresh();
      });
      this.header.appendChild(cell);
    }
    this.header.appendChild(h('div', { class: 'lt-cell lt-split' }, 'Energy split'));
  }

  private renderRows(): void {
    const { first, last } = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight || 400, ROW_HEIGHT, this.order.length);
    clear(this.rowsHost);
    this.rowsHost.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let pos = first; pos < last; pos++) this.rowsHost.appendChild(this.row(this.order[pos]!));
  }

  private row(index: number): HTMLElement {
    const l = this.layers[index]!;
    const [c, on, off, st] = splitWidths(l, this.maxJ);
    const bar = h('div', { class: 'split-bar', title: `compute ${formatEnergy(l.energy.computeJ)} · on-chip ${formatEnergy(l.energy.onChipJ)} · off-chip ${formatEnergy(l.energy.offChipJ)} · static ${formatEnergy(l.energy.staticJ)}` });
    for (const [w, cls] of [[c, 'compute'], [on, 'onchip'], [off, 'offchip'], [st, 'static']] as const) {
      const seg = h('span', { class: `seg ${cls}` });
      seg.style.width = `${(w * 100).toFixed(2)}%`;
      bar.appendChild(seg);
    }
    const unknown = l.confidence === 'unknown';
    const row = h(
      'div',
      { class: `lt-row${index === this.selected ? ' selected' : ''}${this.hotspots.has(index) ? ' hotspot' : ''}${unknown ? ' unknown' : ''}`, attrs: { role: 'row', 'data-index': String(index) } },
      h('div', { class: 'lt-cell lt-index num' }, index + 1),
      h('div', { class: 'lt-cell lt-name', title: l.name }, this.hotspots.has(index) ? '🔥 ' : '', l.name),
      h('div', { class: 'lt-cell lt-opType' }, l.opType),
      h('div', { class: 'lt-cell lt-macs num' }, formatCount(l.macs)),
      h('div', { class: 'lt-cell lt-energy num' }, unknown ? 'unknown' : formatEnergy(l.energy.totalJ)),
      h('div', { class: 'lt-cell lt-share num' }, formatPercent(l.energyShare)),
      h('div', { class: 'lt-cell lt-latency num' }, formatSeconds(l.latencyS)),
      h('div', { class: 'lt-cell lt-bound' }, l.bound),
      h('div', { class: 'lt-cell lt-split' }, bar),
    );
    row.style.height = `${ROW_HEIGHT}px`;
    row.addEventListener('click', () => {
      this.select(index, false);
      this.events.onSelect(index);
    });
    row.addEventListener('dblclick', () => this.events.onOpen(index));
    return row;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.order.length === 0) return;
    const pos = Math.max(0, this.order.indexOf(this.selected));
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.min(this.order.length - 1, Math.max(0, pos + moves[e.key]!));
      this.select(this.order[next]!);
      this.events.onSelect(this.order[next]!);
    } else if (e.key === 'Enter' && this.selected >= 0) {
      this.events.onOpen(this.selected);
    }
  }
}
