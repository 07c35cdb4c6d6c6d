/**
 * Every file the CLI writes goes through one safe path: never through a link planted at the output
 * name, never over the input model, never over an existing file without --force.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import { exampleModelBytes } from '../../../src/core/examples';
import { captureIo } from '../cli/fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-out-'));
const model = path.join(dir, 'm.onnx');
fs.writeFileSync(model, exampleModelBytes('small-cnn'));
const modelBytes = fs.readFileSync(model);

async function joule(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

test('report does not follow a link at its default output name, and --force replaces the link itself', async () => {
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious\n');
  const link = path.join(dir, 'm-energy.html');
  fs.symlinkSync(victim, link);
  const r = await joule('report', model);
  assert.equal(r.code, 2);
  assert.match(r.err, /symbolic link/);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
  const forced = await joule('report', model, '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', 'the link target is untouched');
  assert.ok(!fs.lstatSync(link).isSymbolicLink());
  assert.match(fs.readFileSync(link, 'utf8'), /^<!DOCTYPE html>/);
});

test('--out equal to the input model is refused for analyze and report, with or without --force', async () => {
  for (const args of [['analyze', model, '--out', model], ['report', model, '--out', './sub/../m.onnx', '--force']]) {
    const r = await joule(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /is the input/);
  }
  const hardLink = path.join(dir, 'alias.onnx');
  fs.linkSync(model, hardLink);
  assert.equal((await joule('report', model, '--out', 'alias.onnx', '--force')).code, 2, 'a hard link to the model is the model');
  assert.deepEqual(fs.readFileSync(model), modelBytes);
});

test('an existing file is kept unless --force; examples too; no temp file is left behind', async () => {
  const out = path.join(dir, 'r.md');
  fs.writeFileSync(out, 'mine\n');
  const r = await joule('analyze', model, '--format', 'md', '--out', 'r.md');
  assert.equal(r.code, 2);
  assert.match(r.err, /already exists; use --force/);
  assert.equal(fs.readFileSync(out, 'utf8'), 'mine\n');
  assert.equal((await joule('analyze', model, '--format', 'md', '--out', 'r.md', '--force')).code, 0);
  assert.match(fs.readFileSync(out, 'utf8'), /^# Energy report/);

  const examples = path.join(dir, 'ex');
  assert.equal((await joule('examples', '--out', 'ex')).code, 0);
  fs.writeFileSync(path.join(examples, 'cnn.onnx'), 'mine');
  const again = await joule('examples', '--out', 'ex');
  assert.equal(again.code, 2);
  assert.equal(fs.readFileSync(path.join(examples, 'cnn.onnx'), 'utf8'), 'mine');
  assert.equal((await joule('examples', '--out', 'ex', '--force')).code, 0);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
