// Draws the graph on one canvas (never one DOM element per node): culls to the viewport, batches
// edges by width, drops text and borders when zoomed out (level of detail), pans with drag or the
// wheel, zooms with Ctrl/⌘+wheel or pinch, and moves the selection with the keyboard.
import { h } from './dom';
import { NODE_HEIGHT, NODE_WIDTH, type GraphPaint, type GraphTheme } from './graphGeometry';
import type { Layout } from './graphLayout';
import type { GraphModel } from './graphModel';
import { fitText } from './graphText';

interface Callbacks {
  onSelect(node: number): void;
  onOpen(node: number): void;
  /** Tooltip text of a node (name, op, energy, time). */
  describe(node: number): string;
  /** The pan or zoom changed (called at most once a frame). */
  onView(view: { scale: number; tx: number; ty: number }): void;
}

const MIN_SCALE = 0.01;
const MAX_SCALE = 4;
/** Below this zoom boxes have no text; below LOD_FLAT no borders and edges are hairlines. */
const LOD_TEXT = 0.45;
const LOD_FLAT = 0.15;
/** Width of the estimate strip beside a measured fill. */
const STRIP = 12;

export class GraphCanvas {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly announcer: HTMLElement;
  private model: GraphModel | undefined;
  private layout: Layout | undefined;
  private paint: GraphPaint | undefined;
  private theme: GraphTheme | undefined;
  private succ: number[][] = [];
  private pred: number[][] = [];
  /** Nodes of each rank sorted by x, and each node's place in it (← and → move along a rank). */
  private rows: number[][] = [];
  private place = new Int32Array(0);
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private frame = 0;
  private lastView = '';
  private matches = new Set<number>();
  selected = -1;

  constructor(private readonly callbacks: Callbacks) {
    this.canvas = h('canvas', { class: 'graph-canvas', attrs: { tabindex: '0', role: 'application', 'aria-roledescription': 'model graph', 'aria-label': 'Model graph: arrow keys move between layers, Enter opens the details, plus and minus zoom, 0 fits' } });
    this.announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
    this.element = h('div', { class: 'graph-stage' }, this.canvas, this.announcer);
    this.bindPointer();
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.invalidate()).observe(this.element);
  }

  setGraph(model: GraphModel, layout: Layout): void {
    this.model = model;
    this.layout = layout;
    const n = model.nodes.length;
    this.succ = Array.from({ length: n }, () => []);
    this.pred = Array.from({ length: n }, () => []);
    for (const e of model.edges) {
      this.succ[e.from]!.push(e.to);
      this.pred[e.to]!.push(e.from);
    }
    this.rows = [];
    for (let i = 0; i < n; i++) (this.rows[layout.rank[i]!] ??= []).push(i);
    this.place = new Int32Array(n);
    for (const row of this.rows) {
      if (!row) continue;
      row.sort((a, b) => layout.x[a]! - layout.x[b]!);
      row.forEach((node, k) => (this.place[node] = k));
    }
    if (this.selected >= n) this.selected = -1;
  }

  get currentPaint(): GraphPaint | undefined {
    return this.paint;
  }

  setPaint(paint: GraphPaint, theme: GraphTheme): void {
    this.paint = paint;
    this.theme = theme;
    this.invalidate();
  }

  setMatches(nodes: readonly number[]): void {
    this.matches = new Set(nodes);
    this.invalidate();
  }

  /** The view as the user left it, to restore after a reload. */
  get view(): { scale: number; tx: number; ty: number } {
    return { scale: this.scale, tx: this.tx, ty: this.ty };
  }

  set view(v: { scale: number; tx: number; ty: number }) {
    this.scale = v.scale;
    this.tx = v.tx;
    this.ty = v.ty;
    this.invalidate();
  }

  /** Whole graph width in view, top aligned (a tall model starts at its inputs, readable). */
  fit(): void {
    const l = this.layout;
    if (!l) return;
    const w = Math.max(1, this.canvas.clientWidth);
    this.scale = Math.min(1, Math.max(MIN_SCALE, (w - 40) / Math.max(1, l.width)));
    this.tx = (w - l.width * this.scale) / 2;
    this.ty = 20;
    this.invalidate();
  }

  zoom(factor: number, cx = this.canvas.clientWidth / 2, cy = this.canvas.clientHeight / 2): void {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    this.tx = cx - ((cx - this.tx) * next) / this.scale;
    this.ty = cy - ((cy - this.ty) * next) / this.scale;
    this.scale = next;
    this.invalidate();
  }

  /** Selects a node; `reveal` centres it (at a readable zoom) when it is out of view. */
  select(node: number, reveal: boolean): void {
    const l = this.layout;
    if (!l || !this.model || node < 0 || node >= this.model.nodes.length) return;
    this.selected = node;
    const label = this.model.nodes[node]!;
    this.announcer.textContent = `${label.label} ${label.name}`;
    if (reveal) {
      const sx = l.x[node]! * this.scale + this.tx;
      const sy = l.y[node]! * this.scale + this.ty;
      const w = this.canvas.clientWidth;
      const hgt = this.canvas.clientHeight;
      if (this.scale < LOD_TEXT || sx < 0 || sy < 0 || sx > w || sy > hgt) {
        this.scale = Math.max(this.scale, 0.8);
        this.tx = w / 2 - l.x[node]! * this.scale;
        this.ty = hgt / 2 - l.y[node]! * this.scale;
      }
    }
    this.invalidate();
  }

  /** Node under a point of the canvas (CSS pixels), or -1. */
  nodeAt(px: number, py: number): number {
    const l = this.layout;
    if (!l) return -1;
    const x = (px - this.tx) / this.scale;
    const y = (py - this.ty) / this.scale;
    for (let i = 0; i < l.x.length; i++) {
      if (Math.abs(x - l.x[i]!) <= NODE_WIDTH / 2 && Math.abs(y - l.y[i]!) <= NODE_HEIGHT / 2) return i;
    }
    return -1;
  }

  /** Canvas position (CSS pixels) of a node's centre, for tests and tooltips. */
  screenOf(node: number): { x: number; y: number } | undefined {
    const l = this.layout;
    if (!l || node < 0 || node >= l.x.length) return undefined;
    return { x: l.x[node]! * this.scale + this.tx, y: l.y[node]! * this.scale + this.ty };
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private bindPointer(): void {
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      this.canvas.focus();
      this.canvas.setPointerCapture(e.pointerId);
      drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty, moved: false };
    });
    let hovered = -1;
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag) {
        const r = this.canvas.getBoundingClientRect();
        const node = this.nodeAt(e.clientX - r.left, e.clientY - r.top);
        if (node !== hovered) {
          hovered = node;
          this.canvas.title = node >= 0 ? this.callbacks.describe(node) : '';
        }
        return;
      }
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      this.tx = drag.tx + dx;
      this.ty = drag.ty + dy;
      this.invalidate();
    });
    this.canvas.addEventListener('pointerup', (e) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (!wasClick) return;
      const r = this.canvas.getBoundingClientRect();
      const node = this.nodeAt(e.clientX - r.left, e.clientY - r.top);
      if (node >= 0) {
        this.select(node, false);
        this.callbacks.onSelect(node);
      }
    });
    this.canvas.addEventListener('dblclick', (e) => {
      const r = this.canvas.getBoundingClientRect();
      const node = this.nodeAt(e.clientX - r.left, e.clientY - r.top);
      if (node >= 0) this.callbacks.onOpen(node);
    });
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = this.canvas.getBoundingClientRect();
        if (e.ctrlKey || e.metaKey) this.zoom(Math.exp(-e.deltaY * 0.002), e.clientX - r.left, e.clientY - r.top);
        else {
          this.tx -= e.shiftKey ? e.deltaY : e.deltaX;
          this.ty -= e.shiftKey ? 0 : e.deltaY;
          this.invalidate();
        }
      },
      { passive: false },
    );
  }

  private onKey(e: KeyboardEvent): void {
    const l = this.layout;
    if (!l || l.x.length === 0) return;
    const at = this.selected;
    const nearest = (candidates: readonly number[]) => candidates.reduce((best, c) => (best < 0 || Math.abs(l.x[c]! - l.x[at]!) < Math.abs(l.x[best]! - l.x[at]!) ? c : best), -1);
    let next = -1;
    switch (e.key) {
      case 'ArrowDown':
        next = at < 0 ? 0 : nearest(this.succ[at]!);
        break;
      case 'ArrowUp':
        next = at < 0 ? 0 : nearest(this.pred[at]!);
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (at < 0) next = 0;
        else next = this.rows[l.rank[at]!]?.[this.place[at]! + (e.key === 'ArrowLeft' ? -1 : 1)] ?? -1;
        break;
      }
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = l.x.length - 1;
        break;
      case 'Enter':
        if (at >= 0) this.callbacks.onOpen(at);
        e.preventDefault();
        return;
      case '+':
      case '=':
        this.zoom(1.25);
        e.preventDefault();
        return;
      case '-':
        this.zoom(0.8);
        e.preventDefault();
        return;
      case '0':
        this.fit();
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next >= 0) {
      this.select(next, true);
      this.callbacks.onSelect(next);
    }
  }

  private draw(): void {
    const { layout: l, model: m, paint: p, theme: t } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(hgt * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hgt * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx || !l || !m || !p || !t) return;
    const view = `${this.scale} ${this.tx} ${this.ty}`;
    if (view !== this.lastView) {
      this.lastView = view;
      this.callbacks.onView(this.view);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = t.background;
    ctx.fillRect(0, 0, w, hgt);
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.tx, dpr * this.ty);
    const x0 = -this.tx / this.scale - NODE_WIDTH;
    const y0 = -this.ty / this.scale - NODE_HEIGHT;
    const x1 = (w - this.tx) / this.scale + NODE_WIDTH;
    const y1 = (hgt - this.ty) / this.scale + NODE_HEIGHT;
    this.drawEdges(ctx, l, p, t, x0, y0, x1, y1);
    this.drawNodes(ctx, l, m, p, t, x0, y0, x1, y1);
  }

  private drawEdges(ctx: CanvasRenderingContext2D, l: Layout, p: GraphPaint, t: GraphTheme, x0: number, y0: number, x1: number, y1: number): void {
    // One path per width class: thousands of edges cost a handful of strokes.
    const classes = new Map<number, number[]>();
    const flat = this.scale < LOD_FLAT;
    for (let e = 0; e < l.offsets.length - 1; e++) {
      const a = l.offsets[e]!;
      const b = l.offsets[e + 1]!;
      const ya = l.points[a + 1]!;
      const yb = l.points[b - 1]!;
      if (Math.max(ya, yb) < y0 || Math.min(ya, yb) > y1) continue;
      let minX = Infinity;
      let maxX = -Infinity;
      for (let k = a; k < b; k += 2) {
        minX = Math.min(minX, l.points[k]!);
        maxX = Math.max(maxX, l.points[k]!);
      }
      if (maxX < x0 || minX > x1) continue;
      const width = flat ? 0 : Math.round(p.edgeWidths[e] ?? 1);
      let list = classes.get(width);
      if (!list) classes.set(width, (list = []));
      list.push(e);
    }
    ctx.strokeStyle = t.edge;
    ctx.lineJoin = 'round';
    for (const [width, edges] of classes) {
      ctx.lineWidth = width === 0 ? 1 / this.scale : Math.max(width, 1 / this.scale);
      ctx.beginPath();
      for (const e of edges) {
        const a = l.offsets[e]!;
        const b = l.offsets[e + 1]!;
        ctx.moveTo(l.points[a]!, l.points[a + 1]!);
        for (let k = a + 2; k < b; k += 2) ctx.lineTo(l.points[k]!, l.points[k + 1]!);
      }
      ctx.stroke();
    }
  }

  private drawNodes(ctx: CanvasRenderingContext2D, l: Layout, m: GraphModel, p: GraphPaint, t: GraphTheme, x0: number, y0: number, x1: number, y1: number): void {
    const hw = NODE_WIDTH / 2;
    const hh = NODE_HEIGHT / 2;
    const text = this.scale >= LOD_TEXT;
    const flat = this.scale < LOD_FLAT;
    ctx.font = `12px ${t.font}`;
    ctx.textBaseline = 'middle';
    for (let i = 0; i < l.x.length; i++) {
      const x = l.x[i]!;
      const y = l.y[i]!;
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      ctx.fillStyle = p.fills[i]!;
      ctx.fillRect(x - hw, y - hh, NODE_WIDTH, NODE_HEIGHT);
      if (p.strips) {
        ctx.fillStyle = p.strips[i]!;
        ctx.fillRect(x - hw, y - hh, STRIP, NODE_HEIGHT);
      }
      const node = m.nodes[i]!;
      if (!flat) {
        ctx.lineWidth = (node.kernelClass ? 2.5 : 1) / Math.min(1, this.scale);
        ctx.strokeStyle = t.border;
        if (node.kernelClass) ctx.setLineDash([6, 3]);
        ctx.strokeRect(x - hw, y - hh, NODE_WIDTH, NODE_HEIGHT);
        ctx.setLineDash([]);
        if (node.scope !== undefined) ctx.strokeRect(x - hw + 3, y - hh + 3, NODE_WIDTH - 6, NODE_HEIGHT - 6);
      }
      if (text) {
        ctx.fillStyle = p.texts[i]!;
        const left = p.strips ? STRIP + 4 : 6;
        ctx.fillText(fitText(ctx, node.label, NODE_WIDTH - left - 6), x - hw + left, y - 7);
        ctx.fillText(fitText(ctx, node.name, NODE_WIDTH - left - 6, true), x - hw + left, y + 8);
      }
    }
    // Matches and the selection on top, thick enough to see at any zoom.
    const ring = (i: number, colour: string, width: number) => {
      const x = l.x[i]!;
      const y = l.y[i]!;
      if (x < x0 || x > x1 || y < y0 || y > y1) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width / this.scale;
      const pad = width / this.scale;
      ctx.strokeRect(x - hw - pad, y - hh - pad, NODE_WIDTH + 2 * pad, NODE_HEIGHT + 2 * pad);
    };
    for (const i of this.matches) ring(i, t.match, 2);
    if (this.selected >= 0) ring(this.selected, t.focus, 3);
  }
}
