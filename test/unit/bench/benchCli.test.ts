import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Options, parseArgs } from '../../../src/cli/args';
import { createBenchCommand } from '../../../src/cli/commands/bench';
import type { CliIo } from '../../../src/cli/io';
import type { CliServices } from '../../../src/cli/services';
import { BenchFailure } from '../../../src/core/bench/benchFailure';
import { runBenchmark } from '../../../src/core/bench/runner';
import { listRuns } from '../../../src/core/bench/runStore';
import type { BenchOptions } from '../../../src/core/bench/types';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { sampleResult } from '../../fixtures/bench/sampleResult';

const workerPath = path.resolve(__dirname, '../../../src/core/bench/worker.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-cli-'));

function io(): CliIo & { out: string; err: string } {
  const sink = { cwd: dir, out: '', err: '', stdout: (t: string) => void (sink.out += t), stderr: (t: string) => void (sink.err += t) };
  return sink;
}

/** Services whose analysis fails: the bench must still run and say why no estimate is shown. */
const noAnalysis: CliServices = {
  version: '0',
  analyze: () => {
    throw new Error('analysis unavailable in this test');
  },
  profiles: () => ({ profiles: [], errors: [] }),
  profile: () => {
    throw new Error('no profiles in this test');
  },
  writeExamples: () => [],
};

async function runCommand(argv: string[], run: typeof runBenchmark): Promise<{ code: number; out: string; err: string }> {
  // No cpufreq and no nvidia-smi: a sweep must never change the limits of the machine running the tests.
  const command = createBenchCommand(run, { cpuRoot: path.join(dir, 'no-cpu'), searchPath: '' });
  const options = new Options(parseArgs(argv, command.options));
  const sink = io();
  const code = await command.run({ options, io: sink, services: noAnalysis });
  return { code, out: sink.out, err: sink.err };
}

test('bench --format json runs a real model and prints the documented fields', async () => {
  const b = new OnnxBuilder();
  const x = b.input('x', 'float32', ['batch', 8]);
  const [y] = b.node('MatMul', [x, b.weight('w', [8, 8])], {}, { name: 'fc' });
  b.output(y!, 'float32');
  fs.writeFileSync(path.join(dir, 'fc.onnx'), b.toBytes());
  const seen: BenchOptions[] = [];
  const real: typeof runBenchmark = (options, progress, signal) => {
    seen.push(options);
    return runBenchmark({ ...options, workerPath, energy: { ...options.energy, powercapRoot: path.join(dir, 'none'), searchPath: '' } }, progress, signal);
  };
  const { code, out } = await runCommand(['fc.onnx', '--iterations', '5', '--warmup', '1', '--threads', '1', '--batch', '3', '--format', 'json', '--save', 'runs'], real);
  assert.equal(code, 0);
  const json = JSON.parse(out) as Record<string, unknown> & { latencyMs: Record<string, number>; energy: { joules: number; source: string }; protocol: { iterations: number; runtime: { intraOpThreads: number } }; inputs: { dims: number[] }[] };
  for (const key of ['p50', 'p90', 'p99', 'min', 'max', 'mean']) assert.equal(typeof json.latencyMs[key], 'number');
  assert.equal(typeof json['throughputPerS'], 'number');
  assert.equal(typeof json['peakRssBytes'], 'number');
  assert.equal(json.energy.source, 'estimate');
  assert.ok(json.energy.joules > 0);
  assert.equal(json.protocol.iterations, 5);
  assert.equal(json.protocol.runtime.intraOpThreads, 1);
  assert.deepEqual(json.inputs[0]?.dims, [3, 8]);
  assert.ok(Array.isArray(json['layers']));
  assert.equal(seen[0]?.modelPath, path.join(dir, 'fc.onnx'));
  const { runs } = await listRuns(dir, path.join(dir, 'runs'));
  assert.equal(runs.length, 1);
});

test('the table labels every number measured or estimated', async () => {
  const { code, out, err } = await runCommand(['m.onnx'], async () => sampleResult());
  assert.equal(code, 0);
  assert.match(out, /latency p50\s+\S+ ms\s+measured/);
  assert.match(out, /energy \/ inference\s+\S+ mJ\s+estimated/);
  assert.match(out, /conv1\s+Conv\s+conv1/);
  assert.match(err, /No estimate beside the measurement: analysis unavailable/);
});

test('a crashed benchmark exits 4 with the cause; a model onnxruntime rejects exits 2', async () => {
  const crash = await runCommand(['m.onnx'], async () => {
    throw new BenchFailure('out-of-memory', 'The benchmark ran out of memory.', null, 'SIGKILL');
  });
  assert.equal(crash.code, 4);
  assert.match(crash.err, /ran out of memory/);
  const rejected = await runCommand(['m.onnx'], async () => {
    throw new BenchFailure('worker-error', 'Load model failed: protobuf parsing failed');
  });
  assert.equal(rejected.code, 2);
});

test('--sweep runs one benchmark per thread count and recommends a cap for the grid', async () => {
  const seenThreads: (number | undefined)[] = [];
  const fake: typeof runBenchmark = async (options) => {
    seenThreads.push(options.intraOpThreads);
    const t = options.intraOpThreads ?? 1;
    return sampleResult({ samplesMs: [4 / t, 4 / t], joulesPerInference: 0.1 * t });
  };
  const dirty = await runCommand(['m.onnx', '--sweep', '--sweep-threads', '1,2,4', '--intensity', '700'], fake);
  assert.equal(dirty.code, 0);
  assert.deepEqual(seenThreads, [1, 2, 4]);
  assert.match(dirty.out, /4 threads\s+1\.000 ms/);
  assert.match(dirty.out, /Recommended: 1 thread\./);
  const clean = await runCommand(['m.onnx', '--sweep', '--sweep-threads', '1,2,4', '--grid', 'NO', '--format', 'json'], fake);
  const json = JSON.parse(clean.out) as { advice: { recommendation: { chosen: { label: string } }; intensity: { gPerKWh: number } } };
  assert.equal(json.advice.intensity.gPerKWh, 30);
  assert.equal(json.advice.recommendation.chosen.label, '4 threads');
  await assert.rejects(runCommand(['m.onnx', '--sweep', '--sweep-threads', '1,x'], fake), /--sweep-threads expects whole numbers/);
});

test('bad option values are usage errors', async () => {
  const never: typeof runBenchmark = async () => assert.fail('must not run');
  await assert.rejects(runCommand(['m.onnx', '--iterations', '0'], never), /--iterations must be a whole number/);
  await assert.rejects(runCommand(['m.onnx', '--format', 'xml'], never), /--format must be table or json/);
  await assert.rejects(runCommand(['m.onnx', '--energy', 'magic'], never), /--energy must be one of/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
