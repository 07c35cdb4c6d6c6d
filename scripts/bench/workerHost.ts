/**
 * What the one worker host (src/core/workers, vscode-jsonrpc) costs per request, against a bare
 * channel doing the same echo (postMessage / process.send with no protocol on top): cold start (first
 * answer from a fresh worker), median round trip of a small request, of a 1 MB result (an analysis
 * is a few hundred KB), and the time from a cancellation to its answer for a handler that listens to
 * its token (the protocol's part; a real handler adds the time to its next check point). Both runtimes. No target: the numbers say whether the protocol layer matters
 * next to the work it carries (analyses take tens of ms, transforms and benchmarks seconds).
 * Standalone: `node out/scripts/bench/workerHost.js` prints one JSON object; measured on the machine
 * it runs on.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WorkerHost } from '../../src/core/workers/host';
import type { WorkerRuntime } from '../../src/core/workers/spawn';
import { testMethods as m } from '../../test/unit/workers/testProtocol';

const ROUND_TRIPS = 500;
const BIG_TRIPS = 30;
const script = path.join(__dirname, '../../test/unit/workers/testWorker.js');
const big = 'x'.repeat(1 << 20);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeEach(n: number, once: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function viaHost(runtime: WorkerRuntime): Promise<Record<string, number>> {
  const host = new WorkerHost({ script, runtime, purpose: 'bench' });
  try {
    let t0 = performance.now();
    await host.request(m.echo, 'hello');
    const coldMs = performance.now() - t0;
    const echoMs = await timeEach(ROUND_TRIPS, () => host.request(m.echo, 'hello'));
    const bigMs = await timeEach(BIG_TRIPS, () => host.request(m.echo, big));
    const cancels: number[] = [];
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const job = host.request(m.untilCancelled, null, { signal: controller.signal }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
      t0 = performance.now();
      controller.abort();
      await job;
      cancels.push(performance.now() - t0);
    }
    return { coldMs, echoMs, bigMs, cancelMs: median(cancels) };
  } finally {
    host.dispose();
  }
}

/** The same echo with no protocol: what any channel pays for the transport alone. */
async function bare(runtime: WorkerRuntime): Promise<Record<string, number>> {
  const t0 = performance.now();
  let send: (value: string) => void;
  let stop: () => void;
  let onAnswer: (value: string) => void = () => undefined;
  if (runtime === 'thread') {
    const worker = new Worker("require('node:worker_threads').parentPort.on('message', (v) => require('node:worker_threads').parentPort.postMessage(v));", { eval: true });
    worker.on('message', (v: string) => onAnswer(v));
    send = (v) => worker.postMessage(v);
    stop = () => void worker.terminate();
  } else {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-echo-')), 'echo.js');
    fs.writeFileSync(file, "process.on('message', (v) => process.send(v));");
    const child = fork(file, [], { execArgv: [], serialization: 'json' });
    child.on('message', (v: string) => onAnswer(v));
    send = (v) => child.send(v);
    stop = () => child.kill('SIGKILL');
  }
  const ask = (v: string): Promise<string> => new Promise((resolve) => { onAnswer = resolve; send(v); });
  await ask('hello');
  const coldMs = performance.now() - t0;
  const echoMs = await timeEach(ROUND_TRIPS, () => ask('hello'));
  const bigMs = await timeEach(BIG_TRIPS, () => ask(big));
  stop();
  return { coldMs, echoMs, bigMs };
}

async function main(): Promise<void> {
  const results: Record<string, Record<string, number>> = {};
  for (const runtime of ['process', 'thread'] as WorkerRuntime[]) {
    results[`host ${runtime}`] = await viaHost(runtime);
    results[`bare ${runtime}`] = await bare(runtime);
  }
  const rounded = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([n, x]) => [n, Math.round(x * 1000) / 1000]))]));
  console.log(JSON.stringify({ measured: true, machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`, node: process.version, roundTrips: ROUND_TRIPS, results: rounded }, null, 2));
}

void main();
