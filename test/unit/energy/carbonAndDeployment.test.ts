import { test } from 'node:test';
import assert from 'node:assert/strict';
import { co2eGrams, resolveCarbon } from '../../../src/core/energy/carbon';
import { servingEstimate, trainingEstimate } from '../../../src/core/energy/deployment';
import { estimate } from '../../../src/core/energy/estimate';
import { findGridRegion, GRID_REGIONS } from '../../../src/core/energy/gridIntensity';
import { inputOf, matmul } from './syntheticLayers';
import { testProfile } from './testProfile';

test('one kWh on the world grid is 436 g CO2e; PUE multiplies it', () => {
  assert.equal(co2eGrams(3.6e6, resolveCarbon()), 436);
  assert.equal(co2eGrams(3.6e6, resolveCarbon({ gridRegion: 'fr', pue: 1.5 })), 84);
  assert.equal(co2eGrams(7.2e6, resolveCarbon({ gridIntensityGPerKWh: 100 })), 200);
  assert.deepEqual(resolveCarbon({ gridIntensityGPerKWh: 100 }), { gridRegion: 'custom', gridIntensityGPerKWh: 100, pue: 1 });
  assert.equal(findGridRegion('uk')?.gPerKWh, 238);
  assert.equal(findGridRegion('Norway')?.gPerKWh, 30);
  assert.throws(() => resolveCarbon({ gridRegion: 'Atlantis' }), /Unknown grid region/);
  assert.throws(() => resolveCarbon({ pue: 0.8 }), /PUE/);
  assert.ok(GRID_REGIONS.every((r) => r.year === 2022 || r.year === 2023));
});

test('an analysis carries g CO2e per inference, per 1k and per 1M', () => {
  const a = estimate(inputOf([matmul('fc', 64, 256, 256)]), testProfile(), { gridRegion: 'DE', pue: 1.2 });
  const expected = (a.totals.energy.totalJ / 3.6e6) * 1.2 * 381;
  assert.ok(Math.abs(a.totals.co2eGrams - expected) < 1e-18);
  assert.equal(a.totals.per1k.co2eGrams, a.totals.co2eGrams * 1e3);
  assert.equal(a.totals.per1M.energyJ, a.totals.energy.totalJ * 1e6);
  assert.deepEqual([a.settings.gridRegion, a.settings.gridIntensityGPerKWh, a.settings.pue], ['DE', 381, 1.2]);
});

test('at a low request rate idle power between requests dominates the energy per request', () => {
  const profile = testProfile();
  const a = estimate(inputOf([matmul('fc', 1, 1024, 1024)]), profile);
  const slow = servingEstimate(a, profile, 1);
  assert.ok(Math.abs(slow.idleJ - 10 * (1 - a.totals.latencyS)) < 1e-9);
  assert.ok(slow.idleShare > 0.99);
  assert.ok(Math.abs(slow.averagePowerW - slow.perRequestJ) < 1e-9, 'at 1 request/s power = energy per request');
  const busy = servingEstimate(a, profile, 2 / a.totals.latencyS);
  assert.equal(busy.saturated, true);
  assert.equal(busy.idleJ, 0);
  assert.throws(() => servingEstimate(a, profile, 0), /Request rate/);
});

test('training costs three forward passes per sample, per epoch', () => {
  const a = estimate(inputOf([matmul('fc', 32, 256, 256)], 32), testProfile());
  const t = trainingEstimate(a, { samples: 1000, epochs: 3 });
  const perSample = a.totals.energy.totalJ / 32;
  assert.ok(Math.abs(t.energy.totalJ - perSample * 3 * 1000 * 3) < 1e-12);
  assert.ok(Math.abs(t.energy.offChipJ - (a.totals.energy.offChipJ / 32) * 9000) < 1e-12);
  assert.ok(Math.abs(t.kWh - t.energy.totalJ / 3.6e6) < 1e-18);
  assert.ok(Math.abs(t.co2eGrams - t.kWh * 436) < 1e-12);
  assert.equal(trainingEstimate(a, { samples: 1000, epochs: 3, backwardFactor: 1 }).passFactor, 2);
});
