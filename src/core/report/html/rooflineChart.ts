import type { Analysis, Bound } from '../../energy/analysis';
import { formatCount, formatSeconds } from '../units';
import { decades, line, logScale, n, svg, text } from './svg';
import { escapeHtml } from './escape';
import { maxOf, minOf } from '../../extent';

/** The profile's roof: peak arithmetic throughput and off-chip bandwidth. */
export interface Roof {
  readonly peakFlopsPerS: number;
  readonly offChipBytesPerS: number;
  /** Precision the peak is quoted at, for the label. */
  readonly precision?: string;
}

const BOUND_COLOURS: Readonly<Record<Bound, string>> = {
  compute: '#4e79a7',
  memory: '#e15759',
  overhead: '#b07aa1',
  unknown: '#9d9d9d',
};

const W = 560;
const H = 340;
const M = { left: 64, right: 16, top: 12, bottom: 40 };

/**
 * Roofline scatter on log-log axes: each layer at its arithmetic intensity (FLOPs per off-chip byte)
 * and the throughput it reaches in the estimate (FLOPs / latency), coloured by its bound. With a roof,
 * the memory slope and the compute ceiling are drawn. Layers without off-chip traffic or arithmetic
 * have no place on log axes; the caption counts them.
 */
export function rooflineChart(analysis: Analysis, roof?: Roof): string {
  const points = analysis.layers
    .map((layer) => ({ layer, x: layer.intensity, y: layer.latencyS > 0 ? layer.flops / layer.latencyS : 0 }))
    .filter((p) => Number.isFinite(p.x) && p.x > 0 && Number.isFinite(p.y) && p.y > 0);
  const skipped = analysis.layers.length - points.length;
  const caption = skipped > 0 ? `<p class="caption">${skipped} layer(s) not plotted: no off-chip traffic or no arithmetic.</p>` : '';
  if (points.length === 0) return `<p class="empty">No layer has both arithmetic and off-chip traffic to plot.</p>${caption}`;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let xMin = minOf(xs);
  let xMax = maxOf(xs);
  let yMin = minOf(ys);
  let yMax = maxOf(ys);
  if (roof) {
    const ridge = roof.peakFlopsPerS / roof.offChipBytesPerS;
    xMin = Math.min(xMin, ridge / 10);
    xMax = Math.max(xMax, ridge * 10);
    yMax = Math.max(yMax, roof.peakFlopsPerS);
    yMin = Math.min(yMin, roof.offChipBytesPerS * xMin);
  }
  const xTicks = decades(xMin, xMax);
  const yTicks = decades(yMin, yMax);
  const sx = logScale(xTicks[0]!, xTicks[xTicks.length - 1]!, M.left, W - M.right);
  const sy = logScale(yTicks[0]!, yTicks[yTicks.length - 1]!, H - M.bottom, M.top);
  const body: string[] = [];
  for (const t of xTicks) {
    body.push(line(sx(t), M.top, sx(t), H - M.bottom, '#ddd'));
    body.push(text(sx(t), H - M.bottom + 14, formatCount(t), 'text-anchor="middle" class="tick"'));
  }
  for (const t of yTicks) {
    body.push(line(M.left, sy(t), W - M.right, sy(t), '#ddd'));
    body.push(text(M.left - 4, sy(t) + 4, formatCount(t), 'text-anchor="end" class="tick"'));
  }
  body.push(text((M.left + W - M.right) / 2, H - 6, 'arithmetic intensity (FLOPs per off-chip byte)', 'text-anchor="middle" class="axis"'));
  body.push(text(14, (M.top + H - M.bottom) / 2, 'FLOP/s reached', `text-anchor="middle" class="axis" transform="rotate(-90 14 ${n((M.top + H - M.bottom) / 2)})"`));
  if (roof) {
    const x0 = xTicks[0]!;
    const x1 = xTicks[xTicks.length - 1]!;
    const ridge = roof.peakFlopsPerS / roof.offChipBytesPerS;
    body.push(line(sx(x0), sy(roof.offChipBytesPerS * x0), sx(ridge), sy(roof.peakFlopsPerS), '#333', 'stroke-width="1.5"'));
    body.push(line(sx(ridge), sy(roof.peakFlopsPerS), sx(x1), sy(roof.peakFlopsPerS), '#333', 'stroke-width="1.5"'));
    const label = `peak ${formatCount(roof.peakFlopsPerS)}FLOP/s${roof.precision ? ` ${roof.precision}` : ''}`;
    body.push(text(sx(x1) - 4, sy(roof.peakFlopsPerS) - 4, label, 'text-anchor="end" class="tick"'));
  }
  for (const p of points) {
    const l = p.layer;
    const title = `${l.name} (${l.opType}): ${formatCount(p.x)} FLOPs/B, ${formatCount(p.y)}FLOP/s, ${formatSeconds(l.latencyS)}, ${l.bound}-bound`;
    body.push(`<circle cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="4" fill="${BOUND_COLOURS[l.bound]}" fill-opacity="0.8"><title>${escapeHtml(title)}</title></circle>`);
  }
  const legend = (Object.keys(BOUND_COLOURS) as Bound[])
    .map((b) => `<li><span class="swatch round" style="background:${BOUND_COLOURS[b]}"></span>${b}-bound</li>`)
    .join('');
  return `${svg(W, H, 'Roofline: intensity versus throughput per layer', body)}<ul class="legend">${legend}</ul>${caption}`;
}
