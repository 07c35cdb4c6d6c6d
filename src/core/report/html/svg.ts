import { escapeHtml } from './escape';

/**
 * Small drawing helpers for the report's inline SVG charts (no chart library: the page must be one
 * self-contained file under a CSP without scripts).
 */

/** Energy categories and their colours, shared by every chart and legend (colour-blind safe palette). */
export const CATEGORY_COLOURS = {
  compute: '#4e79a7',
  onChip: '#f28e2b',
  offChip: '#e15759',
  static: '#76b7b2',
} as const;

export const CATEGORY_LABELS = {
  compute: 'compute',
  onChip: 'on-chip movement',
  offChip: 'off-chip movement',
  static: 'static',
} as const;

export type Category = keyof typeof CATEGORY_COLOURS;
export const CATEGORIES: readonly Category[] = ['compute', 'onChip', 'offChip', 'static'];

/** Rounds coordinates to 0.01 so the SVG stays compact and byte-stable across runs. */
export function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function rect(x: number, y: number, width: number, height: number, fill: string, title?: string): string {
  const tip = title === undefined ? '' : `<title>${escapeHtml(title)}</title>`;
  const body = `x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, width))}" height="${n(Math.max(0, height))}" fill="${fill}"`;
  return tip ? `<rect ${body}>${tip}</rect>` : `<rect ${body}/>`;
}

export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, attrs = ''): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}"${attrs ? ` ${attrs}` : ''}/>`;
}

export function svg(width: number, height: number, label: string, body: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" role="img" aria-label="${escapeHtml(label)}">` +
    body.join('') +
    '</svg>'
  );
}

/** A legend of the energy categories as an HTML list (wraps better than SVG text). */
export function categoryLegend(): string {
  const items = CATEGORIES.map(
    (c) => `<li><span class="swatch" style="background:${CATEGORY_COLOURS[c]}"></span>${CATEGORY_LABELS[c]}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

/** Powers of ten covering [min, max], for log axes. */
export function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(10 ** e);
  return out;
}

/** A log10 scale mapping [domainMin, domainMax] onto [rangeMin, rangeMax]. */
export function logScale(domainMin: number, domainMax: number, rangeMin: number, rangeMax: number): (v: number) => number {
  const a = Math.log10(domainMin);
  const b = Math.log10(domainMax);
  const span = b - a || 1;
  return (v) => rangeMin + ((Math.log10(v) - a) / span) * (rangeMax - rangeMin);
}
