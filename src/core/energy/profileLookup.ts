/**
 * Reading numbers out of a profile: the precision a layer actually runs at on the device (a device
 * without fp32 tensor units runs fp32 layers at the nearest precision it has), the on-chip buffer
 * level, where activations spill and where weights live.
 */
import type { Precision } from '../cost/types';
import type { HardwareProfile, MemoryLevel } from './profileSchema';

/** Nearest substitutes first: what a device without `precision` would run the layer at. */
const FALLBACKS: Readonly<Record<Precision, readonly Precision[]>> = {
  fp64: ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'int16'],
  fp32: ['fp32', 'tf32', 'fp16', 'bf16', 'int16', 'int8'],
  tf32: ['tf32', 'fp32', 'fp16', 'bf16', 'int16', 'int8'],
  fp16: ['fp16', 'bf16', 'fp32', 'int16', 'int8'],
  bf16: ['bf16', 'fp16', 'fp32', 'int16', 'int8'],
  fp8: ['fp8', 'int8', 'fp16', 'bf16', 'int16', 'fp32'],
  int32: ['int32', 'fp32', 'int16', 'int8'],
  int16: ['int16', 'int32', 'fp16', 'bf16', 'int8', 'fp32'],
  int8: ['int8', 'int16', 'fp8', 'fp16', 'bf16', 'fp32'],
  int4: ['int4', 'int8', 'int16', 'fp8', 'fp16', 'bf16', 'fp32'],
};

export const BYTES_PER_ELEMENT: Readonly<Record<Precision, number>> = {
  fp64: 8, fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int32: 4, int16: 2, int8: 1, int4: 0.5,
};

/** The precision the device computes `precision` at: the first fallback with both a peak and an energy. */
export function effectivePrecision(profile: HardwareProfile, precision: Precision): Precision {
  const has = (p: Precision): boolean => profile.peakOpsPerS[p] !== undefined && profile.energyPerMacPJ[p] !== undefined;
  const found = FALLBACKS[precision].find(has);
  if (found !== undefined) return found;
  const any = (Object.keys(profile.peakOpsPerS) as Precision[]).find(has);
  if (any === undefined) throw new Error(`Profile ${profile.id} has no precision with both a peak and an energy per MAC`);
  return any;
}

export function peakOpsPerS(profile: HardwareProfile, precision: Precision): number {
  return profile.peakOpsPerS[effectivePrecision(profile, precision)]!.value;
}

export function macEnergyPJ(profile: HardwareProfile, precision: Precision): number {
  return profile.energyPerMacPJ[effectivePrecision(profile, precision)]!.value;
}

export function tileBytes(level: MemoryLevel): number {
  return (level.tileBytes ?? level.capacityBytes).value;
}

/** The memory levels' roles for the traffic model, resolved once per profile. */
export interface MemoryRoles {
  readonly levels: readonly MemoryLevel[];
  /** Index of the on-chip buffer activations stay in (outermost writable on-chip level), or -1. */
  readonly buffer: number;
  /** Index of the level activations spill to (first writable off-chip level), or -1 when none. */
  readonly spill: number;
  /** Index of the level weights are read from when they are not resident (the outermost level). */
  readonly weightHome: number;
  /** Index of the weight-residence level, or -1. */
  readonly residence: number;
}

export function memoryRoles(profile: HardwareProfile): MemoryRoles {
  const levels = profile.memory;
  let buffer = -1;
  levels.forEach((l, i) => { if (l.onChip && l.readOnly !== true) buffer = i; });
  const spill = levels.findIndex((l) => !l.onChip && l.readOnly !== true);
  const residence = profile.weightResidence === undefined ? -1 : levels.findIndex((l) => l.name === profile.weightResidence!.level);
  return { levels, buffer, spill, weightHome: levels.length - 1, residence };
}
