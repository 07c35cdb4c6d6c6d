import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convolutionTrafficBytes, hongKungBytes, layerTraffic, planResidency, tiledTrafficBytes } from '../../../src/core/energy/memoryTraffic';
import { convCost } from '../../../src/core/cost/formulas';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { validateProfile } from '../../../src/core/energy/profileSchema';
import { chain, elementwise, matmul } from './syntheticLayers';
import { level, testProfile } from './testProfile';

test('the test profile itself is valid', () => {
  assert.equal(validateProfile(testProfile()).ok, true);
});

test('an activation that exactly fits the buffer stays on chip; one byte more goes off chip', () => {
  const profile = testProfile();
  // fp32 elementwise of 250,000 elements writes exactly 1,000,000 bytes = the buffer capacity.
  const fits = chain([(i, o) => elementwise('a', 250_000, { inputs: [i], outputs: [o] }), (i, o) => elementwise('b', 250_000, { inputs: [i], outputs: [o] })]);
  const plan = planResidency(fits, profile);
  assert.equal(plan.layers[0]!.outputsOnChip, 1);
  assert.equal(plan.layers[1]!.inputsOnChip, 1, 'the consumer reads the producer output on chip');
  assert.equal(plan.layers[0]!.inputsOnChip, 0, 'the model input comes from off chip');
  assert.equal(plan.layers[1]!.outputsOnChip, 0, 'the graph output is written off chip');

  const tooBig = chain([(i, o) => elementwise('a', 250_001, { inputs: [i], outputs: [o] }), (i, o) => elementwise('b', 250_001, { inputs: [i], outputs: [o] })]);
  const spilled = planResidency(tooBig, profile);
  assert.equal(spilled.layers[0]!.outputsOnChip, 0);
  assert.equal(spilled.layers[1]!.inputsOnChip, 0);

  const t0 = layerTraffic(fits[1]!, plan.layers[1]!, profile, false);
  assert.deepEqual(t0.byLevel, [2_000_000, 1_000_000], 'input from buffer; output written to DRAM');
  const t1 = layerTraffic(tooBig[1]!, spilled.layers[1]!, profile, false);
  assert.deepEqual(t1.byLevel, [2_000_008, 2_000_008], 'both read and write go through DRAM');
});

test('eviction writes back an activation that still has readers', () => {
  const profile = testProfile();
  // a -> (t0 read by c later), b writes t1 of 800 kB which evicts t0 (600 kB) from the 1 MB buffer.
  const layers = [
    elementwise('a', 150_000, { inputs: ['x'], outputs: ['t0'] }),
    elementwise('b', 200_000, { inputs: ['x2'], outputs: ['t1'] }),
    elementwise('c', 150_000, { inputs: ['t0'], outputs: ['y'] }),
    elementwise('d', 200_000, { inputs: ['t1'], outputs: ['z'] }),
  ];
  const plan = planResidency(layers, profile);
  assert.equal(plan.layers[0]!.outputsOnChip, 1);
  assert.equal(plan.layers[1]!.writebackBytes, 600_000);
  assert.equal(plan.layers[2]!.inputsOnChip, 0, 'the evicted tensor is read back from off chip');
  assert.equal(plan.layers[3]!.inputsOnChip, 1);
});

test('tiling traffic equals the compulsory traffic when operands fit and never beats Hong-Kung', () => {
  const gemm = { m: 1024, n: 1024, k: 1024, batch: 1 };
  const e = 4;
  const compulsory = 3 * 1024 * 1024 * e;
  assert.equal(tiledTrafficBytes(gemm, e, 64 * 1024 * 1024, compulsory), compulsory);
  for (const capacity of [1024, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
    const tiled = tiledTrafficBytes(gemm, e, capacity, compulsory);
    const floor = hongKungBytes(gemm, e, capacity);
    assert.ok(tiled >= floor, `capacity ${capacity}: tiled ${tiled} >= floor ${floor}`);
    assert.ok(tiled <= 2 * Math.max(floor, compulsory), 'the tiling estimate is within 2x of the bound');
  }
  // Traffic falls as the fast memory grows.
  assert.ok(tiledTrafficBytes(gemm, e, 64 * 1024, compulsory) > tiledTrafficBytes(gemm, e, 1024 * 1024, compulsory));
});

test('a convolution is tiled on its feature map: less than its im2col GEMM, never below compulsory, more for a smaller buffer', () => {
  // AlexNet's conv3 at batch 4 in 16-bit: 3×3, 256 -> 384 channels on 13×13.
  const conv = convCost({ batch: 4, inChannels: 256, outChannels: 384, inSpatial: [13, 13], outSpatial: [13, 13], kernel: [3, 3], precision: 'int16' });
  const gemm = conv.gemm!;
  assert.equal(gemm.convolution, true);
  const compulsory = conv.bytes.weights + conv.bytes.inputs + conv.bytes.outputs;
  const glb = 108 * 1024;
  const tiled = convolutionTrafficBytes(gemm, conv.bytes, 2, glb);
  assert.ok(tiled >= compulsory);
  assert.ok(tiled < tiledTrafficBytes(gemm, 2, glb, compulsory) / 2, 'the 3×3 windows overlap: far less than the im2col tiling');
  assert.ok(convolutionTrafficBytes(gemm, conv.bytes, 2, glb / 8) > tiled, 'a smaller buffer re-reads more');
  // Weights that fit half the buffer stay there while the feature map streams once.
  assert.equal(convolutionTrafficBytes(gemm, conv.bytes, 2, 4 * conv.bytes.weights), compulsory);
});

test('a large matrix product gets tiled off-chip traffic at or above its Hong-Kung floor', () => {
  const profile = testProfile();
  const big = matmul('big', 2048, 2048, 2048);
  const traffic = layerTraffic(big, { inputsOnChip: 0, outputsOnChip: 0, writebackBytes: 0 }, profile, false);
  const floor = hongKungBytes(big.gemm!, 4, 1_000_000);
  assert.ok(traffic.offChipFloor >= floor);
  assert.ok(traffic.offChipBytes >= traffic.offChipFloor);
  assert.ok(traffic.offChipBytes > big.bytes.weights + big.bytes.inputs + big.bytes.outputs, 'tiles are re-read');
  const small = matmul('small', 64, 64, 64);
  const smallTraffic = layerTraffic(small, { inputsOnChip: 0, outputsOnChip: 0, writebackBytes: 0 }, profile, false);
  assert.equal(smallTraffic.offChipBytes, small.bytes.weights + small.bytes.inputs + small.bytes.outputs);
});

test('processing in memory moves no weights while the model fits its arrays', () => {
  const pim = getProfile('pim-reram')!;
  const layer = matmul('fc', 1, 4096, 4096, { precision: 'int16' });
  const plan = planResidency([layer], pim);
  assert.equal(plan.weightsResident, true);
  const t = layerTraffic(layer, plan.layers[0]!, pim, true);
  const names = pim.memory.map((l) => l.name);
  assert.equal(t.byLevel[names.indexOf('crossbars')], 0);
  assert.equal(t.byLevel[names.indexOf('dram')], layer.bytes.inputs + layer.bytes.outputs);
  const gpu = getProfile('a100')!;
  const g = layerTraffic({ ...layer, precision: 'fp16' }, planResidency([layer], gpu).layers[0]!, gpu, false);
  assert.ok(g.offChipBytes >= layer.bytes.weights, 'a GPU streams the weights from HBM');
  // Too large for the arrays: weights are reprogrammed from DRAM every inference.
  const huge = planResidency([layer], pim, 1e9);
  assert.equal(huge.weightsResident, false);
  const reloaded = layerTraffic(layer, huge.layers[0]!, pim, false);
  assert.equal(reloaded.byLevel[names.indexOf('crossbars')], layer.bytes.weights);
  assert.equal(reloaded.byLevel[names.indexOf('edram')], layer.bytes.weights + layer.bytes.inputs + layer.bytes.outputs, 'still computed in the arrays: no tiling re-reads');
});

test('a microcontroller keeps everything on chip and warns when activations do not fit', () => {
  const mcu = getProfile('cortex-m4')!;
  const fc = matmul('fc', 1, 256, 1024, { precision: 'int8' });
  const plan = planResidency([fc], mcu);
  const t = layerTraffic(fc, plan.layers[0]!, mcu, plan.weightsResident);
  assert.equal(t.offChipBytes, 0);
  assert.equal(t.offChipFloor, 0);
  assert.equal(t.byLevel[1], fc.bytes.weights, 'weights are read from flash');
  const huge = elementwise('huge', 1_000_000);
  assert.equal(planResidency([huge], mcu).warnings.length, 1);
});

test('a weight-caching accelerator reads weights from its SRAM only when the model fits', () => {
  const tpu = testProfile({
    memory: [level('sram', true, 8_000_000, 1e12, 1), level('usb', false, 1e10, 1e9, 300)],
    weightResidence: { level: 'sram', inSitu: false },
  });
  const fc = matmul('fc', 1, 1000, 1000, { precision: 'int8' });
  const cached = planResidency([fc], tpu);
  assert.equal(cached.weightsResident, true);
  const t = layerTraffic(fc, cached.layers[0]!, tpu, true);
  assert.equal(t.byLevel[1], fc.bytes.inputs + fc.bytes.outputs, 'no weight bytes over USB');
  const streamed = planResidency([fc], tpu, 9_000_000);
  const u = layerTraffic(fc, streamed.layers[0]!, tpu, false);
  assert.equal(u.byLevel[1], fc.bytes.weights + fc.bytes.inputs + fc.bytes.outputs);
});

test('without register reuse every MAC reads its operands from the innermost level (Eyeriss register file)', () => {
  const profile = testProfile({ registerReuseBytes: undefined });
  const layer = matmul('fc', 1, 100, 100);
  const t = layerTraffic(layer, { inputsOnChip: 1, outputsOnChip: 1, writebackBytes: 0 }, profile, false);
  assert.equal(t.byLevel[0], (2 * 100 * 100 + 100) * 4);
});
