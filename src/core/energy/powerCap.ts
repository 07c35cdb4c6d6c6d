/**
 * Power-cap model (ENERGY-DATA.md "Power capping"): dynamic power ~ C·V²·f with V roughly ∝ f under
 * DVFS, so power above idle ~ f³. Under a cap the clock scales by
 *   r = ((Pcap − Pidle) / (Pmax − Pidle))^(1/3),
 * compute time grows by 1/r, memory time (bound by DRAM/HBM) barely changes, and dynamic on-chip
 * energy per operation scales by r² (∝ V²). Off-chip energy is on its own rail and stays; static
 * energy is idle power × the new latency.
 */
import type { LayerCost } from '../cost/types';
import type { Analysis, Bound, EnergyBreakdown, LayerAnalysis } from './analysis';
import { addEnergy, ZERO_ENERGY } from './layerEnergy';
import { estimate, type EstimateInput } from './estimate';
import type { HardwareProfile } from './profileSchema';

export interface CappedLayer {
  readonly name: string;
  readonly latencyS: number;
  readonly energy: EnergyBreakdown;
  readonly bound: Bound;
}

export interface PowerCapResult {
  readonly capW: number;
  /** Clock frequency relative to uncapped, 0..1. */
  readonly frequencyRatio: number;
  readonly latencyS: number;
  readonly energy: EnergyBreakdown;
  readonly layers: readonly CappedLayer[];
}

/** Frequency ratio at a cap; throws RangeError below the profile's minimum cap or at/below idle power. */
export function frequencyRatio(profile: HardwareProfile, capW: number): number {
  const idle = profile.idlePowerW.value;
  const max = profile.maxPowerW.value;
  const minCap = profile.minPowerCapW?.value;
  if (!Number.isFinite(capW) || capW <= idle) throw new RangeError(`A power cap must exceed ${profile.name}'s idle power (${idle} W), got ${capW} W`);
  if (minCap !== undefined && capW < minCap) throw new RangeError(`${profile.name} cannot be capped below ${minCap} W (asked ${capW} W)`);
  if (capW >= max) return 1;
  return Math.cbrt((capW - idle) / (max - idle));
}

/** One layer under a frequency ratio. */
export function capLayer(layer: LayerAnalysis, profile: HardwareProfile, ratio: number): CappedLayer {
  if (layer.bound === 'unknown') return { name: layer.name, latencyS: 0, energy: ZERO_ENERGY, bound: 'unknown' };
  const timing = layer.timing ?? {
    computeS: layer.bound === 'compute' ? layer.latencyS : 0,
    memoryS: layer.bound === 'memory' ? layer.latencyS : 0,
    overheadS: layer.bound === 'overhead' ? layer.latencyS : 0,
  };
  return { name: layer.name, ...capTerms(layer.energy, timing, profile, ratio) };
}

/** The cap model on raw roofline terms and energy (also used by the advisor). */
export function capTerms(
  energy: EnergyBreakdown,
  timing: { readonly computeS: number; readonly memoryS: number; readonly overheadS: number },
  profile: HardwareProfile,
  ratio: number,
): { latencyS: number; energy: EnergyBreakdown; bound: Bound } {
  const computeS = timing.computeS / ratio;
  const busy = Math.max(computeS, timing.memoryS);
  const latencyS = busy + timing.overheadS;
  const bound: Bound = timing.overheadS > busy ? 'overhead' : computeS >= timing.memoryS ? 'compute' : 'memory';
  const dynamic = ratio * ratio;
  const computeJ = energy.computeJ * dynamic;
  const onChipJ = energy.onChipJ * dynamic;
  const offChipJ = energy.offChipJ;
  // Activity power above idle (power model) scales like dynamic power; idle power runs for the new latency.
  const oldLatencyS = Math.max(timing.computeS, timing.memoryS) + timing.overheadS;
  const activityJ = Math.max(0, energy.staticJ - profile.idlePowerW.value * oldLatencyS);
  const staticJ = profile.idlePowerW.value * latencyS + activityJ * dynamic;
  return { latencyS, bound, energy: { computeJ, onChipJ, offChipJ, staticJ, totalJ: computeJ + onChipJ + offChipJ + staticJ } };
}

/** What the cap model accepts: an analysis, an estimate input, or bare costed layers. */
export type PowerCapSource = Analysis | EstimateInput | readonly LayerCost[];

/** Estimates the source on `profile` unless it already is an analysis. */
export function asAnalysis(source: PowerCapSource, profile: HardwareProfile): Analysis {
  if (isLayerList(source)) {
    const weightBytes = source.reduce((s, l) => s + l.bytes.weights, 0);
    const params = source.reduce((s, l) => s + l.params, 0);
    return estimate({ model: { path: '', format: 'onnx', params, weightBytes }, layers: source, unknownOps: [], warnings: [], dims: {}, batch: 1 }, profile);
  }
  return 'kind' in source ? source : estimate(source, profile);
}

function isLayerList(source: PowerCapSource): source is readonly LayerCost[] {
  return Array.isArray(source);
}

/** Energy and latency per layer and in total with the device capped at `capW` watts. */
export function atPowerCap(source: PowerCapSource, profile: HardwareProfile, capW: number): PowerCapResult {
  const analysis = asAnalysis(source, profile);
  const ratio = frequencyRatio(profile, capW);
  const layers = analysis.layers.map((l) => capLayer(l, profile, ratio));
  let energy = ZERO_ENERGY;
  let latencyS = 0;
  for (const l of layers) {
    energy = addEnergy(energy, l.energy);
    latencyS += l.latencyS;
  }
  return { capW, frequencyRatio: ratio, latencyS, energy, layers };
}

export interface PowerCapPoint {
  readonly capW: number;
  readonly latencyS: number;
  readonly energyJ: number;
}

/** Evenly spaced caps from `fromW` (default: minimum cap, or idle + 10% of the range) to `toW` (max power). */
export function powerCapSweep(
  source: PowerCapSource,
  profile: HardwareProfile,
  options: { readonly fromW?: number; readonly toW?: number; readonly steps?: number } = {},
): PowerCapPoint[] {
  const analysis = asAnalysis(source, profile);
  const idle = profile.idlePowerW.value;
  const max = profile.maxPowerW.value;
  const from = options.fromW ?? profile.minPowerCapW?.value ?? idle + 0.1 * (max - idle);
  const to = options.toW ?? max;
  const steps = Math.max(2, Math.floor(options.steps ?? 10));
  const points: PowerCapPoint[] = [];
  for (let i = 0; i < steps; i++) {
    const capW = from + ((to - from) * i) / (steps - 1);
    const result = atPowerCap(analysis, profile, capW);
    points.push({ capW, latencyS: result.latencyS, energyJ: result.energy.totalJ });
  }
  return points;
}
