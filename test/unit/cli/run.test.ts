import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import type { Analysis } from '../../../src/core/energy/analysis';
import { captureIo, fakeServices } from './fakeServices';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-cli-'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string; calls: ReturnType<typeof fakeServices>['calls'] }> {
  const io = captureIo(tmp);
  const services = fakeServices();
  const code = await runCli(args, io, services);
  return { code, out: io.out, err: io.err, calls: services.calls };
}

test('analyze prints the table and exits 0', async () => {
  const r = await run(['analyze', 'model.onnx']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /estimated on Profile laptop-x86/);
  assert.match(r.out, /conv1 .* ◀ hotspot/);
  assert.equal(r.err, '');
});

test('analysis options reach the pipeline parsed and checked', async () => {
  const r = await run(['analyze', 'm.onnx', '--profile', 'a100', '--batch', '8', '--dim', 'seq=128', '--dim=heads=12', '--grid', 'FR', '--intensity', '50', '--pue', '1.2']);
  assert.equal(r.code, 0, r.err);
  const options = r.calls[0]!.options;
  assert.equal(options.profileId, 'a100');
  assert.equal(options.batch, 8);
  assert.deepEqual(options.dims, { seq: 128, heads: 12 });
  assert.equal(options.gridRegion, 'FR');
  assert.equal(options.gridIntensityGPerKWh, 50);
  assert.equal(options.pue, 1.2);
  assert.equal(options.userProfilesDir, path.join(tmp, '.joule', 'profiles'));
});

test('--format json prints the Analysis; md, csv and html work too', async () => {
  const json = await run(['analyze', 'm.onnx', '--format', 'json']);
  assert.equal(json.code, 0);
  assert.equal((JSON.parse(json.out) as Analysis).layers.length, 3);
  assert.match((await run(['analyze', 'm.onnx', '--format', 'md'])).out, /^# Energy report/);
  assert.match((await run(['analyze', 'm.onnx', '--format', 'csv'])).out, /^index,name,opType/);
  assert.match((await run(['analyze', 'm.onnx', '--format', 'html'])).out, /^<!DOCTYPE html>/);
});

test('--budget-mj: exit 1 with the reason when over, 0 when within', async () => {
  const over = await run(['analyze', 'm.onnx', '--budget-mj', '0.5']);
  assert.equal(over.code, 1);
  assert.match(over.err, /Energy budget exceeded: Estimated energy per inference on laptop-x86 is 1 mJ, over the budget of 0.5 mJ/);
  assert.match(over.err, /Costliest layers: conv1/);
  const within = await run(['analyze', 'm.onnx', '--budget-mj', '2', '--format', 'json']);
  assert.equal(within.code, 0);
  assert.doesNotThrow(() => JSON.parse(within.out), 'the verdict goes to stderr, stdout stays JSON');
  assert.match(within.err, /Energy budget met/);
});

test('exit 2 with a one-line message for unreadable input, no stack trace', async () => {
  const corrupt = await run(['analyze', 'corrupt.onnx']);
  assert.equal(corrupt.code, 2);
  assert.equal(corrupt.err, 'joule: corrupt.onnx at byte 12: a protobuf field tag. The file might be corrupted.\n');
  const missing = await run(['analyze', path.join(tmp, 'missing.onnx')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^joule: Cannot read .*missing\.onnx: no such file\.\n$/);
  assert.doesNotMatch(missing.err, /\n\s+at /);
});

test('exit 2 for bad arguments', async () => {
  const cases: [string[], RegExp][] = [
    [[], /Usage: joule COMMAND/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['analyze'], /analyze: missing argument/],
    [['analyze', 'a.onnx', 'b.onnx'], /unexpected argument "b.onnx"/],
    [['analyze', 'm.onnx', '--format', 'pdf'], /--format must be one of table, json, md, html, csv/],
    [['analyze', 'm.onnx', '--batch', '0'], /--batch must be a whole number of at least 1/],
    [['analyze', 'm.onnx', '--batch', 'two'], /--batch expects a number, got "two"/],
    [['analyze', 'm.onnx', '--dim', 'seq'], /--dim expects NAME=VALUE/],
    [['analyze', 'm.onnx', '--pue', '0.5'], /--pue must be at least 1/],
    [['analyze', 'm.onnx', '--profile'], /--profile needs a value/],
    [['analyze', 'm.onnx', '--nope'], /Unknown option --nope/],
    [['analyze', 'm.onnx', '--profile', 'toaster'], /Unknown hardware profile "toaster"/],
    [['compare', 'm.onnx'], /needs --profile-b/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')} -> ${r.code}`);
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.out, '', args.join(' '));
  }
});

test('--help and --version exit 0; command help lists its options', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  for (const name of ['analyze', 'report', 'compare', 'profiles']) assert.match(help.out, new RegExp(`^  ${name} `, 'm'));
  assert.doesNotMatch(help.out, /examples/, 'hidden commands stay out of help');
  const version = await run(['--version']);
  assert.equal(version.out, '9.9.9\n');
  const analyzeHelp = await run(['analyze', '--help']);
  assert.equal(analyzeHelp.code, 0);
  assert.match(analyzeHelp.out, /--budget-mj X/);
  assert.match(analyzeHelp.out, /--dim NAME=VALUE/);
  assert.equal((await run(['help', 'compare'])).out.split('\n')[0], 'Usage: joule compare MODEL_A MODEL_B [options]  |  compare MODEL --profile A --profile-b B [options]');
});

test('report writes a self-contained HTML file (default name beside the working folder)', async () => {
  const r = await run(['report', 'nets/tiny.onnx']);
  assert.equal(r.code, 0, r.err);
  const file = path.join(tmp, 'tiny-energy.html');
  assert.match(r.err, new RegExp(`Wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(fs.readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
  const md = await run(['report', 'nets/tiny.onnx', '--format', 'md', '--out', 'out/r.md']);
  assert.equal(md.code, 0);
  assert.match(fs.readFileSync(path.join(tmp, 'out', 'r.md'), 'utf8'), /^# Energy report/);
});

test('compare: two models, or one model on two profiles', async () => {
  const models = await run(['compare', 'a.onnx', 'b.onnx']);
  assert.equal(models.code, 0, models.err);
  assert.match(models.out, /a\.onnx \(A\) versus b\.onnx \(B\)/);
  const profiles = await run(['compare', 'm.onnx', '--profile', 'laptop-x86', '--profile-b', 'a100', '--format', 'json']);
  assert.equal(profiles.code, 0, profiles.err);
  const parsed = JSON.parse(profiles.out) as { comparison: string; labelA: string; labelB: string };
  assert.deepEqual([parsed.comparison, parsed.labelA, parsed.labelB], ['profiles', 'laptop-x86', 'a100']);
  assert.deepEqual(profiles.calls.map((c) => c.options.profileId), ['laptop-x86', 'a100']);
});

test('profiles: list, details with sources, unknown id exits 2', async () => {
  const list = await run(['profiles']);
  assert.equal(list.code, 0);
  for (const id of ['cortex-m4', 'a100', 'h100', 'eyeriss', 'pim-reram']) assert.match(list.out, new RegExp(`^${id} `, 'm'));
  const details = await run(['profiles', '--profile', 'a100']);
  assert.equal(details.code, 0);
  assert.match(details.out, /Memory levels/);
  assert.match(details.out, /Sources:/);
  assert.match(details.out, /busy ≈400 W \[nvidia-a100\]/, 'the busy-chip power and its source');
  const eyeriss = await run(['profiles', '--profile', 'eyeriss']);
  assert.match(eyeriss.out, /leave out \(clock, control, leakage\): 45% of the chip's \[eyeriss\]/);
  assert.match(eyeriss.out, /go off chip encoded: 21\.3 bits per non-zero value \[eyeriss\].*assuming ≈50% zeros \[joule-estimate\]/);
  const json = await run(['profiles', '--format', 'json']);
  assert.ok((JSON.parse(json.out) as unknown[]).length >= 13);
  const unknown = await run(['profiles', '--profile', 'toaster']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /Unknown profile "toaster"/);
});

test('an unexpected error is reported as a bug with exit 3', async () => {
  const io = captureIo(tmp);
  const services = { ...fakeServices(), analyze: () => { throw new TypeError('boom'); } };
  assert.equal(await runCli(['analyze', 'm.onnx'], io, services), 3);
  assert.match(io.err, /internal error: boom/);
});
