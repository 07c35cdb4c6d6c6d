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
  onScroll?(scrollTop: number): void;
}

export class LayerTable {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private readonly empty: HTMLElement;
  private layers: readonly LayerAnalysis[] = [];
  private hotspots = new Set<number>();
  private order: number[] = [];
  private maxJ = 0;
  private selected = -1;
  /** The window last drawn, so a scroll inside it (or a resize) does not rebuild the rows. */
  private drawn = { first: -1, last: -1, selected: -1, order: [] as number[] };
  private frame = 0;

  constructor(private query: TableQuery, private readonly events: LayerTableEvents) {
    this.header = h('div', { class: 'lt-header', attrs: { role: 'row' } });
    this.spacer = h('div', { class: 'lt-spacer' });
    this.rowsHost = h('div', { class: 'lt-rows', attrs: { role: 'rowgroup' } });
    this.empty = h('div', { class: 'lt-empty', attrs: { role: 'status' } });
    this.viewport = h('div', { class: 'lt-viewport', attrs: { tabindex: '0', role: 'grid', 'aria-label': 'Layers: arrow keys select, Enter opens' } }, this.spacer, this.rowsHost, this.empty);
    this.element = h('div', { class: 'layer-table' }, this.header, this.viewport);
    this.viewport.addEventListener('scroll', () => {
      // One redraw per frame however many scroll events arrive.
      if (this.frame === 0) this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderRows();
      });
      this.events.onScroll?.(this.viewport.scrollTop);
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsHost.addEventListener('click', (e) => {
      const index = this.rowIndexOf(e.target);
      if (index === undefined) return;
      this.select(index, false);
      this.events.onSelect(index);
    });
    this.rowsHost.addEventListener('dblclick', (e) => {
      const index = this.rowIndexOf(e.target);
      if (index !== undefined) this.events.onOpen(index);
    });
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

  /** Layer indices in display order (after filter and sort). */
  get displayOrder(): readonly number[] {
    return this.order;
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
    this.renderRows();
  }

  /**
   * Every row of the current view as a plain table, for exports: the live table holds only the
   * rows in view. Built with DOM nodes, so names stay text.
   */
  staticTable(): HTMLTableElement {
    const table = h('table', { class: 'layers-export' });
    table.appendChild(h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', {}, c.label)), h('th', {}, 'Energy split'))));
    const body = h('tbody');
    for (const index of this.order) {
      const row = this.row(index, 0);
      const tr = h('tr', { class: row.className });
      for (const cell of Array.from(row.children)) {
        const td = h('td', { class: cell.className });
        td.append(...Array.from(cell.childNodes, (n) => n.cloneNode(true)));
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    return table;
  }

  private rowIndexOf(target: EventTarget | null): number | undefined {
    const row = target instanceof Element ? target.closest('.lt-row') : null;
    const index = row ? Number(row.getAttribute('data-index')) : NaN;
    return Number.isInteger(index) ? index : undefined;
  }

  private refresh(): void {
    this.order = queryLayers(this.layers, this.query);
    this.spacer.style.height = `${this.order.length * ROW_HEIGHT}px`;
    this.empty.textContent = this.order.length === 0 && this.layers.length > 0 ? 'No layers match the filter.' : '';
    this.renderHeader();
    this.renderRows();
  }

  private renderHeader(): void {
    clear(this.header);
    for (const c of COLUMNS) {
      const sorted = this.query.sortKey === c.key;
      const arrow = sorted ? (this.query.descending ? ' ▼' : ' ▲') : '';
      const cell = h(
        'button',
        { class: `lt-cell lt-${c.key}${c.numeric ? ' num' : ''}`, title: `Sort by ${c.label}`, attrs: { type: 'button', role: 'columnheader', 'aria-sort': sorted ? (this.query.descending ? 'descending' : 'ascending') : 'none' } },
        `${c.label}${arrow}`,
      );
      cell.addEventListener('click', () => {
        this.query = toggleSort(this.query, c.key);
        this.events.onQueryChange(this.query);
        this.refresh();
      });
      this.header.appendChild(cell);
    }
    this.header.appendChild(h('div', { class: 'lt-cell lt-split', title: 'Energy split: compute, on-chip data, off-chip data, static (bar length relative to the largest layer)', attrs: { role: 'columnheader' } }, 'Split'));
  }

  private renderRows(): void {
    const { first, last } = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight || 400, ROW_HEIGHT, this.order.length);
    const d = this.drawn;
    if (d.first === first && d.last === last && d.selected === this.selected && d.order === this.order) return;
    this.drawn = { first, last, selected: this.selected, order: this.order };
    const rows = document.createDocumentFragment();
    for (let pos = first; pos < last; pos++) rows.appendChild(this.row(this.order[pos]!, pos));
    this.rowsHost.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.rowsHost.replaceChildren(rows);
  }

  private row(index: number, pos: number): HTMLElement {
    const l = this.layers[index]!;
    const [c, on, off, st] = splitWidths(l, this.maxJ);
    const bar = h('div', { class: 'split-bar', title: `compute ${formatEnergy(l.energy.computeJ)} · on-chip ${formatEnergy(l.energy.onChipJ)} · off-chip ${formatEnergy(l.energy.offChipJ)} · static ${formatEnergy(l.energy.staticJ)}` });
    for (const [w, cls] of [[c, 'compute'], [on, 'onchip'], [off, 'offchip'], [st, 'static']] as const) {
      const seg = h('span', { class: `seg ${cls}` });
      seg.style.width = `${(w * 100).toFixed(2)}%`;
      bar.appendChild(seg);
    }
    const unknown = l.confidence === 'unknown';
    const hot = this.hotspots.has(index);
    const selected = index === this.selected;
    const row = h(
      'div',
      {
        class: `lt-row${selected ? ' selected' : ''}${hot ? ' hotspot' : ''}${unknown ? ' unknown' : ''}`,
        attrs: { role: 'row', 'aria-selected': String(selected), 'data-index': String(index), 'data-pos': String(pos), 'data-name': l.name, 'data-energy': String(l.energy.totalJ) },
      },
      h('div', { class: 'lt-cell lt-index num', title: hot ? 'hotspot: 10% or more of the energy' : undefined, attrs: { role: 'gridcell' } }, index + 1, hot ? h('span', { class: 'visually-hidden' }, ' hotspot') : undefined),
      // The name sits in its own element so the cell can cut it at the start: a layer's last path part says most.
      h('div', { class: 'lt-cell lt-name', title: l.name, attrs: { role: 'gridcell' } }, h('bdi', {}, l.name)),
      h('div', { class: 'lt-cell lt-opType', title: l.opType, attrs: { role: 'gridcell' } }, l.opType),
      h('div', { class: 'lt-cell lt-macs num', attrs: { role: 'gridcell' } }, formatCount(l.macs)),
      h('div', { class: 'lt-cell lt-energy num', attrs: { role: 'gridcell' } }, unknown ? 'unknown' : formatEnergy(l.energy.totalJ)),
      h('div', { class: 'lt-cell lt-share num', attrs: { role: 'gridcell' } }, formatPercent(l.energyShare)),
      h('div', { class: 'lt-cell lt-latency num', attrs: { role: 'gridcell' } }, formatSeconds(l.latencyS)),
      h('div', { class: 'lt-cell lt-bound', attrs: { role: 'gridcell' } }, l.bound),
      h('div', { class: 'lt-cell lt-split', attrs: { role: 'gridcell' } }, bar),
    );
    row.style.height = `${ROW_HEIGHT}px`;
    return row;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.order.length === 0) return;
    const current = this.order.indexOf(this.selected);
    const pos = Math.max(0, current);
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: current < 0 ? 0 : 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
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
