import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Precision } from '../../../src/core/cost/types';
import { estimate } from '../../../src/core/energy/estimate';
import { getProfile, shippedProfiles } from '../../../src/core/energy/profileRegistry';
import { chain, elementwise, inputOf, matmul, unknownLayer } from './syntheticLayers';
import { s, testProfile } from './testProfile';

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-30), `${a} ≈ ${b}`);

test('energy of a layer is compute + bytes × pJ per level + idle × latency, by hand', () => {
  const profile = testProfile();
  const layer = matmul('fc', 1, 100, 100);
  const a = estimate(inputOf([layer]), profile).layers[0]!;
  // 10,000 MACs at 1 pJ; 40,000 B weights + 400 B in + 400 B out through the buffer (1 pJ/B) and DRAM (100 pJ/B).
  close(a.energy.computeJ, 10_000e-12);
  close(a.energy.onChipJ, 40_800e-12);
  close(a.energy.offChipJ, 40_800 * 100e-12);
  assert.equal(a.bytes.byLevel['buffer'], 40_800);
  assert.equal(a.bytes.byLevel['dram'], 40_800);
  close(a.energy.staticJ, 10 * a.latencyS);
  close(a.energy.totalJ, a.energy.computeJ + a.energy.onChipJ + a.energy.offChipJ + a.energy.staticJ);
  assert.equal(a.bound, 'overhead', 'a 10k-MAC layer is dominated by its 1 µs dispatch');
});

test('a profile that knows the power its per-op energies leave out adds it beside the chip\'s ops and bytes, not the off-chip ones', () => {
  const layer = matmul('fc', 512, 1024, 1024);
  const plain = estimate(inputOf([layer]), testProfile({ idlePowerW: s(0) })).layers[0]!;
  const share = 0.45;
  const withShare = estimate(inputOf([layer]), testProfile({ idlePowerW: s(0), unattributedPowerShare: s(share) })).layers[0]!;
  assert.equal(plain.energy.staticJ, 0);
  close(withShare.energy.staticJ, (withShare.energy.computeJ + withShare.energy.onChipJ) * share / (1 - share));
  close(withShare.energy.offChipJ, plain.energy.offChipJ);
  // The share of the chip's power: the chip's energy is its ops and bytes / (1 - share).
  close((withShare.energy.totalJ - withShare.energy.offChipJ) * (1 - share), withShare.energy.computeJ + withShare.energy.onChipJ);
  // Idle power still bounds it from below on a short, idle-dominated layer.
  const tiny = estimate(inputOf([matmul('fc', 1, 10, 10)]), testProfile({ unattributedPowerShare: s(share) })).layers[0]!;
  close(tiny.energy.staticJ, 10 * tiny.latencyS);
});

test('totals are the sums of the layers; shares sum to 1; unknown layers are listed at zero', () => {
  const layers = [
    ...chain([
      (i, o) => matmul('fc1', 32, 512, 256, { inputs: [i], outputs: [o] }),
      (i, o) => elementwise('relu', 32 * 512, { inputs: [i], outputs: [o] }),
      (i, o) => unknownLayer('mystery', { inputs: [i], outputs: [o] }),
      (i, o) => matmul('fc2', 32, 10, 512, { inputs: [i], outputs: [o] }),
    ]),
  ];
  const input = { ...inputOf(layers, 32), unknownOps: [{ opType: 'MysteryOp', domain: 'com.example', count: 1, nodes: ['mystery'] }], warnings: ['from the reader'] };
  for (const profile of shippedProfiles()) {
    const a = estimate(input, profile, { gridRegion: 'FR' });
    assert.equal(a.layers.length, 4);
    const mystery = a.layers[2]!;
    assert.equal(mystery.bound, 'unknown');
    assert.equal(mystery.energy.totalJ, 0);
    assert.equal(mystery.confidence, 'unknown');
    close(a.layers.reduce((s, l) => s + l.energy.totalJ, 0), a.totals.energy.totalJ);
    close(a.layers.reduce((s, l) => s + l.latencyS, 0), a.totals.latencyS);
    close(a.layers.reduce((s, l) => s + l.energyShare, 0), 1);
    assert.equal(a.totals.macs, 32 * 512 * 256 + 32 * 10 * 512);
    assert.ok(a.totals.energy.totalJ > 0 && Number.isFinite(a.totals.energy.totalJ), profile.id);
    for (const l of a.layers) for (const v of Object.values(l.bytes.byLevel)) assert.ok(Number.isFinite(v) && v >= 0);
    assert.equal(a.warnings[0], 'from the reader');
    assert.equal(a.unknownOps.length, 1);
    assert.equal(a.settings.gridRegion, 'FR');
    assert.equal(a.settings.batch, 32);
    assert.equal(a.profile.id, profile.id);
  }
});

test('data movement dominates a memory-bound layer and int8 weights cut it', () => {
  const profile = getProfile('a100')!;
  const fp = estimate(inputOf([matmul('fc', 1, 4096, 4096, { precision: 'fp16' })]), profile).layers[0]!;
  assert.equal(fp.bound, 'memory');
  assert.ok(fp.energy.offChipJ > 10 * fp.energy.computeJ, 'moving weights costs far more than the MACs');
  const q = estimate(inputOf([matmul('fc', 1, 4096, 4096, { precision: 'int8' })]), profile).layers[0]!;
  assert.ok(q.energy.offChipJ < fp.energy.offChipJ * 0.55);
});

test('the same model costs less on the architectures built for it', () => {
  const model = inputOf(chain([
    (i, o) => matmul('conv-like', 3136, 64, 576, { inputs: [i], outputs: [o], precision: 'int8' }),
    (i, o) => matmul('fc', 1, 1000, 2048, { inputs: [i], outputs: [o], precision: 'int8' }),
  ]));
  const energy = (id: string) => estimate(model, getProfile(id)!).totals.energy;
  const pim = energy('pim-reram');
  assert.ok(pim.offChipJ < energy('fpga-zu9').offChipJ, 'in-memory weights avoid off-chip weight traffic');
  assert.ok(energy('edge-tpu').totalJ < energy('desktop-x86').totalJ, 'an int8 accelerator beats a desktop CPU');
});

test('an empty model yields zeros, not NaN', () => {
  const a = estimate(inputOf([]), testProfile());
  assert.equal(a.totals.energy.totalJ, 0);
  assert.equal(a.totals.latencyS, 0);
  assert.equal(a.totals.co2eGrams, 0);
  assert.deepEqual(a.layers, []);
});

test('for random layer chains on every profile: energies are finite and non-negative, totals add up, off-chip traffic meets its floor (property)', () => {
  const profiles = shippedProfiles();
  const layerArb = fc.record({
    kind: fc.constantFrom('matmul', 'elementwise'),
    m: fc.integer({ min: 1, max: 2048 }),
    n: fc.integer({ min: 1, max: 4096 }),
    k: fc.integer({ min: 1, max: 4096 }),
    precision: fc.constantFrom('fp32', 'fp16', 'int8', 'bf16', 'int4') as fc.Arbitrary<Precision>,
  });
  fc.assert(fc.property(fc.array(layerArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: profiles.length - 1 }), (specs, p) => {
    const profile = profiles[p]!;
    const layers = chain(specs.map((s, i) => (input: string, output: string) => (s.kind === 'matmul'
      ? matmul(`l${i}`, s.m, s.n, s.k, { inputs: [input], outputs: [output], precision: s.precision })
      : elementwise(`l${i}`, s.m * s.n, { inputs: [input], outputs: [output], precision: s.precision }))));
    const a = estimate(inputOf(layers), profile);
    let sum = 0;
    for (const l of a.layers) {
      for (const v of Object.values(l.energy)) if (!(Number.isFinite(v) && v >= 0)) return false;
      const offChip = profile.memory.filter((m) => !m.onChip).reduce((s, m) => s + l.bytes.byLevel[m.name]!, 0);
      if (offChip + 1e-6 < l.bytes.offChipFloor) return false;
      sum += l.energy.totalJ;
    }
    return Math.abs(sum - a.totals.energy.totalJ) <= 1e-9 * a.totals.energy.totalJ;
  }), { numRuns: 150 });
});
