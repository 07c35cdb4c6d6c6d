import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../../src/core/energy/estimate';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { effectivePrecision } from '../../../src/core/energy/profileLookup';
import { rooflineTiming } from '../../../src/core/energy/roofline';
import { elementwise, inputOf, matmul } from './syntheticLayers';
import { testProfile } from './testProfile';

test('the bound is the largest roofline term', () => {
  assert.equal(rooflineTiming(2, 1, 0.1).bound, 'compute');
  assert.equal(rooflineTiming(1, 2, 0.1).bound, 'memory');
  assert.equal(rooflineTiming(1e-7, 2e-7, 1e-6).bound, 'overhead');
  assert.equal(rooflineTiming(1, 2, 0.5).latencyS, 2.5);
});

test('a matrix product switches from memory-bound to compute-bound as its batch grows', () => {
  const profile = testProfile();
  // Weights 4 MB do not fit the 1 MB buffer: streamed from DRAM at 100 GB/s (ridge: 10 FLOPs/byte).
  const boundAt = (m: number) => estimate(inputOf([matmul('fc', m, 1024, 1024)]), profile).layers[0]!;
  const gemv = boundAt(1);
  assert.equal(gemv.bound, 'memory');
  assert.ok(gemv.intensity < 10);
  const gemm = boundAt(512);
  assert.equal(gemm.bound, 'compute');
  assert.ok(gemm.intensity > 10);
  // Latency follows the compute roof when compute-bound: 2·m·n·k / (1e12 × the GEMM's shape factor)
  // + 1 µs overhead; on a GPU runtime the factor is m/(m+2) · n/(n+32) · k/(k+32) (kernelClasses.ts).
  const shape = (512 / 514) * (1024 / 1056) * (1024 / 1056);
  assert.ok(Math.abs(gemm.latencyS - (2 * 512 * 1024 * 1024 / (1e12 * shape) + 1e-6)) < 1e-12);
});

test('tiny operators are overhead-bound', () => {
  const a = estimate(inputOf([elementwise('relu', 16)]), testProfile()).layers[0]!;
  assert.equal(a.bound, 'overhead');
  assert.ok(Math.abs(a.latencyS - (1e-6 + 64 * 2 / 1e11)) < 1e-15);
});

test('layers run at the nearest precision the device has, with a warning', () => {
  const eyeriss = getProfile('eyeriss')!;
  assert.equal(effectivePrecision(eyeriss, 'fp32'), 'int16');
  assert.equal(effectivePrecision(getProfile('edge-tpu')!, 'fp16'), 'int8');
  assert.equal(effectivePrecision(getProfile('a100')!, 'int4'), 'int4');
  assert.equal(effectivePrecision(getProfile('h100')!, 'int4'), 'int8');
  const analysis = estimate(inputOf([matmul('fc', 8, 64, 64)]), eyeriss);
  assert.ok(analysis.warnings.some((w) => w.includes('no fp32 units') && w.includes('int16')), analysis.warnings.join('\n'));
});
