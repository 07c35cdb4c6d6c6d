/**
 * Large valid inputs: the table of a 150k-node model used to fail with "Maximum call stack size
 * exceeded" (its column widths spread every row into Math.max).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxOf, minOf } from '../../../src/core/extent';
import { alignColumns } from '../../../src/core/report/text';

test('a table of 200k rows lays out, widest cell sets the width', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [`layer_${i}`, String(i)]);
  const lines = alignColumns([{ header: 'name', align: 'left' }, { header: 'n', align: 'right' }], rows);
  assert.equal(lines.length, 200_002, 'header, rule and every row');
  assert.equal(lines.at(-1), 'layer_199999  199999');
});

test('maxOf and minOf take lists far past the argument-spread limit', () => {
  // 7919 is prime to 10^6: a permutation of 0 … 999,999.
  const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_000);
  assert.equal(maxOf(values), 999_999);
  assert.equal(minOf(values), 0);
  assert.equal(maxOf([]), -Infinity);
  assert.ok(Number.isNaN(maxOf([1, Number.NaN, 3])), 'NaN propagates as in Math.max');
});
