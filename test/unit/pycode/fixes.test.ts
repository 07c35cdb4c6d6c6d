// Quick fixes: the inserted code is what PyTorch/Keras users write, imports come once, and the result parses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parser } from '@lezer/python';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import { applyEdits, suggestFixes, type FixTarget } from '../../../src/core/pycode/fixes';
import type { FixSuggestion } from '../../../src/core/pycode/types';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/python');

function hasParseError(text: string): boolean {
  let error = false;
  parser.parse(text).iterate({ enter: (node) => { if (node.type.isError) error = true; } });
  return error;
}

function fixesFor(text: string, target: FixTarget): FixSuggestion[] {
  return suggestFixes(analyzePythonSource(text), text, target);
}

test('every fix on every fixture yields valid Python with at most one preferred fix per target', () => {
  for (const name of fs.readdirSync(fixtures).filter((file) => file.endsWith('.py'))) {
    const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
    const analysis = analyzePythonSource(text);
    const targets: FixTarget[] = [...analysis.layers.map((_, layerIndex) => ({ layerIndex })), ...analysis.models.map((_, modelIndex) => ({ modelIndex }))];
    let offered = 0;
    for (const target of targets) {
      const fixes = suggestFixes(analysis, text, target);
      assert.ok(fixes.filter((fix) => fix.isPreferred).length <= 1, `${name} ${JSON.stringify(target)}`);
      for (const fix of fixes) {
        offered++;
        const result = applyEdits(text, fix.edits);
        assert.notEqual(result, text);
        assert.equal(hasParseError(result), false, `${name}: "${fix.title}" breaks the file:\n${result}`);
      }
    }
    assert.ok(offered > 0, `${name} offers no fix`);
  }
});

test('dynamic quantization of a PyTorch class goes into a helper after the class, with the file\'s nn alias', () => {
  const text = fs.readFileSync(path.join(fixtures, 'pytorch_sequence.py'), 'utf8');
  const [fix] = fixesFor(text, { modelIndex: 0 });
  assert.ok(fix);
  assert.equal(fix.kind, 'quantize-dynamic');
  assert.equal(fix.isPreferred, true);
  const result = applyEdits(text, fix.edits);
  assert.match(result, /\n\n\ndef quantize_sequence_classifier_dynamic\(model\):\n/);
  assert.match(result, /return torch\.ao\.quantization\.quantize_dynamic\(model\.eval\(\), \{nn\.Linear, nn\.LSTM\}, dtype=torch\.qint8\)/);
  assert.equal(result.split('import torch\n').length, text.split('import torch\n').length, 'import torch already present: not added again');
});

test('pruning a Sequential member inserts prune.l1_unstructured after the Sequential and imports prune once', () => {
  const text = fs.readFileSync(path.join(fixtures, 'pytorch_mlp.py'), 'utf8');
  const fixes = fixesFor(text, { layerIndex: 1 });
  const l1 = fixes.find((fix) => fix.kind === 'prune-l1');
  const structured = fixes.find((fix) => fix.kind === 'prune-structured');
  assert.ok(l1 && structured);
  const result = applyEdits(text, l1.edits);
  assert.match(result, /^from torch import nn\nimport torch\.nn\.utils\.prune as prune\n/m);
  assert.match(result, /\n\)\n# Joule: zero the 30% smallest weights.*\nprune\.l1_unstructured\(mlp\[1\], name="weight", amount=0\.3\)\n$/);
  assert.match(applyEdits(text, structured.edits), /prune\.ln_structured\(mlp\[1\], name="weight", amount=0\.3, n=2, dim=0\)/);
  // Applying twice must not duplicate the import.
  const again = fixesFor(result, { layerIndex: 3 }).find((fix) => fix.kind === 'prune-l1');
  assert.ok(again);
  assert.equal(applyEdits(result, again.edits).match(/import torch\.nn\.utils\.prune as prune/g)?.length, 1);
});

test('pruning a layer of a class inserts the call after its assignment, at its indentation', () => {
  const text = fs.readFileSync(path.join(fixtures, 'pytorch_cnn.py'), 'utf8');
  const fix = fixesFor(text, { layerIndex: 5 }).find((candidate) => candidate.kind === 'prune-l1');
  assert.ok(fix);
  assert.match(applyEdits(text, fix.edits), /self\.fc1 = nn\.Linear\(2 \* width \* 8 \* 8, 128\)\n {8}# Joule: .*\n {8}prune\.l1_unstructured\(self\.fc1, name="weight", amount=0\.3\)\n {8}self\.fc2/);
});

test('QAT setup mentions fake quantization with the straight-through estimator', () => {
  const text = fs.readFileSync(path.join(fixtures, 'pytorch_cnn.py'), 'utf8');
  const qat = fixesFor(text, { modelIndex: 0 }).find((fix) => fix.kind === 'qat');
  assert.ok(qat);
  const result = applyEdits(text, qat.edits);
  assert.match(result, /model\.qconfig = torch\.ao\.quantization\.get_default_qat_qconfig\(backend\)/);
  assert.match(result, /return torch\.ao\.quantization\.prepare_qat\(model\.train\(\)\)/);
  assert.match(result, /straight-through estimator/);
});

test('Keras: tfmot wrappers around the model and around a layer, import added after the imports', () => {
  const text = fs.readFileSync(path.join(fixtures, 'keras_cnn.py'), 'utf8');
  const [quantize, prune] = fixesFor(text, { modelIndex: 0 });
  assert.ok(quantize && prune);
  assert.equal(quantize.kind, 'tfmot-quantize');
  const quantized = applyEdits(text, quantize.edits);
  assert.match(quantized, /from tensorflow\.keras import layers\nimport tensorflow_model_optimization as tfmot\n/);
  assert.match(quantized, /model = tfmot\.quantization\.keras\.quantize_model\(keras\.Sequential\(/);
  assert.equal(prune.kind, 'tfmot-prune');
  assert.match(applyEdits(text, prune.edits), /tfmot\.sparsity\.keras\.prune_low_magnitude\(keras\.Sequential\([\s\S]*PolynomialDecay/);
  const layerPrune = fixesFor(text, { layerIndex: 6 }).find((fix) => fix.kind === 'tfmot-prune');
  assert.ok(layerPrune);
  assert.match(applyEdits(text, layerPrune.edits), /tfmot\.sparsity\.keras\.prune_low_magnitude\(layers\.Dense\(num_classes, activation="softmax"\), pruning_schedule=/);
});

test('a Keras Sequential grown with add() is wrapped after its last add', () => {
  const text = 'import keras\nfrom keras import layers\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(8,)))\nmodel.add(layers.Dense(4))\nmodel.summary()\n';
  const [quantize] = fixesFor(text, { modelIndex: 0 });
  assert.ok(quantize);
  assert.equal(applyEdits(text, quantize.edits),
    'import keras\nfrom keras import layers\nimport tensorflow_model_optimization as tfmot\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(8,)))\nmodel.add(layers.Dense(4))\nmodel = tfmot.quantization.keras.quantize_model(model)\nmodel.summary()\n');
});

test('imports go to the top of a file that has none', () => {
  const text = 'mlp = nn.Sequential(nn.Linear(4, 4))\n';
  const fix = fixesFor(text, { modelIndex: 0 }).find((candidate) => candidate.kind === 'quantize-dynamic');
  assert.ok(fix);
  assert.equal(applyEdits(text, fix.edits),
    'import torch\nmlp = nn.Sequential(nn.Linear(4, 4))\nmlp_int8 = torch.ao.quantization.quantize_dynamic(mlp.eval(), {torch.nn.Linear}, dtype=torch.qint8)\n');
});
