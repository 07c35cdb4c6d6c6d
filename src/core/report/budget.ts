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
  const over = formatPercent(budgetMj > 0 ? (energyMj - budgetMj) / budgetMj : 1);
  const top = rankByEnergy(analysis.layers)
    .slice(0, 3)
    .map((i) => analysis.layers[i]!)
    .map((l) => `${l.name} (${l.opType}, ${formatMillijoules(l.energy.totalJ)}, ${formatPercent(l.energyShare)})`);
  const lines = [`${subject}, over the budget of ${budgetMj} mJ by ${over}.`];
  if (top.length > 0) lines.push(`Costliest layers: ${top.join('; ')}.`);
  return { withinBudget: false, message: lines.join('\n') };
}
