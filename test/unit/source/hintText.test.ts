// Labels of inlay hints, hovers and CodeLens for Python model code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_PROFILE_ID, getProfile } from '../../../src/core/energy';
import { analyzePythonSource } from '../../../src/core/source/analyzePythonSource';
import { layerHintLabel, layerHoverMarkdown, modelLensTitle } from '../../../src/core/source/hintText';
import { estimateSourceModel } from '../../../src/core/source/sourceEnergy';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/python');

test('hint, hover and CodeLens texts of a traced PyTorch model', () => {
  const analysis = analyzePythonSource(fs.readFileSync(path.join(fixtures, 'pytorch_cnn.py'), 'utf8'));
  const profile = getProfile(DEFAULT_PROFILE_ID);
  assert.ok(profile);
  const priced = estimateSourceModel(analysis, 0, profile);
  const conv2 = analysis.layers[2];
  const conv2Energy = priced.estimate.layers[priced.layerIndices.indexOf(2)];
  assert.match(layerHintLabel(conv2, conv2Energy), /^18\.5 k params · 74 kB · 4\.72 M MACs · [\d.]+ [µm]J \(\d+\.\d%\)$/);
  assert.equal(layerHintLabel(analysis.layers[0]), '864 params · 3.46 kB · 885 k MACs');
  const hover = layerHoverMarkdown(analysis.layers[1], priced.estimate.layers[1], profile.name);
  assert.match(hover, /^\*\*self.bn1\*\*/);
  assert.match(hover, /\| Buffers \| 64 \(running statistics\) \|/);
  assert.match(hover, /\| Shape \| 1×32×32×32 → 1×32×32×32 \|/);
  assert.match(hover, /\| Split \| compute .* · static .* \|/);
  assert.equal(modelLensTitle(analysis.models[0]), 'Joule: 545 k params · 2.18 MB · 6.13 M MACs');
  assert.match(modelLensTitle(analysis.models[0], priced.estimate.totals.energy.totalJ), /· [\d.]+ mJ\/inference$/);
});

test('unknown parts are said, and names from the file cannot inject Markdown', () => {
  const analysis = analyzePythonSource('from torch import nn\nclass M(nn.Module):\n    def __init__(self, n):\n        self.fc = nn.Linear(n, 2)\n        self.ok = nn.Linear(2, 2)\n');
  assert.equal(layerHintLabel(analysis.layers[0]), '? params');
  assert.equal(modelLensTitle(analysis.models[0]), 'Joule: 6+ params · 24 B · MACs need an input shape');
  const hover = layerHoverMarkdown({ ...analysis.layers[0], variable: 'self.<img src=x>' });
  assert.match(hover, /^\*\*self\.\\<img src=x\\>\*\*/);
});
