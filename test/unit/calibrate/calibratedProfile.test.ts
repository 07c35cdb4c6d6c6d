/**
 * From measurements to a profile: a calibration recorded on a 2-core EPYC VM (onnxruntime 1.30) turned
 * into `this-machine` must price the probes' own models at about the times they were measured at. The
 * small streaming probe is dominated by dispatch and the vector rate it shows is bound by memory; taken
 * as they are, they made every convolution cache-bound and the whole estimate 30-50x too slow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../../src/core/pipeline/modelFile';
import { probeSizes, type CalibrationResult, type ProbeResult } from '../../../src/core/calibrate/calibrate';
import { calibratedProfile, saveCalibratedProfile } from '../../../src/core/calibrate/calibratedProfile';
import { buildProbes, type ProbeId } from '../../../src/core/calibrate/probes';
import { getProfile } from '../../../src/core/energy/profileRegistry';

const caches = { coreBytes: 524288, lastLevelBytes: 33554432, source: 'sysfs' } as const;
const probes = buildProbes(probeSizes(caches, 1));
// Kernel time (profiler) and whole-run time, seconds, as the calibration measured them.
const measured: Record<ProbeId, [medianS: number, runS: number]> = {
  'gemm-fp32': [0.0066388, 0.0085376],
  'gemm-int8': [0.0031092, 0.0048056],
  'conv-fp32': [0.0013407, 0.0019598],
  'conv-int8': [0.0052560, 0.0056482],
  'depthwise-fp32': [0.000364, 0.0030862],
  'copy-cache': [0.0000293, 0.0000726],
  'copy-llc': [0.0005032, 0.0006101],
  'copy-dram': [0.0095666, 0.0086834],
  'overhead-1': [0.00001295, 0.0000589],
  'overhead-256': [0.00148385, 0.00018906],
};
const result: CalibrationResult = {
  date: '2026-12-05T19:04:50.679Z',
  cpuModel: 'AMD EPYC',
  logicalCores: 2,
  threads: 'default',
  onnxruntime: '1.30.0',
  caches,
  probes: probes.map((p): ProbeResult => ({
    id: p.id, what: p.what, medianS: measured[p.id][0], runS: measured[p.id][1], macs: p.macs, bytes: p.bytes, elementOps: p.elementOps,
    ...(p.gemm ? { gemm: p.gemm } : {}),
  })),
  durationS: 5.2,
};
const profile = calibratedProfile(result, getProfile('x86-core')!);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-calibrated-profile-'));
saveCalibratedProfile(dir, profile);

function estimatedS(id: ProbeId): number {
  const file = path.join(dir, `${id}.onnx`);
  fs.writeFileSync(file, probes.find((p) => p.id === id)!.model.toBytes());
  return analyzeFile(file, { profileId: 'this-machine', userProfilesDir: dir }).totals.latencyS;
}

test('the calibrated profile prices the matrix probes at their measured kernel times', (t) => {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const id of ['gemm-fp32', 'conv-fp32', 'depthwise-fp32'] as const) {
    const ratio = estimatedS(id) / measured[id][0];
    assert.ok(ratio > 0.8 && ratio < 1.25, `${id}: estimated / measured ${ratio.toFixed(2)}`);
  }
});

test('cache bandwidths are at least what the GEMM moved through them; vector units are not memory-bound', () => {
  const [cache, llc, dram] = profile.memory;
  const streamed = (id: ProbeId): number => probes.find((p) => p.id === id)!.bytes / measured[id][0];
  // The streaming probe alone says ~13 GB/s for the core cache; the GEMM's tiled operand traffic says ~115.
  assert.ok(cache!.bandwidthBytesPerS.value > 3 * streamed('copy-cache'), String(cache!.bandwidthBytesPerS.value));
  assert.ok(llc!.bandwidthBytesPerS.value >= streamed('copy-llc'));
  assert.equal(dram!.bandwidthBytesPerS.value, streamed('copy-dram'));
  assert.equal(profile.registerReuseBytes?.value, getProfile('x86-core')!.registerReuseBytes?.value);
  // The Add + ReduceMax rate (a few G element ops/s, bound by memory) is only a floor for the vector units.
  const elementRate = (id: ProbeId): number => probes.find((p) => p.id === id)!.elementOps / measured[id][0];
  assert.ok(profile.vectorOpsPerS.value > 2 * Math.max(elementRate('copy-cache'), elementRate('copy-llc'), elementRate('copy-dram')));
  assert.equal(profile.vectorOpsPerS.approx, true);
});
