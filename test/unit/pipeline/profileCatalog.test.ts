/** The profile catalog: a folder is validated once while unchanged, and a rewritten profile is priced at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getProfile, loadUserProfiles, type UserProfiles } from '../../../src/core/energy/profileRegistry';
import { ProfileCatalog } from '../../../src/core/pipeline/profileCatalog';
import { resolveSettings } from '../../../src/core/pipeline/settings';
import { AnalysisInputError } from '../../../src/core/pipeline/options';

function withFolder(body: (dir: string, reads: () => number, catalog: ProfileCatalog) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-catalog-'));
  let count = 0;
  const catalog = new ProfileCatalog((d): UserProfiles => {
    count++;
    return loadUserProfiles(d);
  });
  try {
    body(dir, () => count, catalog);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mine = (name: string): string => JSON.stringify({ ...structuredClone(getProfile('a100')!), id: 'my-gpu', name });

test('a folder is read once while its files are unchanged', () => {
  withFolder((dir, reads, catalog) => {
    fs.writeFileSync(path.join(dir, 'my-gpu.json'), mine('My GPU'));
    for (let i = 0; i < 5; i++) assert.equal(resolveSettings({ profileId: 'my-gpu', userProfilesDir: dir }, catalog).profile.name, 'My GPU');
    assert.equal(catalog.list(dir).filter((p) => p.id === 'my-gpu').length, 1);
    assert.equal(reads(), 1);
  });
});

test('a rewritten, added or removed profile file is seen by the next resolution', () => {
  withFolder((dir, reads, catalog) => {
    const file = path.join(dir, 'my-gpu.json');
    fs.writeFileSync(file, mine('My GPU'));
    assert.equal(resolveSettings({ profileId: 'my-gpu', userProfilesDir: dir }, catalog).profile.name, 'My GPU');
    // A fit rewrites the file in place, as saveCalibratedProfile does.
    fs.writeFileSync(file, mine('My GPU, refined by a fit'));
    assert.equal(resolveSettings({ profileId: 'my-gpu', userProfilesDir: dir }, catalog).profile.name, 'My GPU, refined by a fit');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    assert.match(resolveSettings({ profileId: 'my-gpu', userProfilesDir: dir }, catalog).warnings.join('\n'), /broken\.json: not valid JSON/);
    fs.rmSync(file);
    assert.throws(() => resolveSettings({ profileId: 'my-gpu', userProfilesDir: dir }, catalog), AnalysisInputError);
    assert.equal(reads(), 4);
  });
});

test('invalidate() forgets a folder, so the next resolution reads it again', () => {
  withFolder((dir, reads, catalog) => {
    fs.writeFileSync(path.join(dir, 'my-gpu.json'), mine('My GPU'));
    catalog.folder(dir);
    catalog.invalidate(dir);
    catalog.folder(dir);
    catalog.invalidate();
    catalog.folder(dir);
    assert.equal(reads(), 3);
    assert.deepEqual(catalog.folder(undefined), { profiles: [], errors: [] });
  });
});
