import type { EnergyBreakdown } from '../../energy/analysis';
import type { Comparison } from '../compare';
import { formatChange, formatMetric, formatRatio } from '../compareRender';
import { formatEnergy } from '../units';
import { escapeHtml } from './escape';
import { htmlPage, htmlTable } from './page';
import { CATEGORIES, CATEGORY_COLOURS, CATEGORY_LABELS, categoryLegend, rect, svg, text } from './svg';

const KEY_OF = { compute: 'computeJ', onChip: 'onChipJ', offChip: 'offChipJ', static: 'staticJ' } as const;

/** Two horizontal bars (A and B) stacked by energy category, on one scale. */
function sideBySideChart(labelA: string, a: EnergyBreakdown, labelB: string, b: EnergyBreakdown): string {
  const label = 170;
  const bar = 460;
  const max = Math.max(a.totalJ, b.totalJ) || 1;
  const body: string[] = [];
  const sides: readonly (readonly [string, EnergyBreakdown])[] = [
    [`A: ${labelA}`, a],
    [`B: ${labelB}`, b],
  ];
  sides.forEach(([name, e], row) => {
    const y = row * 34;
    body.push(text(label - 6, y + 20, name, 'text-anchor="end" class="label"'));
    let x = label;
    for (const category of CATEGORIES) {
      const width = (e[KEY_OF[category]] / max) * bar;
      body.push(rect(x, y + 6, width, 22, CATEGORY_COLOURS[category], `${CATEGORY_LABELS[category]}: ${formatEnergy(e[KEY_OF[category]])}`));
      x += width;
    }
    body.push(text(x + 4, y + 20, formatEnergy(e.totalJ), 'class="value"'));
  });
  return svg(label + bar + 90, 72, 'Energy per inference, A versus B', body);
}

/** A comparison as one self-contained HTML page, under the same CSP as the analysis report. */
export function renderCompareHtml(c: Comparison): string {
  const metrics = htmlTable(
    ['metric', `A: ${c.labelA}`, `B: ${c.labelB}`, 'B vs A', ''],
    c.totals.map((r) => ({
      className: r.a === r.b ? undefined : r.b < r.a ? 'better' : 'worse',
      cells: [r.metric, formatMetric(r.unit, r.a), formatMetric(r.unit, r.b), formatChange(r.a, r.b), formatRatio(r.a, r.b)],
    })),
    new Set([1, 2, 3]),
  );
  const layers = htmlTable(
    ['layer', 'op', 'A energy', 'B energy', 'change', 'A bound', 'B bound'],
    c.layers.map((p) => ({
      cells: [
        p.key,
        (p.a ?? p.b)?.opType ?? '',
        p.a ? formatEnergy(p.a.energy.totalJ) : '—',
        p.b ? formatEnergy(p.b.energy.totalJ) : '—',
        p.a && p.b ? formatChange(p.a.energy.totalJ, p.b.energy.totalJ) : p.a ? 'only in A' : 'only in B',
        p.a?.bound ?? '',
        p.b?.bound ?? '',
      ],
    })),
    new Set([2, 3, 4]),
    0,
  );
  const body = [
    `<h1>Energy comparison: ${escapeHtml(c.labelA)} versus ${escapeHtml(c.labelB)}</h1>`,
    `<p class="sub">A: ${escapeHtml(c.a.model.path)} on ${escapeHtml(c.a.profile.name)}<br>B: ${escapeHtml(c.b.model.path)} on ${escapeHtml(c.b.profile.name)}</p>`,
    '<h2>Energy per inference</h2>',
    categoryLegend(),
    sideBySideChart(c.labelA, c.a.totals.energy, c.labelB, c.b.totals.energy),
    '<h2>Totals</h2>',
    metrics,
    '<h2>Layers</h2>',
    layers,
  ];
  return htmlPage(`Joule comparison: ${c.labelA} vs ${c.labelB}`, body.join('\n'));
}
