/**
 * A killed CLI must not leave a partial transform file: the worker's writes to a dead parent fail
 * with EPIPE, which used to kill it before its clean-up; and temp files left by earlier crashes are
 * swept at the next run in that folder.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolvePaths } from '../../../src/core/transform/job';
import { STALE_TEMP_MS, sweepStaleTemps, tempPathFor } from '../../../src/core/transform/io/safeOutput';
import { serveTransformJobs } from '../../../src/core/transform/worker';
import type { WorkerToParent } from '../../../src/core/transform/workerProtocol';
import { buildCnn, tempDir } from '../transform/fixtures';

/** A parent that has died: every send fails with EPIPE, asynchronously, as Node reports it. */
class DeadParent extends EventEmitter {
  connected = true;
  readonly sent: WorkerToParent['type'][] = [];
  send(m: WorkerToParent, _handle: unknown, _options: unknown, callback: (error: Error | null) => void): boolean {
    this.sent.push(m.type);
    const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    setImmediate(() => callback(error));
    return false;
  }
}

test('a worker whose parent died stops, removes its temp file and writes nothing', async () => {
  const dir = tempDir();
  const model = buildCnn(path.join(dir, 'cnn.onnx'));
  const request = { model, transform: { op: 'quantize' as const, mode: 'int8-dynamic' as const }, minElements: 0 };
  const paths = resolvePaths(request);
  const parent = new DeadParent();
  serveTransformJobs(parent as unknown as NodeJS.Process);
  parent.emit('message', { type: 'start', request, paths });
  const deadline = Date.now() + 60_000;
  while (!parent.sent.some((t) => t === 'cancelled' || t === 'result' || t === 'error') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(parent.sent.includes('cancelled'), `the job stopped (sent: ${parent.sent.join(', ')})`);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  assert.equal(fs.existsSync(paths.out), false);
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
