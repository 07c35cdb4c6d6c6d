// Issue 14: a Python file with several models gets one analysis per model; shape hints fit the model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import type { Analysis } from '../../../src/core/energy/analysis';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import { analyzeSourceModelsFile, type PythonFileAnalysis } from '../../../src/core/pipeline/pythonModels';
import { captureIo } from '../cli/fakeServices';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'python');
const threeModels = path.join(fixtures, 'three_models.py');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-wild-py-'));

async function joule(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

test('three models in one file: three analyses with their own totals, never summed', () => {
  const file = analyzeSourceModelsFile(threeModels);
  assert.deepEqual(file.models.map((m) => m.name), ['SmallCnn', 'Block', 'TinyLm']);
  const [cnn, block, lm] = file.models.map((m) => m.analysis);
  // SmallCnn at 1×3×32×32: conv1 32·32·16·27 + conv2 32·32·32·144 + fc 32·10.
  assert.equal(cnn!.totals.macs, 32 * 32 * 16 * 27 + 32 * 32 * 32 * 144 + 320);
  assert.equal(cnn!.model.params, 448 + 4640 + 330);
  assert.ok(block!.totals.macs > 0 && block!.computeUnknown === undefined);
  // Each model's layers are its own: shares sum to 1 per model.
  for (const a of [cnn!, block!]) assert.ok(Math.abs(a.layers.reduce((s, l) => s + l.energyShare, 0) - 1) < 1e-9);
  assert.equal(lm!.computeUnknown !== undefined, true);
});

test('a model without an input shape says compute is unknown and suggests token ids for an Embedding', () => {
  const lm = analyzeSourceModelsFile(threeModels).models[2]!.analysis;
  assert.match(lm.computeUnknown ?? '', /`# joule: input=\(1, 128\)` \(token ids: batch, sequence\)/);
  assert.ok(lm.layers.every((l) => l.confidence === 'unknown'));
  assert.equal(lm.model.params, 1000 * 64 + 3 * (64 * 64 * 2 + 2 * 64) + 64 * 1000 + 1000);
});

test('the shape hint fits the first layer: (N, C, H, W) with its in_channels for a Conv2d, (N, in) for a Linear', () => {
  const conv = analyzePythonSource('import torch.nn as nn\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(1, 8, 3)\n    def forward(self, x):\n        return self.c(x)\n');
  assert.match(conv.models[0]!.shapeNote ?? '', /input=\(1, 1, 224, 224\)` \(N, C, H, W\)/);
  const mlp = analyzePythonSource('import torch.nn as nn\nnet = nn.Sequential(nn.Linear(20, 5))\n');
  assert.match(mlp.models[0]!.shapeNote ?? '', /input=\(1, 20\)` \(N, features\)/);
});

test('a file-level `# joule: input=` above the imports applies to the file\'s single model', () => {
  const text = '# joule: input=(2, 784)\nimport torch.nn as nn\n\nclass Mlp(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n';
  const model = analyzePythonSource(text).models[0]!;
  assert.deepEqual(model.inputShape, [2, 784]);
  assert.equal(model.inputShapeSource, 'comment');
  assert.equal(model.totals.macs, 2 * 784 * 10);
  // With two models it is not guessed for either.
  const two = analyzePythonSource(`${text}\nother = nn.Sequential(nn.Linear(5, 5))\n`);
  assert.equal(two.models.length, 2);
  assert.equal(two.models[0]!.inputShape, undefined);
});

test('a per-model comment applies to its class across blank lines', () => {
  const text = 'import torch.nn as nn\n\n# joule: input=(1, 16)\n\n\nclass Mlp(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(16, 4)\n\n    def forward(self, x):\n        return self.fc(x)\n';
  assert.equal(analyzePythonSource(text).models[0]!.totals.macs, 64);
});

test('CLI: the file summary lists the models; --model picks one; csv needs --model', async () => {
  const table = await joule('analyze', threeModels);
  assert.equal(table.code, 0, table.err);
  const summary = table.out.split('\n').slice(0, 4).join('\n');
  assert.match(summary, /defines 3 models; each is analysed on its own/);
  assert.match(summary, /TinyLm \(class, line \d+\): .*MACs and energy unknown: set the input shape/);
  assert.doesNotMatch(table.out, /of this file's/);
  const json = JSON.parse((await joule('analyze', threeModels, '--format', 'json')).out) as PythonFileAnalysis;
  assert.equal(json.kind, 'python-file');
  assert.equal(json.models.length, 3);
  const one = JSON.parse((await joule('analyze', threeModels, '--model', 'Block', '--format', 'json')).out) as Analysis;
  assert.equal(one.model.path.endsWith('#Block'), true);
  assert.equal((await joule('analyze', threeModels, '--format', 'csv')).code, 2);
  assert.equal((await joule('analyze', threeModels, '--model', 'Nope')).code, 2);
});
