import type { Analysis, EnergyBreakdown } from '../../energy/analysis';
import { rankByEnergy } from '../hotspots';
import { truncateMiddle } from '../text';
import { formatEnergy, formatPercent } from '../units';
import { CATEGORIES, CATEGORY_COLOURS, CATEGORY_LABELS, rect, svg, text } from './svg';
import { maxOf } from '../../extent';

interface Bar {
  readonly label: string;
  readonly title: string;
  readonly energy: EnergyBreakdown;
}

const ROW = 18;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 470;
const VALUE_WIDTH = 90;

function sumEnergy(parts: readonly EnergyBreakdown[]): EnergyBreakdown {
  const total = (key: keyof EnergyBreakdown): number => parts.reduce((s, p) => s + p[key], 0);
  return { computeJ: total('computeJ'), onChipJ: total('onChipJ'), offChipJ: total('offChipJ'), staticJ: total('staticJ'), totalJ: total('totalJ') };
}

const KEY_OF: Readonly<Record<(typeof CATEGORIES)[number], keyof EnergyBreakdown>> = {
  compute: 'computeJ',
  onChip: 'onChipJ',
  offChip: 'offChipJ',
  static: 'staticJ',
};

/**
 * Horizontal bars, one per layer (costliest first, at most `maxBars`; the rest merged into one bar),
 * each stacked by compute / on-chip / off-chip / static energy. Names go in <title> tooltips in full.
 */
export function energyByLayerChart(analysis: Analysis, maxBars = 30): string {
  const ranked = rankByEnergy(analysis.layers);
  const shown = ranked.slice(0, maxBars);
  const rest = ranked.slice(maxBars);
  const bars: Bar[] = shown.map((i) => {
    const layer = analysis.layers[i]!;
    return {
      label: truncateMiddle(layer.name, 34),
      title: `${layer.name} (${layer.opType}): ${formatEnergy(layer.energy.totalJ)}, ${formatPercent(layer.energyShare)}`,
      energy: layer.energy,
    };
  });
  if (rest.length > 0) {
    const energy = sumEnergy(rest.map((i) => analysis.layers[i]!.energy));
    bars.push({ label: `${rest.length} other layers`, title: `${rest.length} other layers: ${formatEnergy(energy.totalJ)}`, energy });
  }
  if (bars.length === 0) return '<p class="empty">No layers.</p>';
  const max = maxOf(bars.map((b) => b.energy.totalJ)) || 1;
  const body: string[] = [];
  bars.forEach((bar, row) => {
    const y = row * ROW;
    body.push(text(LABEL_WIDTH - 6, y + ROW * 0.7, bar.label, 'text-anchor="end" class="label"'));
    let x = LABEL_WIDTH;
    for (const category of CATEGORIES) {
      const joules = bar.energy[KEY_OF[category]];
      const width = (joules / max) * BAR_WIDTH;
      body.push(rect(x, y + 2, width, ROW - 4, CATEGORY_COLOURS[category], `${bar.title}\n${CATEGORY_LABELS[category]}: ${formatEnergy(joules)}`));
      x += width;
    }
    body.push(text(x + 4, y + ROW * 0.7, formatEnergy(bar.energy.totalJ), 'class="value"'));
  });
  return svg(LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH, bars.length * ROW + 4, 'Energy by layer, stacked by category', body);
}
