/**
 * Roofline latency of one layer: max(compute time, memory time) at the profile's peaks times its
 * efficiency factors, plus a fixed per-operator overhead. The bound names the largest term.
 */
import type { OpCost, Precision } from '../cost/types';
import type { Bound } from './analysis';
import type { HardwareProfile } from './profileSchema';
import { peakOpsPerS } from './profileLookup';

export interface LayerTiming {
  readonly computeS: number;
  readonly memoryS: number;
  readonly overheadS: number;
  readonly latencyS: number;
  readonly bound: Bound;
}

/** How the layer's kernel runs: its executed precision and its kernel class's share of the matrix peak. */
export interface KernelExecution {
  readonly precision: Precision;
  /** Multiplier on the profile's compute efficiency for the matrix units (kernel class, shape, slow paths). */
  readonly matrixEfficiency: number;
}

/** Compute time: MAC ops on the matrix units at the layer's precision, other ops on the vector units. */
export function computeTimeS(layer: Pick<OpCost, 'flops' | 'precision'>, profile: HardwareProfile, execution?: KernelExecution): number {
  const efficiency = profile.efficiency.compute.value;
  const precision = execution?.precision ?? layer.precision;
  const matrix = layer.flops.mac / (peakOpsPerS(profile, precision) * efficiency * (execution?.matrixEfficiency ?? 1));
  const vector = (layer.flops.elementwise + layer.flops.transcendental) / (profile.vectorOpsPerS.value * efficiency);
  return matrix + vector;
}

/** Memory time: levels transfer concurrently, so the slowest level sets the time. */
export function memoryTimeS(byLevel: readonly number[], profile: HardwareProfile): number {
  const efficiency = profile.efficiency.memory.value;
  let slowest = 0;
  byLevel.forEach((bytes, i) => {
    slowest = Math.max(slowest, bytes / (profile.memory[i]!.bandwidthBytesPerS.value * efficiency));
  });
  return slowest;
}

/** Combines the three terms; `overheadS` = 0 models an operator fused into its producer. */
export function rooflineTiming(computeS: number, memoryS: number, overheadS: number): LayerTiming {
  const busy = Math.max(computeS, memoryS);
  const bound: Bound = overheadS > busy ? 'overhead' : computeS >= memoryS ? 'compute' : 'memory';
  return { computeS, memoryS, overheadS, latencyS: busy + overheadS, bound };
}
