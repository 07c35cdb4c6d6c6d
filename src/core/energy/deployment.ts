/**
 * Serving and training views built on an Analysis: energy per request at a request rate (idle power
 * between requests counted, since idle often dominates real deployments), and a training estimate
 * (forward + backward ≈ 3 × forward per sample, × samples × epochs).
 */
import type { Analysis, EnergyBreakdown } from './analysis';
import { co2eGrams, JOULES_PER_KWH } from './carbon';
import { scaleEnergy } from './layerEnergy';
import type { HardwareProfile } from './profileSchema';

export interface ServingEstimate {
  readonly requestsPerS: number;
  /** Busy fraction of the device: rate × latency (≥ 1 means it cannot keep up). */
  readonly utilization: number;
  readonly saturated: boolean;
  /** Energy of one inference while busy (compute, movement, static during the run). */
  readonly activeJ: number;
  /** Idle power × the idle time between two requests. */
  readonly idleJ: number;
  readonly perRequestJ: number;
  readonly idleShare: number;
  readonly averagePowerW: number;
  readonly perRequestCo2eGrams: number;
  readonly per1kRequests: { readonly energyJ: number; readonly co2eGrams: number };
}

/** One request = one inference of the analysis (its batch). */
export function servingEstimate(analysis: Analysis, profile: HardwareProfile, requestsPerS: number): ServingEstimate {
  if (!Number.isFinite(requestsPerS) || requestsPerS <= 0) throw new RangeError(`Request rate must be > 0 per second, got ${requestsPerS}`);
  const latency = analysis.totals.latencyS;
  const activeJ = analysis.totals.energy.totalJ;
  const utilization = requestsPerS * latency;
  const idleS = Math.max(0, 1 / requestsPerS - latency);
  const idleJ = profile.idlePowerW.value * idleS;
  const perRequestJ = activeJ + idleJ;
  const carbon = analysis.settings;
  const perRequestCo2eGrams = co2eGrams(perRequestJ, carbon);
  return {
    requestsPerS,
    utilization,
    saturated: utilization >= 1,
    activeJ,
    idleJ,
    perRequestJ,
    idleShare: perRequestJ > 0 ? idleJ / perRequestJ : 0,
    averagePowerW: perRequestJ * Math.min(requestsPerS, latency > 0 ? 1 / latency : requestsPerS),
    perRequestCo2eGrams,
    per1kRequests: { energyJ: perRequestJ * 1e3, co2eGrams: perRequestCo2eGrams * 1e3 },
  };
}

export interface TrainingOptions {
  readonly samples: number;
  readonly epochs: number;
  /** Backward pass cost relative to forward; 2 gives the usual 3 × forward per sample. */
  readonly backwardFactor?: number;
}

export interface TrainingEstimate {
  readonly samples: number;
  readonly epochs: number;
  readonly passFactor: number;
  readonly energy: EnergyBreakdown;
  readonly timeS: number;
  readonly kWh: number;
  readonly co2eGrams: number;
}

/** Per-sample forward cost is the analysis total divided by its batch. */
export function trainingEstimate(analysis: Analysis, options: TrainingOptions): TrainingEstimate {
  const { samples, epochs } = options;
  if (!(samples > 0) || !(epochs > 0)) throw new RangeError(`Samples and epochs must be > 0 (got ${samples}, ${epochs})`);
  const passFactor = 1 + (options.backwardFactor ?? 2);
  const batch = Math.max(1, analysis.settings.batch);
  const factor = (passFactor * samples * epochs) / batch;
  const energy = scaleEnergy(analysis.totals.energy, factor);
  return {
    samples,
    epochs,
    passFactor,
    energy,
    timeS: analysis.totals.latencyS * factor,
    kWh: energy.totalJ / JOULES_PER_KWH,
    co2eGrams: co2eGrams(energy.totalJ, analysis.settings),
  };
}
