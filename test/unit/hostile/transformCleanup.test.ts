/**
 * A killed CLI must not leave a partial transform file: the worker's writes to a dead parent fail
 * with EPIPE, which used to kill it before its clean-up (here a real parent is SIGKILLed mid-job);
 * and temp files left by earlier crashes are swept at the next run in that folder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolvePaths } from '../../../src/core/transform/job';
import { STALE_TEMP_MS, sweepStaleTemps, tempPathFor } from '../../../src/core/transform/io/safeOutput';
import { buildCnn, tempDir } from '../transform/fixtures';

/** Runs dyingParent.js, which starts a transform and kills itself once the temp file exists. */
function runDyingParent(model: string, out: string): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'dyingParent.js'), model, out], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => { stdout += chunk; });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, stdout })));
}

test('a worker whose parent was killed stops, removes its temp file and publishes nothing', async () => {
  const dir = tempDir();
  const model = buildCnn(path.join(dir, 'cnn.onnx'));
  const out = path.join(dir, 'cnn.int8.onnx');
  const { signal, stdout } = await runDyingParent(model, out);
  assert.equal(signal, 'SIGKILL', `the parent died mid-transform (stdout: ${stdout})`);
  const { temps } = JSON.parse(stdout) as { temps: string[] };
  assert.equal(temps.length, 1, 'the worker had written its temp file when its parent died');
  // The orphaned worker sees the closed channel (and EPIPE on its writes), stops at its next check
  // point and removes the file before it exits.
  const deadline = Date.now() + 60_000;
  while (fs.readdirSync(dir).some((f) => f.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(fs.existsSync(out), false);
});

test('temp files older than a day with our name pattern are swept; fresh ones, links and others stay', () => {
  const dir = tempDir();
  const out = path.join(dir, 'm.q.onnx');
  const stale = tempPathFor(out);
  const fresh = tempPathFor(out);
  const other = path.join(dir, '.notes.tmp');
  for (const f of [stale, fresh, other]) fs.writeFileSync(f, 'x');
  const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
  fs.utimesSync(stale, old, old);
  fs.utimesSync(other, old, old);
  const link = tempPathFor(out);
  fs.symlinkSync(other, link);
  assert.deepEqual(sweepStaleTemps(dir), [stale]);
  assert.deepEqual([fresh, other, link].map((f) => fs.existsSync(f) || fs.lstatSync(f).isSymbolicLink()), [true, true, true]);
  // The next transform in that folder sweeps too.
  const again = tempPathFor(out);
  fs.writeFileSync(again, 'x');
  fs.utimesSync(again, old, old);
  resolvePaths({ model: buildCnn(path.join(dir, 'cnn.onnx')), transform: { op: 'quantize', mode: 'fp16' } });
  assert.equal(fs.existsSync(again), false);
});
