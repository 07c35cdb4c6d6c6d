import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { estimate } from '../../../src/core/energy/estimate';
import { carbonAwareCap } from '../../../src/core/energy/carbonAwareCap';
import { atPowerCap, frequencyRatio, powerCapSweep } from '../../../src/core/energy/powerCap';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { chain, elementwise, inputOf, matmul } from './syntheticLayers';
import { testProfile } from './testProfile';

const profile = testProfile(); // idle 10 W, max 110 W, min cap 20 W
const computeBound = inputOf([matmul('gemm', 512, 1024, 1024)]);
const memoryBound = inputOf([matmul('gemv', 1, 1024, 1024)]);

test('frequency scales with the cube root of the dynamic power budget', () => {
  assert.equal(frequencyRatio(profile, 110), 1);
  assert.equal(frequencyRatio(profile, 500), 1, 'a cap above max power changes nothing');
  assert.ok(Math.abs(frequencyRatio(profile, 22.5) - 0.5) < 1e-12, '(12.5/100)^(1/3) = 0.5');
  assert.throws(() => frequencyRatio(profile, 15), /cannot be capped below 20 W/);
  assert.throws(() => frequencyRatio(testProfile({ minPowerCapW: undefined }), 10), /must exceed/);
});

test('a compute-bound layer slows by 1/r and its compute energy falls by r²', () => {
  const base = estimate(computeBound, profile);
  const capped = atPowerCap(base, profile, 22.5);
  const layer = base.layers[0]!;
  assert.equal(layer.bound, 'compute');
  const expected = layer.timing!.computeS / 0.5 + layer.timing!.overheadS;
  assert.ok(Math.abs(capped.latencyS - expected) < 1e-12);
  assert.ok(Math.abs(capped.energy.computeJ - layer.energy.computeJ * 0.25) < 1e-15);
  assert.equal(capped.energy.offChipJ, layer.energy.offChipJ);
});

test('a memory-bound layer keeps its latency and saves energy under a cap', () => {
  const base = estimate(memoryBound, profile);
  assert.equal(base.layers[0]!.bound, 'memory');
  const capped = atPowerCap(base, profile, 40);
  assert.equal(capped.latencyS, base.totals.latencyS);
  assert.ok(capped.energy.totalJ < base.totals.energy.totalJ);
  assert.equal(capped.layers[0]!.bound, 'memory');
});

test('lower caps never shorten latency nor raise dynamic energy (property)', () => {
  const model = inputOf(chain([
    (i, o) => matmul('a', 256, 512, 512, { inputs: [i], outputs: [o] }),
    (i, o) => elementwise('b', 256 * 512, { inputs: [i], outputs: [o] }),
    (i, o) => matmul('c', 1, 2048, 2048, { inputs: [i], outputs: [o] }),
  ]));
  const base = estimate(model, profile);
  fc.assert(fc.property(fc.double({ min: 20, max: 200, noNaN: true }), fc.double({ min: 20, max: 200, noNaN: true }), (x, y) => {
    const [low, high] = x <= y ? [x, y] : [y, x];
    const a = atPowerCap(base, profile, low);
    const b = atPowerCap(base, profile, high);
    return a.latencyS >= b.latencyS - 1e-15
      && a.energy.computeJ + a.energy.onChipJ <= b.energy.computeJ + b.energy.onChipJ + 1e-18;
  }), { numRuns: 200 });
});

test('a sweep runs from the minimum cap to max power and accepts raw layers', () => {
  const points = powerCapSweep(computeBound, profile, { steps: 5 });
  assert.deepEqual(points.map((p) => p.capW), [20, 42.5, 65, 87.5, 110]);
  for (let i = 1; i < points.length; i++) assert.ok(points[i]!.latencyS <= points[i - 1]!.latencyS);
  assert.equal(points[4]!.energyJ, estimate(computeBound, profile).totals.energy.totalJ);
  const fromLayers = atPowerCap(computeBound.layers, profile, 50);
  assert.equal(fromLayers.latencyS, atPowerCap(computeBound, profile, 50).latencyS, 'bare layers are estimated first');
  const a100 = getProfile('a100')!;
  assert.equal(powerCapSweep(memoryBound, a100)[0]!.capW, 100);
});

test('carbon-aware capping accepts more slowdown, and caps lower, on a dirtier grid', () => {
  const model = inputOf(chain([
    (i, o) => matmul('a', 512, 1024, 1024, { inputs: [i], outputs: [o] }),
    (i, o) => matmul('b', 1, 2048, 2048, { inputs: [i], outputs: [o] }),
  ]));
  const base = estimate(model, profile);
  const clean = carbonAwareCap(base, profile, { gridRegion: 'NO' });
  const dirty = carbonAwareCap(base, profile, { gridRegion: 'IN' });
  assert.ok(Math.abs(dirty.allowedSlowdown - 0.05 * 713 / 436) < 1e-12);
  assert.ok(clean.allowedSlowdown < dirty.allowedSlowdown);
  assert.ok(dirty.capW <= clean.capW);
  assert.ok(dirty.latencyRatio <= 1 + dirty.allowedSlowdown + 1e-12);
  assert.ok(dirty.energyJ <= clean.energyJ);
  assert.ok(dirty.savedCo2eGrams >= 0 && clean.savedCo2eGrams >= 0);
  assert.equal(carbonAwareCap(base, profile, { gridIntensityGPerKWh: 10_000 }).allowedSlowdown, 0.5, 'clamped');
});
