import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { histogram, quantileSorted, summarize } from '../../../src/core/bench/stats';

test('percentiles interpolate between closest ranks (NumPy default)', () => {
  const s = summarize([4, 1, 3, 2]);
  assert.equal(s.p50, 2.5);
  assert.equal(s.min, 1);
  assert.equal(s.max, 4);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.p90 - 3.7) < 1e-12);
  assert.ok(Math.abs(s.p99 - 3.97) < 1e-12);
  assert.ok(Math.abs(s.stdDev - Math.sqrt(5 / 3)) < 1e-12);
  assert.equal(s.count, 4);
});

test('1..100: p50 50.5, p90 90.1, p99 99.01', () => {
  const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
  assert.ok(Math.abs(s.p50 - 50.5) < 1e-9);
  assert.ok(Math.abs(s.p90 - 90.1) < 1e-9);
  assert.ok(Math.abs(s.p99 - 99.01) < 1e-9);
});

test('one sample: every statistic is that sample, deviation 0', () => {
  const s = summarize([7]);
  assert.deepEqual([s.p50, s.p90, s.p99, s.min, s.max, s.mean, s.stdDev], [7, 7, 7, 7, 7, 7, 0]);
});

test('empty or non-finite samples are rejected', () => {
  assert.throws(() => summarize([]), RangeError);
  assert.throws(() => summarize([1, Number.NaN]), RangeError);
  assert.throws(() => quantileSorted([1], 1.5), RangeError);
});

test('property: min <= p50 <= p90 <= p99 <= max and min <= mean <= max', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
      const s = summarize(xs);
      const eps = 1e-9 * Math.max(1, s.max);
      assert.ok(s.min <= s.p50 + eps && s.p50 <= s.p90 + eps && s.p90 <= s.p99 + eps && s.p99 <= s.max + eps);
      assert.ok(s.min <= s.mean + eps && s.mean <= s.max + eps);
    }),
  );
});

test('histogram counts every sample once, including the maximum', () => {
  const samples = [1, 1.5, 2, 2, 3, 10];
  const h = histogram(samples, 3);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), samples.length);
  assert.deepEqual(h.counts, [5, 0, 1]);
  assert.equal(h.edges.length, 4);
  assert.deepEqual(histogram([5, 5], 4).counts, [2, 0, 0, 0]);
});
