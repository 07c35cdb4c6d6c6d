import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerCost } from '../../../src/core/cost/types';
import { convCost } from '../../../src/core/cost/formulas';
import { storedActivationRatios } from '../../../src/core/energy/activationCodec';
import { convolutionTrafficBytes, layerTraffic, planResidency } from '../../../src/core/energy/memoryTraffic';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { validateProfile, type HardwareProfile } from '../../../src/core/energy/profileSchema';
import { elementwise, matmul } from './syntheticLayers';
import { s, testProfile } from './testProfile';

/** Eyeriss' coding: 64 / 3 bits per non-zero 16-bit value; half of a ReLU output assumed zero. */
function codecProfile(zeroFraction = 0.5): HardwareProfile {
  return testProfile({ activationCodec: { bitsPerNonZero: s(64 / 3), zeroFraction: s(zeroFraction) } });
}

const as = (layer: LayerCost, opType: string): LayerCost => ({ ...layer, opType });

test('only tensors that hold ReLU zeros are stored encoded; model inputs and GEMM outputs stay raw', () => {
  const layers = [
    matmul('fc', 64, 64, 64, { precision: 'int16', inputs: ['image'], outputs: ['fc.out'] }),
    elementwise('relu', 4096, { precision: 'int16', inputs: ['fc.out'], outputs: ['r'] }),
    as(elementwise('pool', 4096, { precision: 'int16', inputs: ['r'], outputs: ['p'] }), 'MaxPool'),
    as(elementwise('flat', 4096, { precision: 'int16', inputs: ['p'], outputs: ['f'] }), 'Flatten'),
    as(elementwise('sig', 4096, { precision: 'int16', inputs: ['f'], outputs: ['g'] }), 'Sigmoid'),
    as(elementwise('cat', 4096, { precision: 'int16', inputs: ['f', 'g'], outputs: ['c'] }), 'Concat'),
  ];
  assert.equal(storedActivationRatios(layers, testProfile()), undefined, 'no codec: everything raw');
  const ratios = storedActivationRatios(layers, codecProfile())!;
  const sparse = (0.5 * 64 / 3) / 16; // 2/3 of the dense bytes
  assert.deepEqual(ratios[0], { inputs: 1, outputs: 1 }, 'the model input and a matrix product output are raw');
  assert.deepEqual(ratios[1], { inputs: 1, outputs: sparse }, 'a ReLU writes its zeros encoded');
  assert.deepEqual(ratios[2], { inputs: sparse, outputs: sparse }, 'the max of rectified values is rectified');
  assert.deepEqual(ratios[3], { inputs: sparse, outputs: sparse }, 'a view keeps the zeros');
  assert.deepEqual(ratios[4], { inputs: sparse, outputs: 1 }, 'a sigmoid has no zeros');
  assert.deepEqual(ratios[5], { inputs: (sparse + 1) / 2, outputs: 1 }, 'a concatenation with a dense input is dense');
});

test('the codec never stores more than the raw tensor, and more zeros store less', () => {
  const layers = [elementwise('relu', 4096, { precision: 'int16', inputs: ['x'], outputs: ['r'] })];
  assert.equal(storedActivationRatios(layers, codecProfile(0))![0]!.outputs, 1, 'dense data would expand: stored raw');
  const half = storedActivationRatios(layers, codecProfile(0.5))![0]!.outputs;
  const most = storedActivationRatios(layers, codecProfile(0.75))![0]!.outputs;
  assert.ok(most < half && half < 1);
  const int8 = storedActivationRatios([elementwise('relu', 4096, { precision: 'int8', inputs: ['x'], outputs: ['r'] })], codecProfile(0.5))![0]!.outputs;
  assert.equal(int8, 1, '21 bits per non-zero of an 8-bit tensor at half zeros is no saving');
});

test('encoded activations shrink off-chip traffic only; on-chip levels move them decoded', () => {
  // Two ReLUs of 600,000 int16 values each: 1.2 MB tensors spill out of the 1 MB buffer.
  const layers = [
    elementwise('a', 600_000, { precision: 'int16', inputs: ['x'], outputs: ['t0'] }),
    elementwise('b', 600_000, { precision: 'int16', inputs: ['t0'], outputs: ['t1'] }),
  ];
  const raw = testProfile();
  const coded = codecProfile();
  const rawPlan = planResidency(layers, raw);
  const codedPlan = planResidency(layers, coded);
  const before = layerTraffic(layers[1]!, rawPlan.layers[1]!, raw, false);
  const after = layerTraffic(layers[1]!, codedPlan.layers[1]!, coded, false);
  assert.equal(after.byLevel[0], before.byLevel[0], 'the buffer holds decoded values');
  assert.equal(before.byLevel[1], 2_400_000);
  assert.ok(Math.abs(after.byLevel[1]! - 2_400_000 * (2 / 3)) < 1, `read and write encoded: ${after.byLevel[1]}`);
  assert.ok(after.offChipFloor <= after.offChipBytes);
});

test('a convolution re-reads its encoded feature map, tiled on the decoded size', () => {
  const conv = convCost({ batch: 4, inChannels: 256, outChannels: 384, inSpatial: [13, 13], outSpatial: [13, 13], kernel: [3, 3], precision: 'int16' });
  const glb = 108 * 1024;
  const dense = convolutionTrafficBytes(conv.gemm!, conv.bytes, 2, glb);
  const coded = convolutionTrafficBytes(conv.gemm!, conv.bytes, 2, glb, { inputs: 0.5, outputs: 0.5 });
  assert.ok(coded < dense, `${coded} < ${dense}`);
  assert.ok(coded >= conv.bytes.weights + 0.5 * (conv.bytes.inputs + conv.bytes.outputs), 'never below the encoded compulsory traffic');
});

test('the Eyeriss profile carries its run-length codec, and a bad codec is reported by path', () => {
  const eyeriss = getProfile('eyeriss')!;
  assert.ok(Math.abs(eyeriss.activationCodec!.bitsPerNonZero.value - 64 / 3) < 0.01);
  assert.equal(eyeriss.activationCodec!.zeroFraction.approx, true, 'the zero share is an assumption, shown as approximate');
  const bad = validateProfile({ ...codecProfile(), activationCodec: { bitsPerNonZero: s(21), zeroFraction: s(1.5), level: 'dram' } });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.ok(bad.errors.some((e) => e.startsWith('$.activationCodec.zeroFraction.value')), bad.errors.join('\n'));
    assert.ok(bad.errors.some((e) => e.startsWith('$.activationCodec.level: unknown field')), bad.errors.join('\n'));
  }
});
