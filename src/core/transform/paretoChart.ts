/**
 * The Pareto front as a standalone SVG: estimated energy per inference (x) against measured quality
 * (top-1 accuracy with labelled data, else cosine vs the original; y), one dot per variant file, the
 * front joined by a line and every dot labelled with its share and file name. Pure string output, so
 * the CLI writes it beside the variants and a webview can embed it.
 */
import * as path from 'node:path';
import type { ParetoResult } from './pareto';

const W = 640;
const H = 400;
const M = { left: 70, right: 20, top: 30, bottom: 50 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function paretoSvg(r: ParetoResult): string {
  const points = r.points.filter((p) => p.energyJ !== undefined);
  const useTop1 = points.length > 0 && points.every((p) => p.top1 !== undefined);
  const quality = (p: (typeof points)[number]): number => (useTop1 ? p.top1! : p.cosine);
  const xs = points.map((p) => p.energyJ! * 1e3).concat(r.baselineEnergyJ !== undefined ? [r.baselineEnergyJ * 1e3] : []);
  const ys = points.map(quality);
  const span = (v: number[]): [number, number] => {
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = xs.length ? span(xs) : [0, 1];
  const [y0, y1] = ys.length ? span(ys) : [0, 1];
  const px = (x: number): number => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number): number => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const front = points.filter((p) => p.onFront).sort((a, b) => a.energyJ! - b.energyJ!);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>Pareto front: ${useTop1 ? 'top-1 accuracy (measured)' : 'cosine vs original (measured)'} vs energy per inference (estimated)</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
    `<text x="${(W + M.left) / 2}" y="${H - 12}" text-anchor="middle">energy per inference, mJ (estimated)</text>`,
    `<text x="16" y="${(H - M.bottom + M.top) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(H - M.bottom + M.top) / 2})">${useTop1 ? 'top-1 accuracy (measured)' : 'cosine vs original (measured)'}</text>`,
    `<text x="${M.left}" y="${H - M.bottom + 16}">${x0.toFixed(3)}</text><text x="${W - M.right}" y="${H - M.bottom + 16}" text-anchor="end">${x1.toFixed(3)}</text>`,
    `<text x="${M.left - 4}" y="${H - M.bottom}" text-anchor="end">${y0.toFixed(4)}</text><text x="${M.left - 4}" y="${M.top + 4}" text-anchor="end">${y1.toFixed(4)}</text>`,
  ];
  if (r.baselineEnergyJ !== undefined) {
    const bx = px(r.baselineEnergyJ * 1e3);
    parts.push(`<line class="baseline" x1="${bx}" y1="${M.top}" x2="${bx}" y2="${H - M.bottom}" stroke="gray" stroke-dasharray="4 3"/><text x="${bx + 3}" y="${M.top + 10}" fill="gray">original</text>`);
  }
  if (front.length > 1) parts.push(`<polyline class="front" fill="none" stroke="#1565c0" stroke-width="2" points="${front.map((p) => `${px(p.energyJ! * 1e3).toFixed(1)},${py(quality(p)).toFixed(1)}`).join(' ')}"/>`);
  for (const p of points) {
    const [cx, cy] = [px(p.energyJ! * 1e3), py(quality(p))];
    parts.push(`<circle class="${p.onFront ? 'on-front' : 'dominated'}" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${p.onFront ? '#1565c0' : '#9e9e9e'}"><title>${esc(p.output)}</title></circle>`);
    parts.push(`<text x="${(cx + 7).toFixed(1)}" y="${(cy - 7).toFixed(1)}">${Math.round(p.share * 100)}% · ${esc(path.basename(p.output))}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
