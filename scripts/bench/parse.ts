/**
 * Benchmark (issue 3 targets): a model with ≥ 1 GB of embedded weights is parsed and shape-inferred
 * in ≤ 200 ms with ≤ 100 MB RSS growth, because weights are skipped, not read. Compared with a
 * whole-file decode of the same file (fs.readFileSync + decoding every TensorProto's values).
 *
 * Run: npm run compile-tests && node out/scripts/bench/parse.js [--mb 1024] [--runs 5]
 * The model is streamed to a temp folder by the builder (weights generated 16 MiB at a time); each
 * method is measured in its own child process so RSS growth is not shared.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { inferShapes } from '../../src/core/graph/shapeInference';
import { BufferByteSource, FileByteSource } from '../../src/core/io/byteSource';
import { OnnxBuilder } from '../../src/core/onnx/builder';
import { readOnnxModel } from '../../src/core/onnx/reader';
import { readTensorData } from '../../src/core/onnx/tensorData';

const TARGET_MS = 200;
const TARGET_RSS_MB = 100;
const MB = 1024 * 1024;

function argValue(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * A transformer-like stack: per layer a 1024x4096 and a 4096x1024 float32 MatMul (16 MiB each),
 * LayerNormalization and a Shape-driven Reshape, until the weights reach `megabytes`.
 */
function buildLargeModel(file: string, megabytes: number): { layers: number; bytes: number } {
  const hidden = 1024;
  const b = new OnnxBuilder({ opset: 17, producer: 'joule-bench' });
  let x = b.input('hidden_states', 'float32', ['batch', 'sequence', hidden]);
  const layers = Math.ceil(megabytes / 32);
  for (let i = 0; i < layers; i++) {
    const [ln] = b.node('LayerNormalization', [x, b.weight(`l${i}.ln.w`, [hidden]), b.weight(`l${i}.ln.b`, [hidden])], { axis: -1, epsilon: 1e-5 });
    const [up] = b.node('MatMul', [ln!, b.weight(`l${i}.up`, [hidden, 4 * hidden])]);
    const [act] = b.node('Relu', [up!]);
    const [down] = b.node('MatMul', [act!, b.weight(`l${i}.down`, [4 * hidden, hidden])]);
    const [shape] = b.node('Shape', [x]);
    const [reshaped] = b.node('Reshape', [down!, shape!]);
    x = b.node('Add', [x, reshaped!])[0]!;
  }
  b.output(x!);
  b.save(file);
  return { layers, bytes: fs.statSync(file).size };
}

interface Measurement {
  readonly firstMs: number;
  readonly medianMs: number;
  readonly rssGrowthMb: number;
  readonly detail: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Child mode: Joule's lazy path, readOnnxModel over a FileByteSource + inferShapes. */
function measureLazy(file: string, runs: number): Measurement {
  const rssBefore = process.memoryUsage().rss;
  const times: number[] = [];
  let detail = '';
  let peak = rssBefore;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const source = new FileByteSource(file);
    try {
      const model = readOnnxModel(source);
      const { unknown } = inferShapes(model, { batch: 1 });
      detail = `${model.graph.nodes.length} nodes, ${model.graph.initializers.length} initializers, ${unknown.length} unknown values`;
    } finally {
      source.close();
    }
    times.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { firstMs: times[0]!, medianMs: median(times), rssGrowthMb: (peak - rssBefore) / MB, detail };
}

/** Child mode: a whole-file decode, reading every byte and decoding every tensor's values. */
function measureEager(file: string): Measurement {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  const source = new BufferByteSource(bytes, file);
  const model = readOnnxModel(source);
  const decoded: unknown[] = [];
  let elements = 0;
  for (const name of model.graph.initializers) {
    const ref = model.graph.values.get(name)!.constant!;
    const values = readTensorData(source, ref);
    elements += values.length;
    decoded.push(values);
  }
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  return { firstMs: ms, medianMs: ms, rssGrowthMb: (rss - rssBefore) / MB, detail: `${decoded.length} tensors, ${elements} values decoded` };
}

function child(kind: 'lazy' | 'eager', file: string, runs: number): Measurement {
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', __filename, '--child', kind, file, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${kind} measurement failed: ${run.stderr || run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurement;
}

function main(): void {
  const childAt = process.argv.indexOf('--child');
  const runs = Math.floor(argValue('runs', 5));
  if (childAt >= 0) {
    const kind = process.argv[childAt + 1];
    const file = process.argv[childAt + 2]!;
    const m = kind === 'lazy' ? measureLazy(file, runs) : measureEager(file);
    console.log(JSON.stringify(m));
    return;
  }
  const megabytes = argValue('mb', 1024);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-parse-bench-'));
  try {
    const file = path.join(dir, 'large.onnx');
    const t0 = performance.now();
    const { layers, bytes } = buildLargeModel(file, megabytes);
    console.log(`Built ${path.basename(file)}: ${(bytes / MB).toFixed(0)} MiB embedded weights, ${layers} layers, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const lazy = child('lazy', file, runs);
    const eager = child('eager', file, 1);
    const row = (name: string, m: Measurement): string =>
      `| ${name.padEnd(44)} | ${m.firstMs.toFixed(1).padStart(9)} | ${m.medianMs.toFixed(1).padStart(10)} | ${m.rssGrowthMb.toFixed(1).padStart(14)} |`;
    console.log('| method                                       | first (ms) | median (ms) | RSS growth (MB) |');
    console.log('|----------------------------------------------|-----------:|------------:|----------------:|');
    console.log(row('readOnnxModel + inferShapes (lazy, Joule)', lazy));
    console.log(row('readFileSync + decode every tensor (eager)', eager));
    console.log(`lazy: ${lazy.detail}; eager: ${eager.detail}`);
    console.log(`ratio eager/lazy: time ${(eager.medianMs / lazy.medianMs).toFixed(0)}x, RSS ${(eager.rssGrowthMb / Math.max(lazy.rssGrowthMb, 0.1)).toFixed(0)}x`);
    const ok = lazy.medianMs <= TARGET_MS && lazy.rssGrowthMb <= TARGET_RSS_MB;
    console.log(`target ≤ ${TARGET_MS} ms and ≤ ${TARGET_RSS_MB} MB: ${ok ? 'met' : 'NOT met'} (median ${lazy.medianMs.toFixed(1)} ms, first ${lazy.firstMs.toFixed(1)} ms, ${lazy.rssGrowthMb.toFixed(1)} MB)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
