import type { Analysis } from '../energy/analysis';
import { rankByEnergy } from './hotspots';
import { formatMillijoules, formatPercent } from './units';

export interface BudgetVerdict {
  readonly withinBudget: boolean;
  /** One or more lines saying how the energy compares to the budget and, when over, what dominates. */
  readonly message: string;
}

/**
 * The CI energy gate: is the estimated energy per inference within `budgetMj` millijoules? When it
 * is not, the message names the costliest layers, so a failing build says where to look.
 */
export function checkEnergyBudget(analysis: Analysis, budgetMj: number): BudgetVerdict {
  const energyMj = analysis.totals.energy.totalJ * 1000;
  const subject = `Estimated energy per inference on ${analysis.profile.id} is ${formatMillijoules(analysis.totals.energy.totalJ)}`;
  if (energyMj <= budgetMj) {
    return { withinBudget: true, message: `${subject}, within the budget of ${budgetMj} mJ.` };
  }
  // "by 35.0%" reads well for small overruns; "at 20.2× the budget" for large ones.
  const over = budgetMj > 0 && energyMj < 2 * budgetMj ? `by ${formatPercent((energyMj - budgetMj) / budgetMj)}` : budgetMj > 0 ? `at ${(energyMj / budgetMj).toFixed(1)}× the budget` : 'with any energy at all';
  const top = rankByEnergy(analysis.layers)
    .slice(0, 3)
    .map((i) => analysis.layers[i]!)
    .map((l) => `${l.name} (${l.opType}, ${formatMillijoules(l.energy.totalJ)}, ${formatPercent(l.energyShare)})`);
  const lines = [`${subject}, over the budget of ${budgetMj} mJ ${over}.`];
  if (top.length > 0) lines.push(`Costliest layers: ${top.join('; ')}.`);
  return { withinBudget: false, message: lines.join('\n') };
}
