/** Text of the serving and training views (energy/deployment.ts) for the table and Markdown outputs. */
import type { ServingEstimate, TrainingEstimate } from '../energy/deployment';
import { formatEnergy, formatGrams, formatPercent, formatSeconds } from './units';

export interface DeploymentViews {
  readonly serving?: ServingEstimate;
  readonly training?: TrainingEstimate;
}

export function deploymentLines(views: DeploymentViews): string[] {
  const lines: string[] = [];
  const s = views.serving;
  if (s) {
    lines.push(
      `Serving at ${s.requestsPerS} requests/s (estimated): ${formatEnergy(s.perRequestJ)} per request, of which idle between requests ${formatEnergy(s.idleJ)} (${formatPercent(s.idleShare)}); utilization ${formatPercent(s.utilization)}${s.saturated ? ' — SATURATED: the device cannot keep up' : ''}; average power ${s.averagePowerW.toPrecision(3)} W; per 1k requests ${formatEnergy(s.per1kRequests.energyJ)}, ${formatGrams(s.per1kRequests.co2eGrams)} CO2e`,
    );
  }
  const t = views.training;
  if (t) {
    lines.push(
      `Training ${t.samples} samples × ${t.epochs} epochs (forward + backward ≈ ${t.passFactor} × forward, estimated): ${formatEnergy(t.energy.totalJ)} (${t.kWh.toPrecision(3)} kWh; compute ${formatEnergy(t.energy.computeJ)}, on-chip ${formatEnergy(t.energy.onChipJ)}, off-chip ${formatEnergy(t.energy.offChipJ)}, static ${formatEnergy(t.energy.staticJ)}), ${formatSeconds(t.timeS)} of device time, ${formatGrams(t.co2eGrams)} CO2e`,
    );
  }
  return lines;
}
