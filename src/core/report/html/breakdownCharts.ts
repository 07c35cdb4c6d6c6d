import type { Analysis } from '../../energy/analysis';
import { memoryLevels } from '../summary';
import { formatBytes, formatEnergy, formatPercent } from '../units';
import { CATEGORIES, CATEGORY_COLOURS, CATEGORY_LABELS, rect, svg, text } from './svg';

const WIDTH = 560;
const LABEL = 150;
const ROW = 24;

/** One bar per energy category of the whole inference, labelled with joules and share. */
export function energyBreakdownChart(analysis: Analysis): string {
  const e = analysis.totals.energy;
  const values: Record<(typeof CATEGORIES)[number], number> = {
    compute: e.computeJ,
    onChip: e.onChipJ,
    offChip: e.offChipJ,
    static: e.staticJ,
  };
  const max = Math.max(...Object.values(values)) || 1;
  const barWidth = WIDTH - LABEL - 130;
  const body: string[] = [];
  CATEGORIES.forEach((category, row) => {
    const y = row * ROW;
    const joules = values[category];
    const share = e.totalJ > 0 ? joules / e.totalJ : 0;
    const width = (joules / max) * barWidth;
    body.push(text(LABEL - 6, y + ROW * 0.65, CATEGORY_LABELS[category], 'text-anchor="end" class="label"'));
    body.push(rect(LABEL, y + 3, width, ROW - 6, CATEGORY_COLOURS[category], `${CATEGORY_LABELS[category]}: ${formatEnergy(joules)}`));
    body.push(text(LABEL + width + 4, y + ROW * 0.65, `${formatEnergy(joules)} (${formatPercent(share)})`, 'class="value"'));
  });
  return svg(WIDTH, CATEGORIES.length * ROW + 4, 'Energy per inference by category', body);
}

/**
 * Bytes moved per inference at each memory level of the profile (summed over layers). Bars use a
 * log scale: DRAM and register-file traffic differ by orders of magnitude on dataflow designs.
 */
export function memoryLevelChart(analysis: Analysis): string {
  const levels = memoryLevels(analysis);
  if (levels.length === 0) return '<p class="empty">The profile reports no per-level traffic.</p>';
  const totals = levels.map((level) => analysis.layers.reduce((s, l) => s + (l.bytes.byLevel[level] ?? 0), 0));
  const floor = analysis.layers.reduce((s, l) => s + l.bytes.offChipFloor, 0);
  const rows = [...levels.map((level, i) => ({ label: level, bytes: totals[i]!, colour: '#59a14f' })), { label: 'off-chip floor', bytes: floor, colour: '#bab0ac' }];
  const max = Math.max(...rows.map((r) => r.bytes), 1);
  const barWidth = WIDTH - LABEL - 110;
  const body: string[] = [];
  rows.forEach((row, i) => {
    const y = i * ROW;
    // log10(1 + bytes) keeps zero at zero and spreads kB..GB over the bar.
    const width = (Math.log10(1 + row.bytes) / Math.log10(1 + max)) * barWidth;
    body.push(text(LABEL - 6, y + ROW * 0.65, row.label, 'text-anchor="end" class="label"'));
    body.push(rect(LABEL, y + 3, width, ROW - 6, row.colour, `${row.label}: ${formatBytes(row.bytes)}`));
    body.push(text(LABEL + width + 4, y + ROW * 0.65, formatBytes(row.bytes), 'class="value"'));
  });
  return svg(WIDTH, rows.length * ROW + 4, 'Bytes moved per memory level (log scale)', body);
}
