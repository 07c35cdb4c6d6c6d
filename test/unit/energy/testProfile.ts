/** A small hand-made profile with round numbers, so test expectations can be computed by hand. */
import type { HardwareProfile, MemoryLevel } from '../../../src/core/energy/profileSchema';

export const s = (value: number) => ({ value, source: 't' });

export function level(name: string, onChip: boolean, capacity: number, bandwidth: number, pjPerByte: number, extra: Partial<MemoryLevel> = {}): MemoryLevel {
  return { name, onChip, capacityBytes: s(capacity), bandwidthBytesPerS: s(bandwidth), energyPJPerByte: s(pjPerByte), ...extra };
}

/**
 * 1 Tops fp32 (0.5 TMAC/s) at 1 pJ/MAC; a 1 MB on-chip buffer at 1 pJ/B and 1 TB/s; DRAM at
 * 100 pJ/B and 100 GB/s; 64 KB of register reuse; idle 10 W, max 110 W, min cap 20 W; 1 µs per-op overhead; efficiencies 1.
 */
export function testProfile(overrides: Partial<HardwareProfile> = {}): HardwareProfile {
  return {
    schemaVersion: 1,
    id: 'test',
    name: 'Test device',
    kind: 'gpu',
    processNm: s(7),
    peakOpsPerS: { fp32: s(1e12), int8: s(4e12) },
    vectorOpsPerS: s(1e12),
    energyPerMacPJ: { fp32: s(1), int8: s(0.1) },
    otherOpEnergyPJ: { elementwise: s(0.5), transcendental: s(5) },
    memory: [level('buffer', true, 1_000_000, 1e12, 1), level('dram', false, 1e10, 1e11, 100)],
    registerReuseBytes: s(64 * 1024),
    idlePowerW: s(10),
    maxPowerW: s(110),
    minPowerCapW: s(20),
    efficiency: { compute: s(1), memory: s(1) },
    perOpOverheadS: s(1e-6),
    sparsity24: true,
    sources: { t: 'test' },
    ...overrides,
  };
}
