/** The mode the target rewards: kernel facts per profile kind, the recommendation, the promise check. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectedSpeed, kernelFacts, promiseHeld, recommendQuantizeMode } from '../../../src/core/transform/targetKernels';

const cpu = kernelFacts({ kind: 'cpu' });

test('on a CPU profile CNNs get int8-static and transformers int8-dynamic; int8-dynamic CNNs are expected slower', () => {
  assert.equal(recommendQuantizeMode(0.9, cpu).mode, 'int8-static');
  assert.match(recommendQuantizeMode(0.9, cpu).reason, /ConvInteger/);
  assert.equal(recommendQuantizeMode(0, cpu).mode, 'int8-dynamic');
  assert.equal(expectedSpeed('int8-dynamic', 0.9, cpu), 'slow');
  assert.equal(expectedSpeed('int8-dynamic', 0, cpu), 'fast');
  assert.equal(expectedSpeed('int8-static', 0.9, cpu), 'fast');
  assert.equal(expectedSpeed('fp16', 0.9, cpu), 'slow');
});

test('GPUs get fp16, integer accelerators int8-static, unknown kinds promise nothing', () => {
  assert.equal(recommendQuantizeMode(0.9, kernelFacts({ kind: 'gpu' })).mode, 'fp16');
  assert.equal(recommendQuantizeMode(0, kernelFacts({ kind: 'mobile-npu' })).mode, 'int8-static');
  const fpga = recommendQuantizeMode(0.5, kernelFacts({ kind: 'fpga' }));
  assert.equal(fpga.expected, 'unknown');
});

test('a promise holds only when the measured speed-up goes the promised way', () => {
  assert.equal(promiseHeld('fast', 1.6), true);
  assert.equal(promiseHeld('fast', 0.8), false);
  assert.equal(promiseHeld('slow', 0.2), true);
  assert.equal(promiseHeld('unknown', 2), undefined);
});
