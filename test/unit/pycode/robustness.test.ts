// The analysis runs on every keystroke: half-typed code must never make it throw.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import { suggestFixes } from '../../../src/core/pycode/fixes';
import { PythonSourceSession } from '../../../src/core/pycode/incremental';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/python');
const texts = fs.readdirSync(fixtures).filter((file) => file.endsWith('.py')).map((file) => fs.readFileSync(path.join(fixtures, file), 'utf8'));

function analyzeEverything(text: string): void {
  const analysis = analyzePythonSource(text);
  analysis.layers.forEach((_, layerIndex) => suggestFixes(analysis, text, { layerIndex }));
  analysis.models.forEach((_, modelIndex) => suggestFixes(analysis, text, { modelIndex }));
}

test('truncated and partly deleted fixtures never make the analysis or the fixes throw', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 12 }),
    (which, at, deleted) => {
      const text = texts[which]!;
      const cut = Math.floor(at * text.length);
      analyzeEverything(text.slice(0, cut));
      analyzeEverything(text.slice(0, cut) + text.slice(cut + deleted));
    }), { numRuns: 100 });
});

test('an incremental session gives the same analysis as a full parse after each edit', () => {
  const session = new PythonSourceSession();
  let text = fs.readFileSync(path.join(fixtures, 'pytorch_cnn.py'), 'utf8');
  session.analyze(text);
  const edits: [string, string][] = [[', bias=False', ''], ['(128, num_classes)', '(256, num_classes)'], ['2 * width * 8 * 8, 128', '2 * width * 8 * 8, 256']];
  for (const [before, after] of edits) {
    assert.ok(text.includes(before));
    text = text.replace(before, after);
    assert.deepEqual(session.analyze(text), analyzePythonSource(text));
  }
  // conv1 gains its 32 biases, fc2 becomes Linear(256, 10) (+1,280), fc1 Linear(4096, 256) (+524,416)
  assert.equal(session.analyze(text).models[0]!.totals.params, 545_130 + 32 + 1_280 + 524_416);
});
