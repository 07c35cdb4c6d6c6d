/**
 * Benchmark of the benchmark harness (issue 7 targets): the p50 latency that `runBenchmark` reports
 * (child process, IPC, energy meter, progress) against a bare onnxruntime-node loop on the same model
 * and threads in this process, and the agreement of two harness runs.
 * Targets: harness p50 within 3% of the bare loop; two runs within 10% of each other.
 * Run: npm run compile-tests && node out/scripts/bench/harness.js [--iterations N] [--threads N] [--rounds N] [--strict]
 * Runs are interleaved (bare, harness, bare, harness, ...) so slow drift of a shared machine hits
 * both sides; the overhead compares the medians of the rounds' p50s, and the best of each side.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as Ort from 'onnxruntime-node';
import { fillArray } from '../../src/core/bench/inputs';
import { runBenchmark } from '../../src/core/bench/runner';
import { summarize } from '../../src/core/bench/stats';
import { buildSmallCnn } from '../../src/core/examples';

function argValue(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const ITERATIONS = argValue('iterations', 200);
const ROUNDS = Math.max(2, Math.floor(argValue('rounds', 4)));
const WARMUP = 20;
const THREADS = argValue('threads', 1);
const BATCH = 4;
const IMAGE = 64;

async function bareLoop(modelPath: string): Promise<{ p50: number; min: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof Ort;
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: THREADS });
  const dims = [BATCH, 3, IMAGE, IMAGE];
  const feeds = { input: new ort.Tensor('float32', fillArray('float32', dims.reduce((a, b) => a * b, 1), 1) as Float32Array, dims) };
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  const summary = summarize(times);
  return { p50: summary.p50, min: summary.min };
}

async function harness(modelPath: string): Promise<{ p50: number; min: number; profileNodes: number; energySource: string }> {
  const result = await runBenchmark({ modelPath, iterations: ITERATIONS, warmup: WARMUP, intraOpThreads: THREADS, batch: BATCH, profileIterations: 10 });
  return { p50: result.latencyMs.p50, min: result.latencyMs.min, profileNodes: result.layers.length, energySource: result.energy.source };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-harness-'));
  const modelPath = path.join(dir, 'small_cnn.onnx');
  fs.writeFileSync(modelPath, buildSmallCnn({ imageSize: IMAGE }).toBytes());
  try {
    const bareRuns: { p50: number; min: number }[] = [];
    const harnessed: { p50: number; min: number; profileNodes: number; energySource: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await bareLoop(modelPath));
      harnessed.push(await harness(modelPath));
    }
    const bare = bareRuns.map((b) => b.p50);
    const harnessP50s = harnessed.map((h) => h.p50);
    // Other processes only ever add time, so the fastest single run is the least disturbed measure.
    const floorOverhead = Math.min(...harnessed.map((h) => h.min)) / Math.min(...bareRuns.map((b) => b.min)) - 1;
    const median = (xs: number[]): number => summarize(xs).p50;
    const overhead = median(harnessP50s) / median(bare) - 1;
    const bestOverhead = Math.min(...harnessP50s) / Math.min(...bare) - 1;
    const [h1, h2] = harnessP50s as [number, number];
    const agreement = Math.abs(h1 - h2) / Math.min(h1, h2);
    const spread = (Math.max(...harnessP50s) - Math.min(...harnessP50s)) / Math.min(...harnessP50s);
    const overheadOk = overhead <= 0.03;
    const agreementOk = agreement <= 0.1;
    const ms = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(', ');
    console.log(`Harness benchmark: small CNN ${IMAGE}x${IMAGE}, batch ${BATCH}, ${THREADS} intra-op thread(s), ${ROUNDS} rounds of ${ITERATIONS} runs after ${WARMUP} warm-up`);
    console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}, load average ${os.loadavg()[0]?.toFixed(1)}, node ${process.version}`);
    console.log(`bare onnxruntime-node loop p50 per round (ms): ${ms(bare)}`);
    console.log(`harness p50 per round (ms):                    ${ms(harnessP50s)} (${harnessed[0]?.profileNodes} profiled nodes, energy: ${harnessed[0]?.energySource})`);
    console.log(`harness overhead on p50, median of rounds:     ${pct(overhead)}  target <= 3%   ${overheadOk ? 'MET' : 'MISSED'}`);
    console.log(`harness overhead on p50, best of rounds:       ${pct(bestOverhead)}`);
    console.log(`harness overhead on the fastest run (floor):   ${pct(floorOverhead)}`);
    console.log(`first two harness runs differ by:              ${pct(agreement)}  target <= 10%  ${agreementOk ? 'MET' : 'MISSED'}`);
    console.log(`spread of all harness runs (max/min - 1):      ${pct(spread)}`);
    if (process.argv.includes('--strict') && !(overheadOk && agreementOk)) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
