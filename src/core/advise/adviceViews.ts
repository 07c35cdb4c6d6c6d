/**
 * The advisor's recommendations as every front end shows them: the report editor's list, and the
 * `advice` field / "Recommendations" section of `joule analyze` and `joule report`.
 */
import type { PreparedEstimate } from '../pipeline/modelFile';
import type { AdviceView } from '../protocol';
import { escapeHtml } from '../report/html/escape';
import { escapeMarkdown } from '../report/markdown';
import { formatEnergy, formatPercent } from '../report/units';
import { advise } from './advise';
import type { Advice } from './types';

/** Per-layer recommendations first (each names its layer), then whole-model ones. */
export function adviceViews(advice: Advice): AdviceView[] {
  return [
    ...advice.recommendations.map((r) => ({ layer: r.layer, action: r.action, title: r.title, reason: r.reason, savingJ: r.savingJ, savingShare: r.savingShare })),
    ...advice.model.map((m) => ({ action: m.action, title: m.title, reason: m.reason, savingJ: m.savingJ, savingShare: m.savingShare })),
  ];
}

/**
 * Above this many layers the advisor is not run for a report: it re-costs the whole model for each
 * variant it tries (150k layers took 8 s and 400 MB on top of the analysis), and a report must stay
 * within the analysis' own budget (the editor's report and the CLI alike).
 */
export const ADVICE_LAYER_BUDGET = 10_000;

/** The recommendations for a prepared model file on its profile; none above the layer budget. */
export function adviseEstimate(prepared: Pick<PreparedEstimate, 'input' | 'profile'>): AdviceView[] {
  if (prepared.input.layers.length > ADVICE_LAYER_BUDGET) return [];
  return adviceViews(advise(prepared.input, prepared.profile));
}

function line(v: AdviceView): string {
  return `${v.layer ? `${v.layer}: ` : ''}${v.title}, saves ${formatEnergy(v.savingJ)} per inference (${formatPercent(v.savingShare)}, estimated). ${v.reason}`;
}

/** Text reports show this many: the whole-model ones, then the layers that save most (JSON has all). */
const SHOWN = 10;

/** The recommendations appended to a rendered report in its own format (unchanged when there are none). */
export function withAdvice(text: string, format: string, views: readonly AdviceView[]): string {
  if (views.length === 0) return text;
  const ranked = [...views.filter((v) => !v.layer), ...views.filter((v) => v.layer).sort((a, b) => b.savingJ - a.savingJ)];
  const lines = ranked.slice(0, SHOWN).map(line);
  if (ranked.length > SHOWN) lines.push(`${ranked.length - SHOWN} more per-layer recommendations: --format json lists every one.`);
  switch (format) {
    case 'json': return `${JSON.stringify({ ...(JSON.parse(text) as object), advice: views }, null, 2)}\n`;
    case 'table': return `${text.trimEnd()}\n\nRecommendations (estimated savings):\n${lines.map((l) => `  - ${l}`).join('\n')}\n`;
    case 'md': return `${text.trimEnd()}\n\n## Recommendations\n\n${lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n')}\n`;
    case 'html': {
      const section = `<section class="advice"><h2>Recommendations</h2><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></section>`;
      const end = text.lastIndexOf('</body>');
      return end < 0 ? text : `${text.slice(0, end)}${section}\n${text.slice(end)}`;
    }
    default: return text; // csv: one row per layer, no place for prose
  }
}
