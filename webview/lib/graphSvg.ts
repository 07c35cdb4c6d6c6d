// The whole graph as a standalone SVG file (Export SVG): boxes in their colours, edges by bytes,
// labels as escaped text. No script, no external reference.
import { NODE_HEIGHT, NODE_WIDTH, type GraphPaint, type GraphTheme } from './graphGeometry';
import type { Layout } from './graphLayout';
import type { GraphModel } from './graphModel';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function short(s: string, max: number, fromStart = false): string {
  if (s.length <= max) return s;
  return fromStart ? `…${s.slice(s.length - max + 1)}` : `${s.slice(0, max - 1)}…`;
}

export function graphSvg(model: GraphModel, layout: Layout, paint: GraphPaint, theme: GraphTheme, title: string): string {
  const pad = 20;
  const w = Math.ceil(layout.width + 2 * pad);
  const h = Math.ceil(layout.height + 2 * pad);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${-pad} ${-pad} ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="${-pad}" y="${-pad}" width="${w}" height="${h}" fill="${escapeXml(theme.background)}"/>`,
    `<g fill="none" stroke="${escapeXml(theme.edge)}" stroke-linejoin="round">`,
  ];
  for (let e = 0; e < layout.offsets.length - 1; e++) {
    const pts: string[] = [];
    for (let k = layout.offsets[e]!; k < layout.offsets[e + 1]!; k += 2) pts.push(`${layout.points[k]!.toFixed(1)},${layout.points[k + 1]!.toFixed(1)}`);
    out.push(`<polyline points="${pts.join(' ')}" stroke-width="${(paint.edgeWidths[e] ?? 1).toFixed(1)}"/>`);
  }
  out.push('</g>');
  model.nodes.forEach((node, i) => {
    const x = layout.x[i]! - NODE_WIDTH / 2;
    const y = layout.y[i]! - NODE_HEIGHT / 2;
    const dash = node.kernelClass ? ' stroke-dasharray="6 3" stroke-width="2.5"' : '';
    out.push(
      `<g><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" fill="${escapeXml(paint.fills[i]!)}" stroke="${escapeXml(theme.border)}"${dash}/>` +
        `<text x="${(x + 6).toFixed(1)}" y="${(y + 14).toFixed(1)}" fill="${escapeXml(paint.texts[i]!)}">${escapeXml(short(node.label, 22))}</text>` +
        `<text x="${(x + 6).toFixed(1)}" y="${(y + 29).toFixed(1)}" fill="${escapeXml(paint.texts[i]!)}">${escapeXml(short(node.name, 22, true))}</text>` +
        `<title>${escapeXml(`${node.label}: ${node.name}`)}</title></g>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
