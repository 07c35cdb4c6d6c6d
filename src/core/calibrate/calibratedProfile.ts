/**
 * Turns `joule calibrate`'s measurements into a hardware profile (`this-machine`) in the profile
 * schema: every rate is a measured one, sourced to the calibration with its date and method. Energy
 * per operation and per byte need a power reading: with a counter (RAPL, NVML, powermetrics) they are
 * the measured busy power above idle divided by the measured rates; without one they are taken from a
 * shipped reference profile of the same kind and marked approximate, and the notes say so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HardwareProfile, MemoryLevel, Sourced } from '../energy/profileSchema';
import { validateProfile } from '../energy/profileSchema';
import { shapeFactor } from '../energy/kernelClasses';
import { tiledTrafficBytes } from '../energy/memoryTraffic';
import type { CalibrationResult, ProbeResult } from './calibrate';
import type { ProbeId } from './probes';

export const CALIBRATED_PROFILE_ID = 'this-machine';

function probe(result: CalibrationResult, id: ProbeId): ProbeResult {
  const p = result.probes.find((x) => x.id === id);
  if (!p || !(p.medianS > 0)) throw new Error(`calibration has no measurement for ${id}`);
  return p;
}

/**
 * MACs per second of a matrix probe, divided by the shape factor the estimator applies to the same
 * matrix shape: the profile then reproduces the probe's own time.
 */
function macRate(result: CalibrationResult, id: ProbeId, shaped = true): number {
  const p = probe(result, id);
  return p.macs / p.medianS / (shaped && p.gemm ? shapeFactor(p.gemm, 'cpu', id.startsWith('conv') ? 'conv' : 'gemm') : 1);
}

/** Bytes per second of a bandwidth probe (kernel time). */
function bandwidth(result: CalibrationResult, id: ProbeId): number {
  const p = probe(result, id);
  return p.bytes / p.medianS;
}

/**
 * The least bandwidth a cache level must have: the matrix probes moved their tiled operand traffic
 * through it (counted as the estimator counts it, tiles sized by the storage inside the level) in
 * their measured time. A small streaming probe cannot show a core cache's bandwidth (two kernels'
 * dispatch dominate its time), the GEMM can; without this floor every convolution would be priced as
 * bound by that cache, tens of times slower than it runs.
 */
function matrixTrafficBandwidth(result: CalibrationResult, innerCapacityBytes: number): number {
  return Math.max(...(['gemm-fp32', 'conv-fp32'] as const).map((id) => {
    const p = probe(result, id);
    return p.gemm ? tiledTrafficBytes(p.gemm, 4, innerCapacityBytes, 0) / p.medianS : 0;
  }));
}

/**
 * Elementwise ops per second of the vector units. The streaming probes are bound by memory, which the
 * estimator charges separately, so their rate is only a floor; the vector units are put at the
 * reference's ratio of vector to matrix peak on the measured matrix peak, or the floor when higher.
 */
function elementwiseRate(result: CalibrationResult, reference: HardwareProfile, fp32PeakOpsPerS: number): number {
  const streamed = Math.max(...(['copy-cache', 'copy-llc', 'copy-dram'] as const).map((id) => probe(result, id).elementOps / probe(result, id).medianS));
  const refPeak = reference.peakOpsPerS.fp32?.value;
  const scaled = refPeak ? (reference.vectorOpsPerS.value / refPeak) * fp32PeakOpsPerS : 0;
  return Math.max(streamed, scaled);
}

export function calibratedProfile(result: CalibrationResult, reference: HardwareProfile): HardwareProfile {
  const method = `joule calibrate on ${result.date.slice(0, 10)}: onnxruntime ${result.onnxruntime}, ${result.cpuModel}, ${result.logicalCores} logical cores, threads ${result.threads}`;
  const measured = (value: number, note: string): Sourced => ({ value, source: 'calibration', note });
  const fromReference = (value: Sourced, what: string): Sourced => ({
    value: value.value,
    source: 'reference',
    approx: true,
    note: `${what} not measurable without a power counter: ${reference.id}'s value`,
  });

  // Whole-run latencies: the dispatch cost is what the kernels' own times leave out.
  const overhead1 = probe(result, 'overhead-1').runS;
  const overhead256 = probe(result, 'overhead-256').runS;
  const perOpS = Math.max((overhead256 - overhead1) / 255, 1e-8);
  const gemm = macRate(result, 'gemm-fp32');
  const gemmInt8 = macRate(result, 'gemm-int8');
  const elementwise = elementwiseRate(result, reference, 2 * gemm);
  const conv = macRate(result, 'conv-fp32');
  const convInt8 = macRate(result, 'conv-int8');
  // Depthwise kernels get no shape factor in the estimator: their measured rate stands as it is.
  const depthwise = macRate(result, 'depthwise-fp32', false);
  // The register tile the innermost level's reuse is computed for is not measurable: the reference's.
  const registers = reference.registerReuseBytes;
  const cacheBw = Math.max(bandwidth(result, 'copy-cache'), matrixTrafficBandwidth(result, registers?.value ?? 0));
  const llcBw = Math.max(bandwidth(result, 'copy-llc'), matrixTrafficBandwidth(result, result.caches.coreBytes));
  const dramBw = bandwidth(result, 'copy-dram');

  // Busy power above idle, from the GEMM probe when a counter read it.
  const busy = probe(result, 'gemm-fp32').measuredPowerW;
  const idle = reference.idlePowerW;
  const dynamicW = busy !== undefined && busy > idle.value ? busy - idle.value : undefined;
  const perMacPJ = (rate: number, precision: 'fp32' | 'int8'): Sourced => {
    const ref = reference.energyPerMacPJ[precision] ?? reference.energyPerMacPJ.fp32!;
    return dynamicW === undefined ? fromReference(ref, `energy per ${precision} MAC`) : measured((dynamicW / rate) * 1e12, `(${busy!.toFixed(1)} W busy - ${idle.value} W idle) / measured ${precision} MAC rate`);
  };

  const refLevel = (i: number): MemoryLevel => reference.memory[Math.min(i, reference.memory.length - 1)]!;
  const level = (i: number, name: string, onChip: boolean, capacity: Sourced, bw: number, what: string): MemoryLevel => ({
    name,
    onChip,
    capacityBytes: capacity,
    bandwidthBytesPerS: measured(bw, onChip ? `the larger of Add + ReduceMax streaming a working set ${what} and the GEMM and convolution probes' tiled traffic through it` : `Add + ReduceMax streaming a working set ${what}`),
    energyPJPerByte: fromReference(refLevel(i).energyPJPerByte, `energy per byte (${name})`),
  });
  const caches = result.caches;
  const cacheSource = caches.source === 'sysfs' ? 'calibration' : 'reference';
  const profile: HardwareProfile = {
    schemaVersion: 1,
    id: CALIBRATED_PROFILE_ID,
    name: `This machine (${result.cpuModel}, threads ${result.threads}, calibrated ${result.date.slice(0, 10)})`,
    kind: 'cpu',
    processNm: { ...reference.processNm, source: 'reference', approx: true, note: `not measurable: ${reference.id}'s value` },
    peakOpsPerS: {
      fp32: measured(2 * gemm, 'large fp32 MatMul, 2 ops per MAC'),
      int8: measured(2 * gemmInt8, 'large MatMulInteger (uint8 x int8), 2 ops per MAC'),
    },
    vectorOpsPerS: { value: elementwise, source: 'calibration', approx: true, note: `${reference.id}'s ratio of vector to fp32 matrix peak on the measured fp32 peak (the Add + ReduceMax probes, bound by memory, give only a floor)` },
    energyPerMacPJ: { fp32: perMacPJ(gemm, 'fp32'), int8: perMacPJ(gemmInt8, 'int8') },
    otherOpEnergyPJ: {
      elementwise: fromReference(reference.otherOpEnergyPJ.elementwise, 'energy per elementwise op'),
      transcendental: fromReference(reference.otherOpEnergyPJ.transcendental, 'energy per transcendental op'),
    },
    memory: [
      level(0, 'cache', true, { value: caches.coreBytes, source: cacheSource, note: 'per-core cache (L2) size' }, cacheBw, 'in the core cache'),
      level(1, 'llc', true, { value: caches.lastLevelBytes, source: cacheSource, note: 'last-level cache size' }, llcBw, 'in the last-level cache'),
      level(2, 'dram', false, { value: 16 * 1024 ** 3, source: 'reference', approx: true, note: 'capacity does not limit a single inference' }, dramBw, 'larger than the caches'),
    ],
    ...(registers ? { registerReuseBytes: { value: registers.value, source: 'reference', approx: true, note: `register tile not measurable: ${reference.id}'s value` } } : {}),
    idlePowerW: fromReference(idle, 'idle power'),
    maxPowerW: busy !== undefined && busy > idle.value
      ? measured(Math.max(busy, idle.value * 1.01), `average power of the fp32 GEMM probe (${probe(result, 'gemm-fp32').powerSource ?? 'counter'})`)
      : fromReference(reference.maxPowerW, 'busy power'),
    efficiency: {
      compute: measured(1, 'the peaks above are measured throughputs: no further derating'),
      memory: measured(1, 'the bandwidths above are measured: no further derating'),
    },
    kernelEfficiency: {
      conv: measured(conv / gemm, 'fp32 3x3 convolution MAC rate / fp32 GEMM MAC rate'),
      depthwise: measured(depthwise / gemm, 'fp32 3x3 depthwise convolution MAC rate / fp32 GEMM MAC rate'),
      convInteger: measured(convInt8 / conv, 'ConvInteger MAC rate / fp32 convolution MAC rate'),
    },
    perOpOverheadS: measured(perOpS, '(256-op chain - 1-op chain) / 255, Adds on 8 values'),
    sparsity24: false,
    sources: {
      calibration: method,
      reference: `shipped profile ${reference.id} (${reference.name}): values this calibration cannot measure`,
    },
    notes: dynamicW === undefined
      ? 'Rates, bandwidths and per-operator overhead are measured on this machine. No power counter was readable, so energy per operation, per byte and the power figures are the reference profile\'s (approximate).'
      : 'Rates, bandwidths, per-operator overhead and busy power are measured on this machine; energy per byte and idle power are the reference profile\'s (approximate).',
  };
  const check = validateProfile(profile);
  if (!check.ok) throw new Error(`calibrated profile is invalid: ${check.errors.join('; ')}`);
  return check.profile;
}

/**
 * Writes `this-machine.json` into a profiles folder through a temporary file and a rename, so a
 * cancelled or failed write leaves the previous calibration whole. Returns the file.
 */
export function saveCalibratedProfile(profilesDir: string, profile: HardwareProfile): string {
  const file = path.join(profilesDir, `${CALIBRATED_PROFILE_ID}.json`);
  fs.mkdirSync(profilesDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, `${JSON.stringify(profile, null, 2)}\n`, { flag: 'wx' });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return file;
}
