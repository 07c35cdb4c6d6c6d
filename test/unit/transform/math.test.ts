import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dequantizeTensor, intRange, quantParamsFromRange, quantizeTensor, roundHalfEven } from '../../../src/core/transform/math/quantParams';
import { MinMaxCollector, PercentileCollector, quantileSorted } from '../../../src/core/transform/math/calibration';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from '../../../src/core/transform/math/int4Blocks';
import { applyNofM, applyThreshold, channelL1Norms, channelsToKeep, magnitudeThreshold, sparsity } from '../../../src/core/transform/math/pruneMasks';
import { seededFloats } from '../../../src/core/onnx/seededWeights';

test('roundHalfEven rounds ties to the even neighbour', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
});

test('asymmetric uint8 params map min to 0 and max to 255 and keep zero exact', () => {
  const p = quantParamsFromRange(-1, 3, intRange('uint8'), false);
  assert.ok(Math.abs(p.scale - 4 / 255) < 1e-9);
  assert.equal(p.zeroPoint, 64);
  const zero = quantParamsFromRange(0.5, 2, intRange('uint8'), false);
  assert.equal(zero.zeroPoint, 0, 'range widened to include 0');
});

test('symmetric int8 params have zero point 0 and cover the larger magnitude', () => {
  const p = quantParamsFromRange(-0.5, 2, intRange('int8', { narrow: true }), true);
  assert.equal(p.zeroPoint, 0);
  assert.ok(Math.abs(p.scale - 2 / 127) < 1e-12);
});

test('per-channel quantization error stays within half a step of each channel', () => {
  const dims = [4, 3, 2];
  const data = seededFloats(dims, 7);
  for (let c = 0; c < 6; c++) data[c]! *= 100; // channel 0 much larger: per-channel must not hurt others
  const q = quantizeTensor(data, dims, 'int8', { axis: 0, symmetric: true, narrow: true });
  assert.equal(q.scales.length, 4);
  const back = dequantizeTensor(q, dims);
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / 6);
    assert.ok(Math.abs(back[i]! - data[i]!) <= q.scales[c]! / 2 + 1e-7, `element ${i}`);
  }
  const perTensor = quantizeTensor(data, dims, 'int8', { symmetric: true });
  assert.equal(perTensor.scales.length, 1);
  assert.ok(perTensor.scales[0]! > q.scales[1]! * 10);
});

test('percentile calibration clips outliers while MinMax keeps them', () => {
  const values = new Float32Array(10000).map((_, i) => (i % 100) / 100);
  values[5] = 1000;
  const mm = new MinMaxCollector();
  const pc = new PercentileCollector(99.9);
  mm.add(values); pc.add(values);
  assert.equal(mm.range().max, 1000);
  assert.ok(pc.range().max < 1.01, `got ${pc.range().max}`);
  assert.equal(pc.range().min, 0);
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.5), 3);
});

test('int4 MatMulNBits packing round-trips within half a step per block', () => {
  for (const symmetric of [true, false]) {
    const k = 80, n = 3, block = 32; // 3 blocks, last one padded
    const w = seededFloats([k, n], 3);
    const q = quantizeMatMulNBits(w, k, n, block, symmetric);
    assert.equal(q.nBlocks, 3);
    assert.equal(q.packed.length, n * 3 * 16);
    assert.equal(q.zeroPoints === undefined, symmetric);
    if (q.zeroPoints) assert.equal(q.zeroPoints.length, n * 2);
    const back = dequantizeMatMulNBits(q);
    for (let i = 0; i < w.length; i++) {
      const row = Math.floor(i / n), col = i % n;
      const s = q.scales[col * 3 + Math.floor(row / block)]!;
      assert.ok(Math.abs(back[i]! - w[i]!) <= s / 2 + 1e-6, `symmetric=${symmetric} element ${i}`);
    }
  }
});

test('int4 packing puts the first K element in the low nibble', () => {
  const k = 32, n = 1;
  const w = new Float32Array(k); w[0] = 7; w[1] = -7;
  const q = quantizeMatMulNBits(w, k, n, 32, true);
  assert.equal(q.scales[0], 1);
  assert.equal(q.packed[0], (1 << 4) | 15); // codes 8+7=15 (low), 8-7=1 (high)
});

test('global magnitude pruning hits the ratio across layers; per layer each', () => {
  const a = Float32Array.from({ length: 100 }, (_, i) => i + 1);
  const b = Float32Array.from({ length: 100 }, (_, i) => (i + 2) * 100);
  const t = magnitudeThreshold([a, b], 0.5);
  applyThreshold(a, t); applyThreshold(b, t);
  assert.equal(sparsity(a), 1);
  assert.equal(sparsity(b), 0);
  const c = Float32Array.from({ length: 10 }, (_, i) => i - 5);
  applyThreshold(c, magnitudeThreshold([c], 0.3));
  assert.equal(sparsity(c), 0.3);
  assert.throws(() => magnitudeThreshold([c], 1));
});

test('2:4 keeps exactly two of every four along the reduction axis', () => {
  const outer = 3, reduce = 8, inner = 2;
  const v = seededFloats([outer, reduce, inner], 9);
  const orig = Float32Array.from(v);
  applyNofM(v, outer, reduce, inner, 2, 4);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) for (let g = 0; g < reduce; g += 4) {
    const group = [0, 1, 2, 3].map((j) => (o * reduce + g + j) * inner + i);
    const kept = group.filter((x) => v[x] !== 0);
    assert.equal(kept.length, 2);
    const minKept = Math.min(...kept.map((x) => Math.abs(orig[x]!)));
    const maxDropped = Math.max(...group.filter((x) => v[x] === 0).map((x) => Math.abs(orig[x]!)));
    assert.ok(minKept >= maxDropped);
  }
});

test('channel ranking keeps the highest L1 norms', () => {
  const dims = [4, 2];
  const w = Float32Array.of(1, 1, 5, 5, 0.1, 0.1, 3, -3);
  const norms = channelL1Norms(w, dims, 0);
  assert.deepEqual(Array.from(norms).map((x) => Math.round(x * 10) / 10), [2, 10, 0.2, 6]);
  assert.deepEqual(channelsToKeep(norms, 0.5), [1, 3]);
  assert.deepEqual(channelsToKeep(norms, 0.99), [1]);
  assert.deepEqual(channelsToKeep(norms, 0.5, 4), [0, 1, 2, 3]);
});
