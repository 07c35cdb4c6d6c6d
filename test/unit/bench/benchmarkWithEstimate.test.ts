/**
 * What both front ends run before a benchmark: the profile of the estimates beside it (this machine's
 * when calibrated), that estimate with its layer names for the kernel mapping, the modelled power-cap
 * curve, and the notes a user sees when the estimate is not on this machine or failed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { MODELLED_CAP_STEPS, prepareBenchmark } from '../../../src/core/actions/benchmarkWithEstimate';
import { analyzeFile } from '../../../src/core/pipeline/modelFile';
import { CALIBRATED_PROFILE_ID } from '../../../src/core/calibrate/calibratedProfile';
import { getProfile, listProfiles } from '../../../src/core/energy/profileRegistry';
import type { HardwareProfile } from '../../../src/core/energy/profileSchema';
import { buildSmallCnn } from '../../../src/core/examples';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-estimate-'));
const model = path.join(dir, 'cnn.onnx');
fs.writeFileSync(model, buildSmallCnn().toBytes());
const thisMachine: HardwareProfile = { ...getProfile('x86-core')!, id: CALIBRATED_PROFILE_ID, name: 'This machine' };
const bench = { modelPath: model, iterations: 5 };
const analyze = (profiles: readonly HardwareProfile[]) => (profileId: string) => analyzeFile(model, { profile: profiles.find((p) => p.id === profileId)! });

test('a calibrated machine: estimates on this-machine, its power model for the energy, layer names for the mapping', async () => {
  const profiles = listProfiles([thisMachine]);
  const prepared = await prepareBenchmark({ bench, profiles, defaultProfileId: 'laptop-x86', analyze: analyze(profiles) });
  assert.equal(prepared.profileId, CALIBRATED_PROFILE_ID);
  assert.equal(prepared.analysis?.profile.id, CALIBRATED_PROFILE_ID);
  assert.equal(prepared.bench.energy?.machine?.profileId, CALIBRATED_PROFILE_ID);
  assert.deepEqual(prepared.bench.layerNames, prepared.analysis?.layers.map((l) => l.name));
  assert.equal(prepared.modelledCaps.length, MODELLED_CAP_STEPS);
  assert.equal(prepared.profileNote, undefined);
  assert.equal(prepared.estimateNote, undefined);
});

test('no calibration: the default profile, and a note that says so and how to calibrate', async () => {
  const profiles = listProfiles();
  const prepared = await prepareBenchmark({ bench, profiles, defaultProfileId: 'laptop-x86', analyze: analyze(profiles) });
  assert.equal(prepared.profileId, 'laptop-x86');
  assert.equal(prepared.bench.energy, undefined, 'no power model of this machine');
  assert.match(prepared.profileNote ?? '', /No profile of this machine.*joule calibrate/);
});

test('an estimate that fails leaves the benchmark to run, without layer names, and says why', async () => {
  const prepared = await prepareBenchmark({ bench, profiles: listProfiles(), defaultProfileId: 'laptop-x86', analyze: () => { throw new Error('unknown operator Foo'); } });
  assert.equal(prepared.analysis, undefined);
  assert.equal(prepared.bench.layerNames, undefined);
  assert.deepEqual(prepared.modelledCaps, []);
  assert.equal(prepared.estimateNote, 'No estimate beside the measurement: unknown operator Foo');
});
