import type { Analysis } from '../energy/analysis';
import type { Precision } from '../cost/types';
import type { HardwareProfile } from '../energy/profileSchema';
import { effectivePrecision, memoryRoles, peakOpsPerS } from '../energy/profileLookup';

type Roofline = NonNullable<Analysis['profile']['roofline']>;

/** The precision that carries most of the model's MACs (fp32 for a model without MACs). */
export function dominantPrecision(analysis: Pick<Analysis, 'layers'>): Precision {
  const macsBy = new Map<Precision, number>();
  for (const layer of analysis.layers) macsBy.set(layer.precision, (macsBy.get(layer.precision) ?? 0) + layer.macs);
  let best: Precision = 'fp32';
  let bestMacs = 0;
  for (const [precision, macs] of macsBy) {
    if (macs > bestMacs) [best, bestMacs] = [precision, macs];
  }
  return best;
}

/**
 * The roof a roofline chart draws for `profile`: the matrix units' peak at the precision the device
 * runs the model's dominant precision at, and the bandwidth of the level activations spill to (the
 * outermost level when nothing spills), both times the profile's efficiency factors, as the latency
 * model (energy/roofline.ts) uses them, so compute-bound layers sit on the roof.
 */
/** The analysis with its profile's roof set (every input kind: model files, LLM configs, Python code). */
export function withRoofline<A extends Analysis>(analysis: A, profile: HardwareProfile): A {
  if (analysis.profile.roofline !== undefined) return analysis;
  return { ...analysis, profile: { ...analysis.profile, roofline: rooflineOf(analysis, profile) } };
}

export function rooflineOf(analysis: Pick<Analysis, 'layers'>, profile: HardwareProfile): Roofline | undefined {
  const roles = memoryRoles(profile);
  const offChip = roles.levels[roles.spill >= 0 ? roles.spill : roles.weightHome];
  if (offChip === undefined) return undefined;
  const precision = effectivePrecision(profile, dominantPrecision(analysis));
  return {
    precision,
    peakFlopsPerS: peakOpsPerS(profile, precision) * profile.efficiency.compute.value,
    offChipBytesPerS: offChip.bandwidthBytesPerS.value * profile.efficiency.memory.value,
  };
}
