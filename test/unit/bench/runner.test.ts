import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { BenchFailure } from '../../../src/core/bench/benchFailure';
import { listExecutionProviders, runBenchmark } from '../../../src/core/bench/runner';
import type { BenchProgress } from '../../../src/core/bench/types';
import { CancelledError } from '../../../src/core/errors';

const workerPath = path.resolve(__dirname, '../../../src/core/bench/worker.js');
const fakeWorker = path.resolve(__dirname, '../../fixtures/bench/misbehavingWorker.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-runner-'));
const noCounters = { powercapRoot: path.join(dir, 'no-powercap'), searchPath: '' };

/** Two MatMul+Relu layers on a [batch, 16] input. */
function tinyMlp(): string {
  const b = new OnnxBuilder();
  let x = b.input('x', 'float32', ['batch', 16]);
  for (let i = 0; i < 2; i++) {
    const w = b.weight(`w${i}`, [16, 16]);
    [x] = b.node('MatMul', [x, w], {}, { name: `fc${i}` }) as [string];
    [x] = b.node('Relu', [x], {}, { name: `relu${i}` }) as [string];
  }
  b.output(x, 'float32', ['batch', 16]);
  const file = path.join(dir, 'mlp.onnx');
  fs.writeFileSync(file, b.toBytes());
  return file;
}

/** int64 token ids through Gather, and a bool mask cast to float. */
function idsAndMask(): string {
  const b = new OnnxBuilder();
  const ids = b.input('ids', 'int64', ['batch', 'seq']);
  const mask = b.input('mask', 'bool', ['batch', 'seq']);
  const table = b.weight('embedding', [8, 4]);
  const [emb] = b.node('Gather', [table, ids], { axis: 0 }, { name: 'embed' });
  const [m] = b.node('Cast', [mask], { to: 1 }, { name: 'mask_cast' });
  b.output(emb!, 'float32');
  b.output(m!, 'float32');
  const file = path.join(dir, 'ids.onnx');
  fs.writeFileSync(file, b.toBytes());
  return file;
}

function fakeModel(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, 'not a model');
  return file;
}

test('a tiny model: latency statistics, throughput, peak RSS, energy source, per-layer profile, protocol', async () => {
  const phases = new Set<string>();
  const result = await runBenchmark(
    { modelPath: tinyMlp(), iterations: 20, warmup: 2, profileIterations: 3, dims: { batch: 4 }, intraOpThreads: 1, workerPath, layerNames: ['fc0', 'relu0', 'fc1', 'relu1'], energy: noCounters },
    (p: BenchProgress) => phases.add(p.phase),
  );
  assert.equal(result.kind, 'measured');
  assert.equal(result.samplesMs.length, 20);
  assert.equal(result.latencyMs.count, 20);
  assert.ok(result.latencyMs.min > 0 && result.latencyMs.min <= result.latencyMs.p50 && result.latencyMs.p99 <= result.latencyMs.max);
  assert.ok(result.throughputPerS > 0);
  assert.ok(result.loadMs > 0);
  assert.ok(result.peakRssBytes > 10 * 1024 * 1024, `peak RSS ${result.peakRssBytes}`);
  assert.equal(result.energy.source, 'estimate');
  assert.equal(result.energy.kind, 'estimated');
  assert.ok(result.energy.joules > 0 && result.energy.joulesPerInference > 0);
  assert.deepEqual(result.inputs, [{ name: 'x', type: 'float32', dims: [4, 16], origin: 'generated' }]);
  const mapped = result.layers.filter((l) => l.layer !== undefined).map((l) => l.layer);
  assert.ok(mapped.includes('fc0') && mapped.includes('fc1'), `mapped layers: ${mapped.join(', ')}`);
  assert.ok(result.layers.every((l) => l.calls === 3 && l.meanMs >= 0));
  assert.ok(Math.abs(result.layers.reduce((s, l) => s + l.share, 0) - 1) < 1e-9);
  assert.equal(result.protocol.iterations, 20);
  assert.equal(result.protocol.warmup, 2);
  assert.equal(result.protocol.runtime.intraOpThreads, 1);
  assert.equal(result.protocol.runtime.provider, 'cpu');
  assert.match(result.protocol.runtime.onnxruntime, /^\d+\.\d+/);
  assert.match(result.protocol.machine.host, /^sha256:[0-9a-f]{12}$/);
  for (const phase of ['load', 'warmup', 'measure', 'profile', 'done']) assert.ok(phases.has(phase), `phase ${phase}`);
});

test('int64 and bool inputs are generated with their types; profiling can be turned off', async () => {
  const result = await runBenchmark({ modelPath: idsAndMask(), iterations: 3, warmup: 1, dims: { batch: 2, seq: 5 }, profile: false, workerPath, energy: noCounters });
  assert.deepEqual(result.inputs.map((i) => [i.name, i.type, i.dims]), [['ids', 'int64', [2, 5]], ['mask', 'bool', [2, 5]]]);
  assert.deepEqual(result.layers, []);
});

test('duration mode measures until the time is up', async () => {
  const totals = new Set<number>();
  const result = await runBenchmark({ modelPath: tinyMlp(), durationS: 0.3, warmup: 1, profile: false, workerPath, energy: noCounters }, (p) => {
    if (p.phase === 'measure') totals.add(p.total);
  });
  assert.ok(result.samplesMs.length > 1);
  assert.deepEqual([...totals], [300], 'progress of a timed run counts milliseconds out of the duration');
  assert.ok(result.energy.durationS >= 0.29 && result.energy.durationS < 2, `measured for ${result.energy.durationS} s`);
  assert.equal(result.protocol.durationS, 0.3);
});

test('a measured meter covers exactly the timed runs (fake nvidia-smi at 75 W in total)', async () => {
  const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
  fs.copyFileSync(path.resolve(__dirname, '../../../../test/fixtures/bench/fake-nvidia-smi.sh'), path.join(bin, 'nvidia-smi'));
  fs.chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
  const result = await runBenchmark({ modelPath: tinyMlp(), durationS: 0.5, warmup: 2, profile: false, workerPath, energy: { prefer: 'nvml', searchPath: bin } });
  assert.equal(result.energy.source, 'nvml');
  assert.equal(result.energy.kind, 'measured');
  const expected = 75 * result.energy.durationS;
  assert.ok(Math.abs(result.energy.joules - expected) < 0.05 * expected, `${result.energy.joules} J, expected ${expected} J`);
  assert.ok(Math.abs(result.energy.averagePowerW - 75) < 4);
});

test('a file that is not a model: the worker reports onnxruntime\'s error, the caller survives', async () => {
  await assert.rejects(
    runBenchmark({ modelPath: fakeModel('garbage.onnx'), workerPath, energy: noCounters }),
    (e: unknown) => e instanceof BenchFailure && e.reason === 'worker-error' && /garbage\.onnx|protobuf|load/i.test(e.message),
  );
});

test('a provider onnxruntime-node does not offer is named with the ones it does', async () => {
  await assert.rejects(
    runBenchmark({ modelPath: tinyMlp(), provider: 'no-such-ep', workerPath, energy: noCounters }),
    (e: unknown) => e instanceof BenchFailure && e.reason === 'worker-error' && /'no-such-ep' is not offered.*cpu/.test(e.message),
  );
});

test('a crash is reported with its exit code and stderr tail', async () => {
  await assert.rejects(runBenchmark({ modelPath: fakeModel('crash.onnx'), workerPath: fakeWorker, energy: noCounters }), (e: unknown) => {
    assert.ok(e instanceof BenchFailure);
    assert.equal(e.reason, 'crash');
    assert.equal(e.exitCode, 7);
    assert.match(e.stderrTail, /simulated native crash/);
    assert.match(e.message, /exited with code 7/);
    return true;
  });
});

test('death by signal is reported with the signal', async () => {
  await assert.rejects(runBenchmark({ modelPath: fakeModel('abort.onnx'), workerPath: fakeWorker, energy: noCounters }), (e: unknown) => {
    assert.ok(e instanceof BenchFailure);
    assert.equal(e.signal, 'SIGABRT');
    return true;
  });
});

test('running out of heap is reported as out-of-memory', async () => {
  await assert.rejects(
    runBenchmark({ modelPath: fakeModel('oom.onnx'), workerPath: fakeWorker, maxOldSpaceMb: 32, timeoutS: 60, energy: noCounters }),
    (e: unknown) => e instanceof BenchFailure && e.reason === 'out-of-memory' && /heap/i.test(e.stderrTail),
  );
});

test('a hang is stopped by the timeout', async () => {
  const started = Date.now();
  await assert.rejects(
    runBenchmark({ modelPath: fakeModel('hang.onnx'), workerPath: fakeWorker, timeoutS: 0.5, energy: noCounters }),
    (e: unknown) => e instanceof BenchFailure && e.reason === 'timeout',
  );
  assert.ok(Date.now() - started < 5000);
});

test('an error message from the worker is passed on', async () => {
  await assert.rejects(
    runBenchmark({ modelPath: fakeModel('error.onnx'), workerPath: fakeWorker, energy: noCounters }),
    (e: unknown) => e instanceof BenchFailure && e.reason === 'worker-error' && /unsupported operator Foo/.test(e.message),
  );
});

test('cancellation (AbortSignal or CancellationSignal) kills the worker mid-measurement', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const run = runBenchmark({ modelPath: fakeModel('stall.onnx'), workerPath: fakeWorker, energy: noCounters }, undefined, controller.signal);
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(run, CancelledError);
  const flag = { cancelled: false };
  const run2 = runBenchmark({ modelPath: tinyMlp(), durationS: 30, workerPath, energy: noCounters }, (p) => {
    if (p.phase === 'measure') flag.cancelled = true;
  }, flag);
  await assert.rejects(run2, CancelledError);
  assert.ok(Date.now() - started < 10_000);
});

test('onnxruntime-node lists its execution providers, CPU among them', async () => {
  const { providers, ortVersion } = await listExecutionProviders(workerPath);
  assert.ok(providers.some((p) => p.name === 'cpu'));
  assert.match(ortVersion, /^\d+\.\d+/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
