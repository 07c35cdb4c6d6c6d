/**
 * The one worker host: requests answered, progress delivered, cancellation through the token (a
 * cooperative handler stops and its worker lives on; one that ignores it is killed after the grace),
 * crashes and out-of-memory reported with their cause, time limits. In a child process and in a
 * worker thread alike.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancelledError } from '../../../src/core/errors';
import { WorkerFailure } from '../../../src/core/workers/failure';
import { WorkerHost } from '../../../src/core/workers/host';
import { RemoteError } from '../../../src/core/workers/protocol';
import type { WorkerRuntime } from '../../../src/core/workers/spawn';
import { testMethods as m } from './testProtocol';

const script = path.join(__dirname, 'testWorker.js');

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return e;
  }
  assert.fail('the request should have failed');
}

for (const runtime of ['process', 'thread'] as WorkerRuntime[]) {
  describe(`WorkerHost (${runtime})`, { timeout: 60_000 }, () => {
    const host = new WorkerHost({ script, runtime, purpose: 'test work', heapMb: 64, timeoutMs: 20_000, graceMs: 500 });
    const problems: string[] = [];
    host.onProblem = (p) => problems.push(p);
    after(() => host.dispose());

    it('answers requests, several at once', async () => {
      assert.deepEqual(await Promise.all([host.request(m.echo, 'a'), host.request(m.count, 3), host.request(m.echo, 'b')]), ['a', 3, 'b']);
    });

    it('delivers progress, in order, before the answer', async () => {
      const seen: number[] = [];
      const n = await host.request(m.count, 5, { onProgress: (p) => seen.push(p) });
      assert.equal(n, 5);
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    });

    it('passes a handler error through with its class name and fields', async () => {
      const e = await failure(host.request(m.fail, 'no such grid region'));
      assert.ok(e instanceof RemoteError);
      assert.equal(e.name, 'RangeError');
      assert.equal(e.message, 'no such grid region');
      assert.deepEqual(e.remote.fields, { code: 'E_GRID', offset: 12 });
    });

    it('cancellation reaches a cooperative handler through its token; the worker lives on', async () => {
      const before = await host.request(m.pid, null);
      const controller = new AbortController();
      const started = Date.now();
      const job = host.request(m.cooperative, null, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      assert.ok((await failure(job)) instanceof CancelledError);
      assert.ok(Date.now() - started < 500 + 100, 'answered before the grace ran out');
      assert.equal(await host.request(m.pid, null), before, 'the same worker answers the next request');
      // A plain CancellationSignal (polled) works the same way.
      const flag = { cancelled: false };
      const job2 = host.request(m.cooperative, null, { signal: flag });
      setTimeout(() => { flag.cancelled = true; }, 100);
      assert.ok((await failure(job2)) instanceof CancelledError);
      assert.equal(await host.request(m.pid, null), before);
    });

    it('a handler that ignores its token is killed after the grace; a fresh worker takes the next request', async () => {
      const before = await host.request(m.pid, null);
      const controller = new AbortController();
      const job = host.request(m.stubborn, null, { signal: controller.signal });
      const bystander = host.request(m.stubborn, null);
      setTimeout(() => controller.abort(), 50);
      assert.ok((await failure(job)) instanceof CancelledError);
      const other = await failure(bystander);
      assert.ok(other instanceof WorkerFailure && other.reason === 'stopped', String(other));
      assert.ok(problems.some((p) => /did not stop within 0\.5 s/.test(p)), problems.join('\n'));
      const after = await host.request(m.echo, 'fresh');
      assert.equal(after, 'fresh');
      if (runtime === 'process') assert.notEqual(await host.request(m.pid, null), before);
    });

    it('a crash is reported with its exit code and stderr tail', async () => {
      const e = await failure(host.request(m.crash, 7));
      assert.ok(e instanceof WorkerFailure, String(e));
      assert.equal(e.reason, 'crash');
      assert.equal(e.exitCode, 7);
      assert.match(e.stderrTail, /simulated native crash/);
      assert.match(e.message, /exited with code 7/);
      assert.equal(await host.request(m.echo, 'after the crash'), 'after the crash');
    });

    it('a worker past its heap cap is reported as out-of-memory, and the host lives on', async () => {
      const e = await failure(host.request(m.grow, null));
      assert.ok(e instanceof WorkerFailure, String(e));
      assert.equal(e.reason, 'out-of-memory', e.message);
      assert.match(e.message, /ran out of memory/);
      assert.equal(await host.request(m.echo, 'after the out-of-memory'), 'after the out-of-memory');
    });

    it('a request past its time limit fails with a timeout, and so do the requests beside it', async () => {
      const hung = host.request(m.stubborn, null, { timeoutMs: 300 });
      const beside = host.request(m.stubborn, null);
      const e = await failure(hung);
      assert.ok(e instanceof WorkerFailure && e.reason === 'timeout', String(e));
      assert.match(e.message, /test work took longer than 0\.3 s/);
      const b = await failure(beside);
      assert.ok(b instanceof WorkerFailure && b.reason === 'timeout');
      assert.equal(await host.request(m.echo, 'fresh'), 'fresh');
    });

    it('an already cancelled signal starts nothing', async () => {
      assert.ok((await failure(host.request(m.echo, 'x', { signal: { cancelled: true } }))) instanceof CancelledError);
    });
  });
}
