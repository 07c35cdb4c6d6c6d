// The details pane of one layer: shapes, bytes per memory level, roofline position and the
// recommendations (each priced by re-costing the layer) with buttons that start the transforms.
import type { Chart } from 'chart.js';
import type { Analysis } from '../../src/core/energy/analysis';
import type { AdviceView, WebviewToHost } from '../../src/core/protocol';
import { formatBytes, formatCount, formatEnergy, formatPercent, formatSeconds, formatShapes } from '../../src/core/report/units';
import { moveRooflineHighlight, roofline } from './charts';
import { button } from './controls';
import { h } from './dom';

type Action = Extract<WebviewToHost, { type: 'runAction' }>['action'];

/** Maps an advice action to the command the button starts and its mode. */
function actionOf(advice: AdviceView): { action: Action; mode?: string } | undefined {
  if (advice.action.startsWith('quantize-') || advice.action === 'fp16') return { action: 'quantize', mode: advice.action };
  if (advice.action.startsWith('prune-')) return { action: 'prune', mode: advice.action };
  if (advice.action === 'power-cap') return { action: 'benchmark' };
  return undefined;
}

export function layerDetails(
  analysis: Analysis,
  index: number,
  advice: readonly AdviceView[],
  run: (action: Action, mode: string | undefined, layer: string) => void,
): HTMLElement {
  const l = analysis.layers[index]!;
  const rows: [string, string][] = [
    ['Op', `${l.domain ? `${l.domain}.` : ''}${l.opType} (${l.precision})`],
    ['Output shape', formatShapes(l.outputShapes)],
    ['MACs', formatCount(l.macs)],
    ['FLOPs', formatCount(l.flops)],
    ['Params', formatCount(l.params)],
    ['Weights read', formatBytes(l.bytes.weights)],
    ['Activations in / out', `${formatBytes(l.bytes.inputs)} / ${formatBytes(l.bytes.outputs)}`],
    ...Object.entries(l.bytes.byLevel).map(([level, bytes]) => [`Moved at ${level}`, formatBytes(bytes)] as [string, string]),
    ['Off-chip floor (Hong–Kung)', formatBytes(l.bytes.offChipFloor)],
    ['Energy', `${formatEnergy(l.energy.totalJ)} (${formatPercent(l.energyShare)} of the model)`],
    ['— compute', formatEnergy(l.energy.computeJ)],
    ['— on-chip data', formatEnergy(l.energy.onChipJ)],
    ['— off-chip data', formatEnergy(l.energy.offChipJ)],
    ['— static', formatEnergy(l.energy.staticJ)],
    ['Latency', `${formatSeconds(l.latencyS)}, ${l.bound}-bound`],
    ['Intensity', `${l.intensity.toFixed(2)} FLOP/byte`],
  ];
  const table = h('table', { class: 'kv' });
  for (const [k, v] of rows) table.appendChild(h('tr', {}, h('th', {}, k), h('td', {}, v)));
  // Line breaks may fall after each '/' of a long layer path (DOM nodes, never markup).
  const title = h('h2', { title: l.name });
  l.name.split('/').forEach((part, i, parts) => {
    title.append(part + (i < parts.length - 1 ? '/' : ''));
    if (i < parts.length - 1) title.appendChild(document.createElement('wbr'));
  });
  const element = h('div', {}, title, table);
  if (l.note) element.appendChild(h('p', { class: 'note' }, l.note));
  if (l.confidence !== 'exact') element.appendChild(h('p', { class: 'note' }, `Cost ${l.confidence}.`));

  const mine = advice.filter((a) => a.layer === l.name);
  if (mine.length > 0) {
    element.appendChild(h('h3', {}, 'Recommendations'));
    for (const a of mine) {
      const target = actionOf(a);
      const item = h('div', { class: 'advice' }, h('div', { class: 'advice-title' }, `${a.title} — saves ${formatEnergy(a.savingJ)} (${formatPercent(a.savingShare)})`), h('div', { class: 'advice-reason' }, a.reason));
      if (target) {
        const label = target.action === 'benchmark' ? 'Benchmark caps…' : `${target.action[0]!.toUpperCase()}${target.action.slice(1)}…`;
        item.appendChild(button(label, () => run(target.action, target.mode, l.name), { title: `${a.title} (${a.action})` }));
      }
      element.appendChild(item);
    }
  }
  return element;
}

/** The details pane's roofline: one chart per analysis, its highlight moved as the selection changes. */
export class DetailsRoofline {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { attrs: { 'aria-label': 'Roofline position of the selected layer' } });
  private chart: Chart | undefined;
  private analysis: Analysis | undefined;
  private frame = 0;

  constructor() {
    this.element = h('figure', { class: 'chart small' }, h('figcaption', {}, 'Roofline position (estimated)'), h('div', { class: 'chart-box' }, this.canvas));
  }

  /** Call with the element in the document (chart.js measures it). Redraws at most once a frame. */
  show(analysis: Analysis, index: number): void {
    if (this.chart && this.analysis === analysis) {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.chart && moveRooflineHighlight(this.chart, analysis, index));
      return;
    }
    this.chart?.destroy();
    this.analysis = analysis;
    this.chart = roofline(this.canvas, analysis, index);
  }
}
