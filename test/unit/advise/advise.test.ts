import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../../src/core/advise/advise';
import { estimate } from '../../../src/core/energy/estimate';
import { atPowerCap } from '../../../src/core/energy/powerCap';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import type { LayerCost } from '../../../src/core/cost/types';
import { chain, elementwise, inputOf, matmul, unknownLayer } from '../energy/syntheticLayers';
import { testProfile } from '../energy/testProfile';

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)), `${a} ≈ ${b}`);
const totalOf = (layers: LayerCost[], id: string) => estimate(inputOf(layers), getProfile(id)!).totals.energy.totalJ;

test('a memory-bound layer is told to quantize, with savings from re-costing the changed layer', () => {
  const layer = matmul('decoder.fc', 1, 4096, 4096, { precision: 'fp16' });
  const advice = advise(inputOf([layer]), getProfile('a100')!);
  assert.equal(advice.roles[0]!.role, 'memory-bound');
  const int8 = advice.recommendations.find((r) => r.action === 'quantize-int8')!;
  const int4 = advice.recommendations.find((r) => r.action === 'quantize-int4')!;
  const base = totalOf([layer], 'a100');
  close(int8.savingJ, base - totalOf([{ ...layer, precision: 'int8', bytes: { ...layer.bytes, weights: layer.bytes.weights / 2 } }], 'a100'));
  close(int4.savingJ, base - totalOf([{ ...layer, bytes: { ...layer.bytes, weights: layer.bytes.weights / 4 } }], 'a100'));
  close(int8.savingShare, int8.savingJ / advice.totalJ);
  assert.ok(int4.savingJ > int8.savingJ, 'a quarter of the bytes beats half of them when moving weights dominates');
  for (let i = 1; i < advice.recommendations.length; i++) assert.ok(advice.recommendations[i - 1]!.savingJ >= advice.recommendations[i]!.savingJ, 'ranked');
  assert.ok(!advice.recommendations.some((r) => r.action === 'prune-2:4'), 'pruning is not offered to a memory-bound layer');
});

test('a compute-bound layer gets 2:4 pruning only on hardware with sparse tensor cores', () => {
  const layer = matmul('conv', 4096, 1024, 1024, { precision: 'fp16' });
  const onA100 = advise(inputOf([layer]), getProfile('a100')!);
  assert.equal(onA100.roles[0]!.role, 'compute-bound');
  const prune = onA100.recommendations.find((r) => r.action === 'prune-2:4')!;
  const pruned: LayerCost = {
    ...layer, macs: layer.macs / 2, params: layer.params / 2, flops: { ...layer.flops, mac: layer.flops.mac / 2 },
    bytes: { ...layer.bytes, weights: layer.bytes.weights * 0.5 * (1 + 2 / 16) }, gemm: { ...layer.gemm!, k: 512 },
  };
  close(prune.savingJ, totalOf([layer], 'a100') - totalOf([pruned], 'a100'));
  const structured = onA100.recommendations.find((r) => r.action === 'prune-structured')!;
  assert.match(structured.title, /25%/);

  const fp32 = matmul('conv', 2048, 1024, 1024, { precision: 'fp32' });
  const onCpu = advise(inputOf([fp32]), getProfile('server-x86')!);
  assert.equal(onCpu.roles[0]!.role, 'compute-bound');
  assert.ok(!onCpu.recommendations.some((r) => r.action === 'prune-2:4'), 'no sparse tensor cores on a CPU');
  assert.ok(onCpu.recommendations.some((r) => r.action === 'prune-structured'));
  assert.ok(onCpu.recommendations.some((r) => r.action === 'quantize-int8'));
});

test('an activation the runtime already fuses into its GEMM is not told to fuse again', () => {
  const layers = chain([
    (i, o) => matmul('fc', 1, 64, 64, { inputs: [i], outputs: [o] }),
    (i, o) => elementwise('relu', 64, { inputs: [i], outputs: [o] }),
  ]);
  const analysis = estimate(inputOf(layers), testProfile());
  assert.equal(analysis.layers[1]!.kernel!.id, analysis.layers[0]!.kernel!.id, 'GEMM + ReLU run as one kernel');
  const advice = advise(inputOf(layers), testProfile());
  assert.ok(!advice.recommendations.some((r) => r.action === 'fuse'));
});

test('an overhead-bound elementwise op the runtime does not fuse is told to fuse', () => {
  // The GEMM's output has a second reader, so it must be written to memory: no epilogue fusion.
  const layers = [
    matmul('fc', 1, 64, 64, { inputs: ['x'], outputs: ['h'] }),
    elementwise('relu', 64, { inputs: ['h'], outputs: ['y'] }),
    elementwise('other', 64, { inputs: ['h'], outputs: ['z'] }),
  ];
  const advice = advise(inputOf(layers), testProfile());
  assert.equal(advice.roles[1]!.role, 'overhead-bound');
  const fuse = advice.recommendations.find((r) => r.action === 'fuse' && r.layer === 'relu')!;
  const before = estimate(inputOf(layers), testProfile()).layers[1]!;
  // Fused: no dispatch overhead and no read of its input, so ≥ the overhead's static energy.
  assert.ok(fuse.savingJ >= 10 * 1e-6 - 1e-15);
  assert.ok(fuse.savingJ < before.energy.totalJ);
  assert.ok(!advice.recommendations.some((r) => r.action === 'fuse' && r.layer === 'fc'), 'the first layer has no producer to fuse into');
  const alone = advise(inputOf([elementwise('relu', 64)]), testProfile());
  assert.equal(alone.recommendations.filter((r) => r.action === 'fuse').length, 0);
});

test('a memory-bound phase is offered a power cap that keeps it within 5% of its latency', () => {
  const layer = matmul('gemv', 1, 2048, 2048);
  const advice = advise(inputOf([layer]), testProfile());
  const cap = advice.recommendations.find((r) => r.action === 'power-cap')!;
  assert.ok(cap.capW! >= 20 && cap.capW! < 110);
  assert.ok(cap.savingJ > 0);
  const none = advise(inputOf([layer]), testProfile({ minPowerCapW: undefined }));
  assert.ok(!none.recommendations.some((r) => r.action === 'power-cap'), 'no cap where the device cannot be capped');
});

test('an overhead-bound matrix product is still offered smaller weights', () => {
  const advice = advise(inputOf([matmul('small', 1, 2048, 2048, { precision: 'fp16' })]), getProfile('h100')!);
  assert.equal(advice.roles[0]!.role, 'overhead-bound');
  assert.ok(advice.recommendations.some((r) => r.action === 'quantize-int8'));
  assert.ok(!advice.recommendations.some((r) => r.action === 'fuse'), 'a MAC layer is not fused by this advisor');
});

test('model-level advice re-costs the whole changed model', () => {
  const layers = chain([
    (i, o) => matmul('fc1', 1, 8192, 8192, { inputs: [i], outputs: [o], precision: 'fp16' }),
    (i, o) => matmul('fc2', 1, 8192, 8192, { inputs: [i], outputs: [o], precision: 'fp16' }),
    (i, o) => unknownLayer('mystery', { inputs: [i], outputs: [o] }),
  ]);
  const profile = getProfile('h100')!;
  const advice = advise(inputOf(layers), profile);
  assert.equal(advice.roles[2]!.role, 'unknown');
  assert.ok(!advice.recommendations.some((r) => r.layer === 'mystery'));
  const int8 = advice.model.find((m) => m.action === 'quantize-int8')!;
  assert.deepEqual(int8.layers, ['fc1', 'fc2']);
  const quantized = layers.map((l) => (l.confidence === 'unknown' ? l : { ...l, precision: 'int8' as const, bytes: { ...l.bytes, weights: l.bytes.weights / 2 } }));
  const expected = estimate(inputOf(layers), profile).totals.energy.totalJ - estimate(inputOf(quantized), profile).totals.energy.totalJ;
  close(int8.savingJ, expected);
  const cap = advice.model.find((m) => m.action === 'power-cap')!;
  assert.ok(cap.latencyRatio! <= 1.1 + 1e-12);
  assert.ok(cap.savingJ > 0);
  // The advisor caps its own costing; the saving is the cap model's on the model's estimate.
  const analysis = estimate(inputOf(layers), profile);
  const capped = atPowerCap(analysis, profile, cap.capW!);
  close(cap.savingJ, analysis.totals.energy.totalJ - capped.energy.totalJ);
  close(cap.latencyRatio!, capped.latencyS / analysis.totals.latencyS);
});

test('int8 advice is priced as the target runs it: static QDQ on x86 CPUs for convolutions, dynamic elsewhere', () => {
  // A dense convolution in its GEMM view (im2col): 56×56 pixels, 64 -> 64 channels, 3×3 kernel.
  const conv: LayerCost = { ...matmul('conv', 56 * 56, 64, 64 * 9), opType: 'Conv' };
  const onCpu = advise(inputOf([conv]), getProfile('server-x86')!);
  assert.ok(!onCpu.recommendations.some((r) => r.action === 'quantize-int8'), 'ConvInteger would be slower than fp32 on x86');
  const stat = onCpu.recommendations.find((r) => r.action === 'quantize-int8-static')!;
  assert.ok(stat.savingJ > 0);
  assert.match(stat.reason, /ConvInteger/);
  const onGpu = advise(inputOf([{ ...conv, precision: 'fp16' }]), getProfile('a100')!);
  assert.ok(!onGpu.recommendations.some((r) => r.action === 'quantize-int8-static'), 'dynamic int8 already saves there');
  // A MatMul keeps dynamic int8 on x86 (MatMulInteger has fast kernels).
  const fc = matmul('fc', 256, 1024, 1024);
  const fcAdvice = advise(inputOf([fc]), getProfile('server-x86')!);
  assert.ok(fcAdvice.recommendations.some((r) => r.action === 'quantize-int8'));
});
