import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../../src/core/energy/estimate';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { validateProfile, type HardwareProfile } from '../../../src/core/energy/profileSchema';
import { CALIBRATED_DEFAULT_LOG_ERROR, profileUncertainty, UNVALIDATED_LOG_ERROR, VALIDATION_LOG_ERROR } from '../../../src/core/energy/uncertainty';
import { chain, inputOf, matmul } from './syntheticLayers';
import { testProfile } from './testProfile';

/** A profile shaped as `joule calibrate` writes it: rates sourced to the calibration. */
function calibrated(extra: Partial<HardwareProfile> = {}): HardwareProfile {
  const base = testProfile({ id: 'this-machine', kind: 'cpu' });
  return {
    ...base,
    peakOpsPerS: { fp32: { value: 1e12, source: 'calibration' } },
    sources: { ...base.sources, calibration: 'joule calibrate on 2026-12-05' },
    ...extra,
  };
}

test('a calibrated profile\'s band is its measured fit error; without one, the documented 1.5x default', () => {
  const fitted = calibrated({ fitError: { value: 0.2, source: 'calibration', note: 'joule bench resnet.onnx --fit' } });
  assert.equal(profileUncertainty(fitted).logError, 0.2);
  assert.match(profileUncertainty(fitted).basis, /measured fit error of this-machine/);
  assert.equal(profileUncertainty(calibrated()).logError, CALIBRATED_DEFAULT_LOG_ERROR);
  assert.match(profileUncertainty(calibrated()).basis, /--fit/);
});

test('a datasheet profile\'s band is its kind\'s validation error; kinds nothing validates get a wider default', () => {
  assert.equal(profileUncertainty(getProfile('a100')!).logError, VALIDATION_LOG_ERROR.gpu);
  assert.equal(profileUncertainty(getProfile('cortex-m4')!).logError, VALIDATION_LOG_ERROR.mcu);
  const laptop = profileUncertainty(getProfile('laptop-x86')!);
  assert.equal(laptop.logError, UNVALIDATED_LOG_ERROR);
  for (const validated of Object.values(VALIDATION_LOG_ERROR)) assert.ok(laptop.logError > validated);
  // A datasheet profile carrying a fitError is not calibrated: its fit error does not apply.
  assert.equal(profileUncertainty({ ...getProfile('a100')!, fitError: { value: 0.01, source: 'a100-datasheet' } }).logError, VALIDATION_LOG_ERROR.gpu);
});

test('estimates carry the band in their totals and per layer, around the value', () => {
  const profile = calibrated({ fitError: { value: Math.log(1.25), source: 'calibration' } });
  const a = estimate(inputOf(chain([(i, o) => matmul('a', 64, 256, 256, { inputs: [i], outputs: [o] }), (i, o) => matmul('b', 64, 256, 256, { inputs: [i], outputs: [o] })])), profile);
  const u = a.totals.uncertainty!;
  assert.ok(Math.abs(u.energyJ.high / a.totals.energy.totalJ - 1.25) < 1e-9);
  assert.ok(Math.abs(a.totals.energy.totalJ / u.energyJ.low - 1.25) < 1e-9);
  assert.ok(Math.abs(u.latencyS.high / a.totals.latencyS - 1.25) < 1e-9);
  for (const layer of a.layers) assert.ok(Math.abs(layer.uncertainty!.latencyS.high / layer.latencyS - 1.25) < 1e-9, layer.name);
});

test('the profile schema accepts a sourced fitError and rejects a negative or unsourced one', () => {
  assert.ok(validateProfile(calibrated({ fitError: { value: 0.1, source: 'calibration' } })).ok);
  const negative = validateProfile(calibrated({ fitError: { value: -0.1, source: 'calibration' } }));
  assert.ok(!negative.ok && negative.errors.some((e) => e.startsWith('$.fitError.value')));
  const unsourced = validateProfile(calibrated({ fitError: { value: 0.1, source: 'nowhere' } }));
  assert.ok(!unsourced.ok && unsourced.errors.some((e) => e.startsWith('$.fitError.source')));
});
