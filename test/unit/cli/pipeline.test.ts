import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { ADVICE_LAYER_BUDGET } from '../../../src/core/advise/adviceViews';
import type { Analysis } from '../../../src/core/energy/analysis';
import { captureIo } from './fakeServices';

/**
 * End to end through the real pipeline (reader, shape inference, cost rules, energy model) on the
 * example models the project builds, as `joule` runs it, in-process.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-pipeline-'));
const cnn = path.join(dir, 'cnn.onnx');
const transformer = path.join(dir, 'transformer.onnx');

async function joule(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

test('examples writes the demo models', async () => {
  const r = await joule('examples', '--out', '.');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), [cnn, transformer]);
  assert.ok(fs.statSync(cnn).size > 1000);
});

test('analyze prints every layer of the CNN with the profile in the header', async () => {
  const r = await joule('analyze', cnn);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Joule energy report: estimated on .*profile laptop-x86, batch 1, dims batch=1/);
  for (const name of ['/conv1/Conv', '/bn1/BatchNormalization', '/pool2/MaxPool', '/fc/Gemm']) assert.ok(r.out.includes(name), name);
  assert.match(r.out, /\/conv2\/Conv .*◀ hotspot/);
  assert.match(r.out, /^Energy per inference\s+[\d.]+ [mµ]J ±100% \([\d.]+ [mµ]J – [\d.]+ [mµ]J\)$/m);
  assert.match(r.out, /^Uncertainty: ±100% on energy and latency \(no published measurement validates cpu profiles/m);
  assert.match(r.out, /^ +total .* [\d.]+ [mµ]J ±100% /m);
});

test('the JSON holds the fields the issue asks for, consistent with each other', async () => {
  const r = await joule('analyze', cnn, '--format', 'json', '--profile', 'a100', '--grid', 'FR');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis;
  assert.deepEqual(Object.keys(a.model).filter((k) => ['path', 'format', 'opset', 'params', 'weightBytes'].includes(k)), ['path', 'format', 'opset', 'params', 'weightBytes']);
  assert.equal(a.model.format, 'onnx');
  assert.equal(a.model.opset, 17);
  assert.ok(a.model.params > 90_000 && a.model.weightBytes >= a.model.params * 4 - 1000);
  assert.equal(a.profile.id, 'a100');
  assert.ok(a.profile.roofline && a.profile.roofline.peakFlopsPerS > 0);
  assert.equal(a.settings.gridRegion, 'FR');
  assert.equal(a.layers.length, 13);
  const sum = (f: (l: Analysis['layers'][number]) => number): number => a.layers.reduce((s, l) => s + f(l), 0);
  assert.equal(a.totals.macs, sum((l) => l.macs));
  assert.ok(Math.abs(a.totals.energy.totalJ - sum((l) => l.energy.totalJ)) < 1e-12);
  const e = a.totals.energy;
  assert.ok(Math.abs(e.totalJ - (e.computeJ + e.onChipJ + e.offChipJ + e.staticJ)) < 1e-12);
  assert.ok(Math.abs(a.totals.co2eGrams - (e.totalJ / 3.6e6) * a.settings.pue * a.settings.gridIntensityGPerKWh) < 1e-15);
  for (const layer of a.layers) {
    for (const key of ['name', 'opType', 'macs', 'flops', 'params', 'outputShapes', 'bytes', 'energy', 'bound']) assert.ok(key in layer, key);
  }
  assert.deepEqual(a.layers[0]!.outputShapes, [[1, 32, 32, 32]]);
  // The a100 band is the largest validation error of GPU rows (docs/validation.md): the value inside it.
  const u = a.totals.uncertainty!;
  assert.match(u.basis, /validation error of gpu profiles/);
  assert.ok(u.energyJ.low < e.totalJ && e.totalJ < u.energyJ.high && u.latencyS.low < a.totals.latencyS && a.totals.latencyS < u.latencyS.high);
  assert.ok(Math.abs(Math.log(u.energyJ.high / e.totalJ) - u.logError) < 1e-9);
  for (const layer of a.layers.filter((l) => l.energy.totalJ > 0)) assert.ok(layer.uncertainty!.energyJ.low < layer.energy.totalJ && layer.energy.totalJ < layer.uncertainty!.energyJ.high, layer.name);
  assert.ok(Array.isArray(a.unknownOps) && Array.isArray(a.warnings));
});

test('--dim binds a symbolic dimension; assumed values are named in the warnings and assumedDims', async () => {
  const given = JSON.parse((await joule('analyze', transformer, '--dim', 'sequence=64', '--batch', '2', '--format', 'json')).out) as Analysis;
  assert.deepEqual(given.settings.dims, { batch: 2, sequence: 64 });
  assert.ok(given.layers.some((l) => JSON.stringify(l.outputShapes) === '[[2,64,64]]'));
  assert.ok(!given.warnings.some((w) => w.includes('values assumed')));
  assert.equal(given.assumedDims, undefined);
  const defaulted = JSON.parse((await joule('analyze', transformer, '--format', 'json')).out) as Analysis;
  assert.ok(defaulted.warnings.some((w) => w.startsWith('Symbolic dimensions not given, values assumed: sequence=128 (sequence, from name)')), defaulted.warnings.join('\n'));
  assert.deepEqual(defaulted.assumedDims?.map((d) => [d.name, d.value, d.role]), [['sequence', 128, 'sequence']]);
  assert.ok(given.totals.macs < defaulted.totals.macs * 2, 'batch 2 × half the sequence: less than twice the work');
});

test('--budget-mj gates on the real estimate', async () => {
  const json = JSON.parse((await joule('analyze', cnn, '--format', 'json')).out) as Analysis;
  const mj = json.totals.energy.totalJ * 1000;
  assert.equal((await joule('analyze', cnn, '--budget-mj', String(mj * 1.01))).code, 0);
  const over = await joule('analyze', cnn, '--budget-mj', String(mj * 0.99));
  assert.equal(over.code, 1);
  assert.match(over.err, /Energy budget exceeded: .*over the budget of/);
});

test('unreadable input exits 2 with one line: garbage, truncated, missing, folder', async () => {
  const garbage = path.join(dir, 'garbage.onnx');
  fs.writeFileSync(garbage, Buffer.from('this is not a model, just text\n'.repeat(10)));
  const truncated = path.join(dir, 'truncated.onnx');
  fs.writeFileSync(truncated, fs.readFileSync(cnn).subarray(0, 2000));
  for (const file of [garbage, truncated, path.join(dir, 'missing.onnx'), dir]) {
    const r = await joule('analyze', file);
    assert.equal(r.code, 2, `${file}: ${r.err}`);
    assert.match(r.err, /^joule: /);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.equal(r.out, '');
  }
});

test('bad settings exit 2 for every input kind: unknown profile, unknown grid region', async () => {
  const profile = await joule('analyze', cnn, '--profile', 'toaster');
  assert.equal(profile.code, 2);
  assert.match(profile.err, /Unknown hardware profile "toaster". Known profiles: cortex-m4, /);
  const grid = await joule('analyze', cnn, '--grid', 'Atlantis');
  assert.equal(grid.code, 2);
  assert.match(grid.err, /Unknown grid region "Atlantis"/);
  // A Python file is priced with the same settings and the same errors (it used to exit 3, "a bug").
  const py = path.join(dir, 'model.py');
  fs.writeFileSync(py, 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 10)\n');
  for (const args of [['--grid', 'Atlantis'], ['--profile', 'toaster']]) {
    const r = await joule('analyze', py, ...args);
    assert.equal(r.code, 2, r.err);
    assert.doesNotMatch(r.err, /internal error/);
  }
});

test('operators without a cost rule are listed, never silently zero', async () => {
  const b = new OnnxBuilder({ opset: 17, producer: 'test' });
  const x = b.input('x', 'float32', [1, 16]);
  const y = b.node('Relu', [x], {}, { name: 'relu' })[0]!;
  const z = b.node('FancyOp', [y], {}, { name: 'fancy<1>', domain: 'com.example' })[0]!;
  b.output(z, 'float32', [1, 16]);
  const file = path.join(dir, 'custom.onnx');
  fs.writeFileSync(file, b.toBytes());
  const r = await joule('analyze', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Cost unknown \(listed, not counted in the totals\):\n {2}FancyOp \[com\.example\] ×1: fancy<1>/);
  const html = (await joule('analyze', file, '--format', 'html')).out;
  assert.ok(html.includes('fancy&lt;1&gt;') && !html.includes('fancy<1>'));
});

test('a user profile from .joule/profiles can be chosen; a broken one is reported', async () => {
  const profilesDir = path.join(dir, '.joule', 'profiles');
  fs.mkdirSync(profilesDir, { recursive: true });
  const shipped = JSON.parse((await joule('profiles', '--profile', 'cortex-m7', '--format', 'json')).out) as { id: string; name: string };
  fs.writeFileSync(path.join(profilesDir, 'mine.json'), JSON.stringify({ ...shipped, id: 'my-board', name: 'My board' }));
  fs.writeFileSync(path.join(profilesDir, 'broken.json'), '{ "id": ');
  const r = await joule('analyze', cnn, '--profile', 'my-board', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.profile.name, 'My board');
  assert.ok(a.warnings.some((w) => w.startsWith('Skipped user profile') && w.includes('broken.json')));
  const list = await joule('profiles');
  assert.match(list.out, /^my-board /m);
  assert.match(list.err, /Skipped profile .*broken\.json/);
  fs.rmSync(path.join(dir, '.joule'), { recursive: true });
});

test('report writes HTML with charts; compare runs one model on two profiles', async () => {
  const r = await joule('report', transformer, '--out', 'report.html');
  assert.equal(r.code, 0, r.err);
  const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.match(html, /Content-Security-Policy/);
  assert.match(html, /peak [\d.]+ [kMGT]?FLOP\/s fp32/);
  assert.equal((html.match(/<svg /g) ?? []).length, 4);
  const c = await joule('compare', cnn, '--profile', 'cortex-m7', '--profile-b', 'jetson-orin-agx');
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /^energy per inference\s+[\d.]+ [mµ]J\s+[\d.]+ [mµ]J\s+[−+][\d.]+%/m);
});

test('recommendations are in CLI reports: every one in the JSON, the top ones in table, Markdown and HTML', async () => {
  const json = await joule('analyze', cnn, '--format', 'json');
  assert.equal(json.code, 0, json.err);
  const a = JSON.parse(json.out) as Analysis & { advice: { layer?: string; action: string; savingJ: number }[] };
  assert.ok(a.advice.length > 0, 'the CNN has recommendations on the default profile');
  const names = new Set(a.layers.map((l) => l.name));
  for (const v of a.advice) {
    assert.ok(v.savingJ > 0 && v.savingJ < a.totals.energy.totalJ, `${v.action}: a saving within the model's energy`);
    if (v.layer !== undefined) assert.ok(names.has(v.layer), `${v.layer} is a layer of the model`);
  }
  const table = await joule('analyze', cnn);
  assert.match(table.out, /^Recommendations \(estimated savings\):$/m);
  const md = await joule('analyze', cnn, '--format', 'md');
  assert.match(md.out, /^## Recommendations$/m);
  const r = await joule('report', cnn, '--out', 'advice.html');
  assert.equal(r.code, 0, r.err);
  assert.match(fs.readFileSync(path.join(dir, 'advice.html'), 'utf8'), /<section class="advice"><h2>Recommendations<\/h2><ul><li>/);
});

test('recommendations are skipped above the advisor layer budget, the analysis is not', async () => {
  const b = new OnnxBuilder({ opset: 17 });
  let x = b.input('x', 'float32', [1, 8]);
  for (let i = 0; i <= ADVICE_LAYER_BUDGET; i++) [x] = b.node('Relu', [x], {}, { name: `r${i}` }) as [string];
  b.output(x, 'float32', [1, 8]);
  const file = path.join(dir, 'long.onnx');
  fs.writeFileSync(file, b.toBytes());
  const r = await joule('analyze', file, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis & { advice?: unknown };
  assert.equal(a.layers.length, ADVICE_LAYER_BUDGET + 1);
  assert.equal(a.advice, undefined);
});

test('--batch on a model exported with a fixed batch is not applied, and the report says so', async () => {
  const b = new OnnxBuilder({ opset: 17, seed: 3 });
  const x = b.input('x', 'float32', [1, 16]);
  const [y] = b.node('Gemm', [x, b.weight('w', [8, 16])], { transB: 1 }, { name: 'fc' });
  b.output(y!, 'float32', [1, 8]);
  const file = path.join(dir, 'fixed-batch.onnx');
  fs.writeFileSync(file, b.toBytes());
  const r = await joule('analyze', file, '--batch', '8', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.settings.batch, 1, 'the figures are for the batch the model runs at');
  assert.equal(a.totals.macs, 16 * 8);
  assert.ok(a.warnings.some((w) => /no open batch dimension .* batch 8 was not applied/.test(w)), a.warnings.join('\n'));
  const cnnAt8 = JSON.parse((await joule('analyze', cnn, '--batch', '8', '--format', 'json')).out) as Analysis;
  assert.equal(cnnAt8.settings.batch, 8, 'an open batch dimension takes the batch');
});
