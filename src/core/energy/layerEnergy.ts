/**
 * Costs one layer on a profile: traffic per level, roofline timing and the energy split
 * (compute / on-chip / off-chip / static). Used by `estimate` for every layer and by the advisor to
 * re-cost a changed layer in the same residency context.
 */
import type { OpCost } from '../cost/types';
import type { EnergyBreakdown } from './analysis';
import type { HardwareProfile } from './profileSchema';
import { macEnergyPJ, memoryRoles, type MemoryRoles } from './profileLookup';
import { layerTraffic, type LayerResidency, type LayerTraffic } from './memoryTraffic';
import { computeTimeS, memoryTimeS, rooflineTiming, type KernelExecution, type LayerTiming } from './roofline';

const PJ = 1e-12;

export type CostableLayer = Pick<OpCost, 'macs' | 'flops' | 'bytes' | 'gemm' | 'precision'>;

export interface LayerCostOptions {
  /** Leave out the per-operator overhead (the layer is fused into its producer). */
  readonly fused?: boolean;
  /** How the kernel runs (executed precision, kernel-class efficiency); the stored precision at full efficiency when absent. */
  readonly execution?: KernelExecution;
}

export interface CostedLayer {
  readonly traffic: LayerTraffic;
  readonly timing: LayerTiming;
  readonly energy: EnergyBreakdown;
  /** FLOPs per off-chip byte; per byte of the outermost level touched when nothing goes off chip. */
  readonly intensity: number;
}

export function computeEnergyJ(layer: Pick<OpCost, 'macs' | 'flops' | 'precision'>, profile: HardwareProfile): number {
  const other = profile.otherOpEnergyPJ;
  return (layer.macs * macEnergyPJ(profile, layer.precision)
    + layer.flops.elementwise * other.elementwise.value
    + layer.flops.transcendental * other.transcendental.value) * PJ;
}

export function costLayer(
  layer: CostableLayer,
  residency: LayerResidency,
  profile: HardwareProfile,
  weightsResident: boolean,
  options: LayerCostOptions = {},
  roles: MemoryRoles = memoryRoles(profile),
): CostedLayer {
  const traffic = layerTraffic(layer, residency, profile, weightsResident, roles);
  const timing = rooflineTiming(computeTimeS(layer, profile, options.execution), memoryTimeS(traffic.byLevel, profile), options.fused === true ? 0 : profile.perOpOverheadS.value);
  let onChipJ = 0;
  let offChipJ = 0;
  traffic.byLevel.forEach((bytes, i) => {
    const level = profile.memory[i]!;
    const joules = bytes * level.energyPJPerByte.value * PJ;
    if (level.onChip) onChipJ += joules;
    else offChipJ += joules;
  });
  const computeJ = computeEnergyJ(options.execution === undefined ? layer : { ...layer, precision: options.execution.precision }, profile);
  const staticJ = staticEnergyJ(profile, timing, computeJ + onChipJ + offChipJ, computeJ + onChipJ);
  const flops = layer.flops.mac + layer.flops.elementwise + layer.flops.transcendental;
  let denominator = traffic.offChipBytes;
  for (let i = traffic.byLevel.length - 1; denominator === 0 && i >= 0; i--) denominator = traffic.byLevel[i]!;
  return {
    traffic,
    timing,
    energy: { computeJ, onChipJ, offChipJ, staticJ, totalJ: computeJ + onChipJ + offChipJ + staticJ },
    intensity: denominator > 0 ? flops / denominator : 0,
  };
}

/**
 * Power model: the device draws idle power plus its ops and bytes, and while a kernel keeps it busy
 * at least idle + (active - idle) x busy share (clocks, schedulers and register files the per-op
 * energies leave out). A profile that knows the share of its chip's power the per-op energies leave
 * out (`unattributedPowerShare`) draws at least the chip's ops and bytes x share / (1 - share) beside
 * them (off-chip memory is on its own rail). The part above ops + bytes is reported with static energy.
 */
export function staticEnergyJ(profile: HardwareProfile, timing: Pick<LayerTiming, 'computeS' | 'memoryS' | 'latencyS'>, dynamicJ: number, chipDynamicJ = dynamicJ): number {
  const share = profile.unattributedPowerShare?.value ?? 0;
  const baseJ = Math.max(profile.idlePowerW.value * timing.latencyS, (chipDynamicJ * share) / (1 - share));
  const active = profile.activePowerW?.value;
  if (active === undefined || timing.latencyS <= 0) return baseJ;
  const busyShare = Math.max(timing.computeS, timing.memoryS) / timing.latencyS;
  const floorJ = (profile.idlePowerW.value + (active - profile.idlePowerW.value) * busyShare) * timing.latencyS;
  return Math.max(baseJ, floorJ - dynamicJ);
}

export const ZERO_ENERGY: EnergyBreakdown = { computeJ: 0, onChipJ: 0, offChipJ: 0, staticJ: 0, totalJ: 0 };

export function addEnergy(a: EnergyBreakdown, b: EnergyBreakdown): EnergyBreakdown {
  return {
    computeJ: a.computeJ + b.computeJ,
    onChipJ: a.onChipJ + b.onChipJ,
    offChipJ: a.offChipJ + b.offChipJ,
    staticJ: a.staticJ + b.staticJ,
    totalJ: a.totalJ + b.totalJ,
  };
}

export function scaleEnergy(a: EnergyBreakdown, factor: number): EnergyBreakdown {
  return {
    computeJ: a.computeJ * factor,
    onChipJ: a.onChipJ * factor,
    offChipJ: a.offChipJ * factor,
    staticJ: a.staticJ * factor,
    totalJ: a.totalJ * factor,
  };
}
