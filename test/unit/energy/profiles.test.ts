import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getProfile, listProfiles, loadUserProfiles, shippedProfiles } from '../../../src/core/energy/profileRegistry';
import { validateProfile, type HardwareProfile } from '../../../src/core/energy/profileSchema';

const REQUIRED = ['cortex-m4', 'cortex-m7', 'mobile-npu', 'edge-tpu', 'jetson-orin-agx', 'laptop-x86', 'desktop-x86', 'server-x86', 'a100', 'h100', 'eyeriss', 'fpga-zu9', 'pim-reram'];

function clone(p: HardwareProfile): Record<string, unknown> {
  return JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
}

function errorsOf(doc: unknown): readonly string[] {
  const result = validateProfile(doc);
  assert.equal(result.ok, false, 'expected validation to fail');
  return result.ok ? [] : result.errors;
}

test('every required profile ships, validates and cites its sources', () => {
  const ids = shippedProfiles().map((p) => p.id);
  for (const id of REQUIRED) assert.ok(ids.includes(id), `missing profile ${id}`);
  assert.equal(new Set(ids).size, ids.length, 'profile ids are unique');
  for (const profile of shippedProfiles()) {
    assert.ok(Object.keys(profile.sources).length >= 2, `${profile.id} cites at least two sources`);
    assert.ok(profile.memory.some((l) => l.onChip), `${profile.id} has an on-chip level`);
  }
});

test('the literature architectures model what they are known for', () => {
  const eyeriss = getProfile('eyeriss')!;
  assert.deepEqual(eyeriss.memory.map((l) => l.name), ['rf', 'pe-array', 'glb', 'dram']);
  const e = eyeriss.memory.map((l) => l.energyPJPerByte.value);
  assert.ok(e[0]! < e[1]! && e[1]! < e[2]! && e[2]! < e[3]!, 'energy per byte grows outward');
  assert.equal(getProfile('pim-reram')!.weightResidence?.inSitu, true);
  assert.equal(getProfile('fpga-zu9')!.kind, 'fpga');
  assert.equal(getProfile('cortex-m4')!.memory.every((l) => l.onChip), true, 'a microcontroller has no off-chip memory');
});

test('validation reports the path of each bad field', () => {
  const doc = clone(getProfile('a100')!);
  delete doc['name'];
  (doc['maxPowerW'] as Record<string, unknown>)['source'] = 'nowhere';
  ((doc['memory'] as Record<string, unknown>[])[1]!['bandwidthBytesPerS'] as Record<string, unknown>)['value'] = -5;
  (doc['peakOpsPerS'] as Record<string, unknown>)['fp12'] = { value: 1, source: 'nvidia-a100' };
  doc['colour'] = 'green';
  const errors = errorsOf(doc);
  assert.ok(errors.includes('$.name: expected a non-empty string'), errors.join('\n'));
  assert.ok(errors.includes('$.maxPowerW.source: "nowhere" is not listed in "sources"'));
  assert.ok(errors.includes('$.memory[1].bandwidthBytesPerS.value: expected a number > 0, got -5'));
  assert.ok(errors.some((e) => e.startsWith('$.peakOpsPerS.fp12: unknown precision')));
  assert.ok(errors.includes('$.colour: unknown field'));
  assert.equal(errors.length, 5, errors.join('\n'));
});

test('validation checks consistency between fields', () => {
  const doc = clone(getProfile('edge-tpu')!);
  (doc['idlePowerW'] as Record<string, unknown>)['value'] = 3;
  doc['weightResidence'] = { level: 'nowhere', inSitu: false };
  const memory = doc['memory'] as Record<string, unknown>[];
  memory.push({ ...memory[0]!, name: 'late-sram' });
  (doc['efficiency'] as Record<string, Record<string, unknown>>)['compute']!['value'] = 1.5;
  const errors = errorsOf(doc);
  assert.ok(errors.some((e) => e.startsWith('$.idlePowerW.value: idle power (3 W) must be below max power')), errors.join('\n'));
  assert.ok(errors.includes('$.weightResidence.level: "nowhere" is not a memory level of this profile'));
  assert.ok(errors.includes('$.memory[2].onChip: on-chip levels must come before off-chip levels (innermost first)'));
  assert.ok(errors.includes('$.efficiency.compute.value: expected at most 1, got 1.5'));
  assert.deepEqual(errorsOf('not an object'), ['$: expected a JSON object']);
  const eyeriss = clone(getProfile('eyeriss')!);
  (eyeriss['unattributedPowerShare'] as Record<string, unknown>)['value'] = 1;
  assert.deepEqual(errorsOf(eyeriss), ['$.unattributedPowerShare.value: expected at most 0.9, got 1'], 'a share of 1 would make the chip\'s power infinite');
});

test('user profiles load from a folder with errors collected, not thrown', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-profiles-'));
  try {
    const mine = { ...clone(getProfile('a100')!), id: 'my-gpu', name: 'My GPU' };
    const override = { ...clone(getProfile('h100')!), name: 'H100 (our cluster)' };
    fs.writeFileSync(path.join(dir, 'a-mine.json'), JSON.stringify(mine));
    fs.writeFileSync(path.join(dir, 'b-broken.json'), '{ "id": ');
    fs.writeFileSync(path.join(dir, 'c-invalid.json'), JSON.stringify({ ...mine, id: 'Bad Id' }));
    fs.writeFileSync(path.join(dir, 'd-duplicate.json'), JSON.stringify(mine));
    fs.writeFileSync(path.join(dir, 'e-override.json'), JSON.stringify(override));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const loaded = loadUserProfiles(dir);
    assert.deepEqual(loaded.profiles.map((p) => p.id), ['my-gpu', 'h100']);
    assert.deepEqual(loaded.errors.map((e) => path.basename(e.file)), ['b-broken.json', 'c-invalid.json', 'd-duplicate.json']);
    assert.match(loaded.errors[0]!.errors[0]!, /^not valid JSON/);
    assert.ok(loaded.errors[1]!.errors.includes('$.id: expected lower-case letters, digits, ".", "_" or "-"'));
    assert.match(loaded.errors[2]!.errors[0]!, /already defined/);
    assert.equal(getProfile('my-gpu', loaded.profiles)?.name, 'My GPU');
    assert.equal(getProfile('h100', loaded.profiles)?.name, 'H100 (our cluster)', 'a user profile replaces a shipped one');
    assert.equal(listProfiles(loaded.profiles).length, shippedProfiles().length + 1);
    assert.deepEqual(loadUserProfiles(path.join(dir, 'missing')), { profiles: [], errors: [] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
