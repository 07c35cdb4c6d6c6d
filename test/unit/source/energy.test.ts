// Python models go through the shared energy model; hotspots map back to source layers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { getProfile, DEFAULT_PROFILE_ID } from '../../../src/core/energy';
import { analyzePythonSource } from '../../../src/core/source/analyzePythonSource';
import { estimateSourceModel, sourceHotspots } from '../../../src/core/source/sourceEnergy';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/python');

test('a traced PyTorch class is priced layer by layer and hotspots point at source layers', () => {
  const analysis = analyzePythonSource(fs.readFileSync(path.join(fixtures, 'pytorch_cnn.py'), 'utf8'));
  const profile = getProfile(DEFAULT_PROFILE_ID);
  assert.ok(profile);
  const priced = estimateSourceModel(analysis, 0, profile);
  assert.equal(priced.estimate.model.format, 'python');
  assert.equal(priced.estimate.model.params, 545_130);
  assert.equal(priced.estimate.totals.macs, 6_128_896);
  assert.ok(priced.estimate.totals.energy.totalJ > 0);
  priced.estimate.layers.forEach((layer, i) => assert.equal(layer.name, analysis.layers[priced.layerIndices[i]].variable));
  const shares = priced.estimate.layers.reduce((sum, layer) => sum + layer.energyShare, 0);
  assert.ok(Math.abs(shares - 1) < 1e-9);
  const hotspots = sourceHotspots(analysis, priced, 0.2);
  assert.ok(hotspots.length > 0);
  for (const hotspot of hotspots) {
    assert.ok(hotspot.share >= 0.2);
    assert.match(hotspot.message, new RegExp(`^${analysis.layers[hotspot.layerIndex].variable.replace('.', '\\.')} `));
  }
  assert.deepEqual(hotspots.map((h) => h.share), [...hotspots.map((h) => h.share)].sort((a, b) => b - a));
});

test('layers without shapes are reported as unknown, not priced at zero', () => {
  const analysis = analyzePythonSource('from torch import nn\nm = nn.Sequential(nn.Linear(4, 4), nn.ReLU())\n');
  const profile = getProfile(DEFAULT_PROFILE_ID);
  assert.ok(profile);
  const priced = estimateSourceModel(analysis, 0, profile);
  assert.equal(priced.estimate.layers.length, 0);
  assert.deepEqual(priced.estimate.unknownOps.map((op) => [op.opType, op.count]), [['Linear', 1], ['ReLU', 1]]);
  assert.match(priced.estimate.warnings.join(' '), /input shape unknown/);
});
