import type { Analysis } from '../energy/analysis';
import type { Precision } from '../cost/types';
import type { HardwareProfile } from '../energy/profileSchema';

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
 * The roof a roofline chart draws for `profile`: peak ops at the model's dominant precision (falling
 * back to fp32, then the fastest precision listed) and the outermost memory level's bandwidth, both
 * scaled by the profile's efficiency factors, so layers the latency model calls compute-bound sit on
 * the roof. Undefined when the profile has neither.
 */
export function rooflineOf(analysis: Pick<Analysis, 'layers'>, profile: HardwareProfile): Roofline | undefined {
  const wanted = dominantPrecision(analysis);
  const peaks = profile.peakOpsPerS;
  const precision: Precision | undefined =
    peaks[wanted] !== undefined
      ? wanted
      : peaks.fp32 !== undefined
        ? 'fp32'
        : (Object.keys(peaks) as Precision[]).sort((a, b) => (peaks[b]?.value ?? 0) - (peaks[a]?.value ?? 0))[0];
  const outermost = profile.memory[profile.memory.length - 1];
  if (precision === undefined || outermost === undefined) return undefined;
  return {
    precision,
    peakFlopsPerS: peaks[precision]!.value * profile.efficiency.compute.value,
    offChipBytesPerS: outermost.bandwidthBytesPerS.value * profile.efficiency.memory.value,
  };
}
