import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shippedProfiles } from '../../../src/core/energy/profileRegistry';
import { validateProfile } from '../../../src/core/energy/profileSchema';

// Compiled to out/test/unit/energy: the repository root is four levels up.
const docs = fs.readFileSync(path.resolve(__dirname, '../../../../docs/profiles.md'), 'utf8');

test('docs/profiles.md lists every shipped profile', () => {
  for (const profile of shippedProfiles()) assert.ok(docs.includes(`| \`${profile.id}\` |`), profile.id);
});

test('the user-profile example in docs/profiles.md is valid', () => {
  const block = /```json\n([\s\S]*?)```/.exec(docs);
  assert.ok(block, 'a json example');
  const result = validateProfile(JSON.parse(block[1]!));
  assert.deepEqual(result.ok ? [] : result.errors, []);
});
