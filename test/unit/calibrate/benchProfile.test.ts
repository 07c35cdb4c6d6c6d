import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchProfileChoice } from '../../../src/core/calibrate/benchProfile';
import { EstimateMeter } from '../../../src/core/bench/energy/estimate';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import type { HardwareProfile } from '../../../src/core/energy/profileSchema';

const laptop = getProfile('laptop-x86')!;
const calibrated: HardwareProfile = {
  ...laptop,
  id: 'this-machine',
  idlePowerW: { value: 5, source: 'reference', approx: true },
  maxPowerW: { value: 45, source: 'calibration' },
  sources: { ...laptop.sources, calibration: 'joule calibrate', reference: 'laptop-x86' },
};

test('a benchmark estimates on this machine when it is calibrated, and says so when it is not', () => {
  const withCalibration = benchProfileChoice([laptop, calibrated], undefined, 'laptop-x86');
  assert.equal(withCalibration.profileId, 'this-machine');
  assert.equal(withCalibration.note, undefined);
  assert.deepEqual(withCalibration.machine, { profileId: 'this-machine', idleW: 5, busyW: 45, busyMeasured: true });

  const without = benchProfileChoice([laptop], undefined, 'laptop-x86');
  assert.equal(without.profileId, undefined);
  assert.match(without.note ?? '', /No profile of this machine: estimates .* on 'laptop-x86'\. Run `joule calibrate`/);

  const named = benchProfileChoice([laptop, calibrated], 'a100', 'laptop-x86');
  assert.equal(named.profileId, 'a100');
  assert.match(named.note ?? '', /on the 'a100' profile, not on this machine's/);
});

test('without a counter, energy is the calibrated power model over the measured time, labelled so', async () => {
  const meter = new EstimateMeter(undefined, 2, { profileId: 'this-machine', idleW: 5, busyW: 45, busyMeasured: true });
  // Half the machine busy for 2 s: (5 + 40 × 0.5) W × 2 s = 50 J.
  const reading = await meter.stop({ wallS: 2, cpuTimeS: 2, inferences: 10 });
  assert.equal(reading.joules, 50);
  assert.match(reading.notes.join(' '), /calibrated profile 'this-machine': idle 5 W \+ \(busy 45 W - idle\) × load 50\.0%/);
  // A TDP the user gives still selects CodeCarbon's method.
  const tdp = await new EstimateMeter(100, 2, { profileId: 'this-machine', idleW: 5, busyW: 45, busyMeasured: true }).stop({ wallS: 2, cpuTimeS: 2, inferences: 10 });
  assert.equal(tdp.joules, 100);
  assert.match(tdp.notes.join(' '), /CodeCarbon/);
});
