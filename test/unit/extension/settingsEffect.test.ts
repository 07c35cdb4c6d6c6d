import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsEffect } from '../../../src/extension/settingsEffect';

/** A change event that affects exactly `changed` (and the sections above it, as VS Code's does). */
const changeOf = (changed: string) => ({
  affectsConfiguration: (section: string) => changed === section || changed.startsWith(`${section}.`),
});

test('a new node budget re-analyses (a refused model may now be read), a hint setting only re-renders', () => {
  assert.deepEqual(settingsEffect(changeOf('joule.maxGraphNodes')), { profile: false, reprice: true, render: true });
  assert.deepEqual(settingsEffect(changeOf('joule.hints.detail')), { profile: false, reprice: false, render: true });
  assert.deepEqual(settingsEffect(changeOf('joule.hardwareProfile')), { profile: true, reprice: true, render: true });
  assert.deepEqual(settingsEffect(changeOf('joule.benchmark.iterations')), { profile: false, reprice: false, render: false });
});
