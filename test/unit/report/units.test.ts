import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatEnergy, formatGrams, formatMillijoules, formatSeconds, formatShape, threeDigits } from '../../../src/core/report/units';

test('energy picks nJ, µJ, mJ, J by magnitude', () => {
  assert.equal(formatEnergy(3.2e-9), '3.2 nJ');
  assert.equal(formatEnergy(410e-6), '410 µJ');
  assert.equal(formatEnergy(1.5e-3), '1.5 mJ');
  assert.equal(formatEnergy(2.25), '2.25 J');
  assert.equal(formatEnergy(4e-13), '0.4 pJ');
  assert.equal(formatEnergy(0), '0 J');
  assert.equal(formatEnergy(12_345), '12.3 kJ');
});

test('a value that rounds to 1000 of a unit moves up one prefix', () => {
  assert.equal(formatEnergy(999.7e-6), '1 mJ');
  assert.equal(formatCount(999_950), '1 M');
});

test('counts use k, M, G without a unit', () => {
  assert.equal(formatCount(512), '512');
  assert.equal(formatCount(512_000), '512 k');
  assert.equal(formatCount(1.81e9), '1.81 G');
  assert.equal(formatCount(4.09e9), '4.09 G');
  assert.equal(formatCount(3.3e12), '3.3 T');
});

test('bytes are decimal and whole below 1 kB', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(37_632), '37.6 kB');
  assert.equal(formatBytes(46_800_000), '46.8 MB');
  assert.equal(formatBytes(7e9), '7 GB');
});

test('seconds, grams and millijoules', () => {
  assert.equal(formatSeconds(2.5e-4), '250 µs');
  assert.equal(formatSeconds(0.0123), '12.3 ms');
  assert.equal(formatGrams(1.2111e-4), '121 µg');
  assert.equal(formatGrams(2500), '2.5 kg');
  assert.equal(formatMillijoules(0.0012346), '1.235 mJ');
  assert.equal(formatMillijoules(0.001), '1 mJ');
});

test('three significant digits, no exponent', () => {
  assert.equal(threeDigits(123.456), '123');
  assert.equal(threeDigits(12.345), '12.3');
  assert.equal(threeDigits(1.2), '1.2');
  assert.equal(threeDigits(0.000123456), '0.000123');
  assert.equal(threeDigits(-5.5), '-5.5');
});

test('shapes show symbolic and unknown dimensions', () => {
  assert.equal(formatShape([1, 3, 224, 224]), '1×3×224×224');
  assert.equal(formatShape(['batch', 'seq', 768]), 'batch×seq×768');
  assert.equal(formatShape([1, undefined]), '1×?');
  assert.equal(formatShape(undefined), '?');
  assert.equal(formatShape([]), 'scalar');
});
