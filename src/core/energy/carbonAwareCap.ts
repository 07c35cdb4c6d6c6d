/**
 * Carbon-aware power capping (ENERGY-DATA.md: "lower the cap when grid intensity is high"): the
 * slowdown a deployment accepts grows with the grid's carbon intensity, and the cap chosen is the
 * lowest-energy one within that slowdown. Connects the power-cap model to the carbon table.
 */
import { co2eGrams, resolveCarbon, type CarbonSettings } from './carbon';
import { DEFAULT_GRID_REGION, findGridRegion } from './gridIntensity';
import { asAnalysis, atPowerCap, powerCapSweep, type PowerCapSource } from './powerCap';
import type { HardwareProfile } from './profileSchema';

export interface CarbonAwareCapOptions extends CarbonSettings {
  /** Slowdown accepted at the reference intensity (default 0.05 = 5%). */
  readonly baseSlowdown?: number;
  /** Intensity at which baseSlowdown applies (default: the world average, 436 g/kWh). */
  readonly referenceGPerKWh?: number;
  /** Upper limit of the accepted slowdown (default 0.5). */
  readonly maxSlowdown?: number;
  /** Caps tried between the profile's minimum cap and max power (default 16). */
  readonly steps?: number;
}

export interface CarbonAwareCap {
  readonly capW: number;
  readonly gridIntensityGPerKWh: number;
  /** Slowdown accepted at this intensity: baseSlowdown × intensity / reference, capped at maxSlowdown. */
  readonly allowedSlowdown: number;
  /** Latency ratio to uncapped (1.03 = 3% slower). */
  readonly latencyRatio: number;
  readonly energyJ: number;
  readonly co2eGrams: number;
  /** Grams saved per inference relative to running uncapped. */
  readonly savedCo2eGrams: number;
}

export function carbonAwareCap(source: PowerCapSource, profile: HardwareProfile, options: CarbonAwareCapOptions = {}): CarbonAwareCap {
  const carbon = resolveCarbon(options);
  const reference = options.referenceGPerKWh ?? findGridRegion(DEFAULT_GRID_REGION)!.gPerKWh;
  const allowedSlowdown = Math.min(options.maxSlowdown ?? 0.5, (options.baseSlowdown ?? 0.05) * (carbon.gridIntensityGPerKWh / reference));
  const analysis = asAnalysis(source, profile);
  const uncapped = atPowerCap(analysis, profile, profile.maxPowerW.value);
  let best = { capW: profile.maxPowerW.value, latencyS: uncapped.latencyS, energyJ: uncapped.energy.totalJ };
  for (const point of powerCapSweep(analysis, profile, { steps: options.steps ?? 16 })) {
    if (point.latencyS > uncapped.latencyS * (1 + allowedSlowdown)) continue;
    if (point.energyJ < best.energyJ) best = point;
  }
  const grams = co2eGrams(best.energyJ, carbon);
  return {
    capW: best.capW,
    gridIntensityGPerKWh: carbon.gridIntensityGPerKWh,
    allowedSlowdown,
    latencyRatio: uncapped.latencyS > 0 ? best.latencyS / uncapped.latencyS : 1,
    energyJ: best.energyJ,
    co2eGrams: grams,
    savedCo2eGrams: co2eGrams(uncapped.energy.totalJ, carbon) - grams,
  };
}
