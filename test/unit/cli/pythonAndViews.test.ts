import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Analysis } from '../../../src/core/energy/analysis';
import type { ServingEstimate, TrainingEstimate } from '../../../src/core/energy/deployment';
import { captureIo } from './fakeServices';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'python');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-cli-py-'));

async function joule(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

test('analyze model.py reports the layers found, total parameters, MACs and energy', async () => {
  const r = await joule('analyze', path.join(fixtures, 'pytorch_cnn.py'), '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.model.format, 'python');
  // conv1 864 + bn1 64 + conv2 18,496 + fc1 524,416 + fc2 1,290 (hand-counted as PyTorch counts them).
  assert.equal(a.model.params, 864 + 64 + 18_496 + 524_416 + 1_290);
  assert.deepEqual(
    a.layers.filter((l) => l.params > 0).map((l) => l.name),
    ['self.conv1', 'self.bn1', 'self.conv2', 'self.fc1', 'self.fc2'],
  );
  // The file states its input shape, so MACs and energy are known.
  assert.ok(a.totals.macs > 6e6, `macs ${a.totals.macs}`);
  assert.ok(a.totals.energy.totalJ > 0);
  // The same roof as a model file's: the HTML report draws Python layers on it too.
  assert.ok(a.profile.roofline && a.profile.roofline.peakFlopsPerS > 0 && a.profile.roofline.offChipBytesPerS > 0);
});

test('a Python model without an input shape gets one from --input-shape', async () => {
  const file = path.join(dir, 'mlp.py');
  fs.writeFileSync(file, 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))\n');
  const without = JSON.parse((await joule('analyze', file, '--format', 'json')).out) as Analysis;
  assert.equal(without.totals.macs, 0);
  const r = await joule('analyze', file, '--format', 'json', '--input-shape', '1,784');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.totals.macs, 784 * 256 + 256 * 10);
  assert.equal(a.model.params, 784 * 256 + 256 + 256 * 10 + 10);
});

test('serving and training views are added on request, with idle energy counted', async () => {
  const file = path.join(fixtures, 'pytorch_cnn.py');
  const r = await joule('analyze', file, '--format', 'json', '--requests-per-s', '10', '--train-samples', '50000', '--epochs', '2');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis & { serving: ServingEstimate; training: TrainingEstimate };
  assert.equal(a.serving.requestsPerS, 10);
  assert.ok(a.serving.idleJ > 0, 'idle power between requests is counted');
  assert.ok(Math.abs(a.serving.perRequestJ - (a.serving.activeJ + a.serving.idleJ)) < 1e-12);
  // Training: 3 × forward per sample × samples × epochs.
  assert.ok(Math.abs(a.training.energy.totalJ / (a.totals.energy.totalJ * 3 * 50_000 * 2) - 1) < 1e-9);
  const table = await joule('analyze', file, '--requests-per-s', '10');
  assert.match(table.out, /Serving at 10 requests\/s \(estimated\): .* per request, of which idle between requests/);
  const bad = await joule('analyze', file, '--epochs', '3');
  assert.equal(bad.code, 2);
});
