/**
 * ONNX conformance of Joule's reader and shape inference against an independent producer: the ONNX
 * backend node tests Debian ships in `libonnx-testdata`. For every test, it reads model.onnx, binds
 * the graph inputs to the dims (and, for small integer tensors, the values) of test_data_set_0's
 * inputs, infers shapes and compares each graph output's shape with the expected output tensor's.
 *
 * Opt-in (not part of the unit suite):
 *   node out/scripts/onnx-conformance.js [--suite node|simple|pytorch-converted|pytorch-operator] [--verbose] [--no-input-values]
 * By default small integer/bool inputs and float inputs of at most 8 elements are fed as known values,
 * as the constants they stand for in real models; --no-input-values binds shapes only.
 * Installs the package with apt-get when it is missing and the script runs as root.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../src/core/errors';
import type { Dim, Model } from '../src/core/graph/ir';
import { inferShapes } from '../src/core/graph/shapeInference';
import { withFileSource } from '../src/core/io/byteSource';
import { readOnnxModel } from '../src/core/onnx/reader';
import { decodeTensor } from '../src/core/onnx/tensorDecoder';
import { WireReader } from '../src/core/onnx/wireReader';

const DATA_ROOT = '/usr/share/libonnx-testdata/data';

type Outcome = 'pass' | 'shape-mismatch' | 'unknown-shape' | 'read-error' | 'non-tensor-io';

interface Result {
  readonly test: string;
  readonly outcome: Outcome;
  readonly detail: string;
  readonly ops: readonly string[];
}

function ensureTestData(): boolean {
  if (fs.existsSync(path.join(DATA_ROOT, 'node'))) return true;
  if (process.getuid?.() !== 0) {
    console.error(`ONNX test data not found under ${DATA_ROOT}. Install it with: sudo apt-get install -y libonnx-testdata`);
    return false;
  }
  console.log('Installing libonnx-testdata with apt-get...');
  const run = spawnSync('apt-get', ['install', '-y', 'libonnx-testdata'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return run.status === 0 && fs.existsSync(path.join(DATA_ROOT, 'node'));
}

interface PbTensor {
  readonly dims: readonly number[];
  readonly dataType: string;
  readonly values?: readonly number[];
}

/** A test_data_set_*.pb file holding one TensorProto (sequences and optionals are other messages). */
function readPbTensor(file: string): PbTensor {
  return withFileSource(file, (source) => {
    const reader = new WireReader(source);
    const ref = decodeTensor({ reader, warnings: [], resolveExternal: (l) => l }, source.size).ref;
    return { dims: ref.dims, dataType: ref.dataType, values: ref.values };
  });
}

function sameShape(a: readonly Dim[] | undefined, b: readonly number[]): boolean {
  return !!a && a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The models declare their outputs' shapes; forget every declared type except the inputs' so the
 * comparison measures inference, not the file's own declarations.
 */
function forgetDeclaredTypes(model: Model): void {
  const keep = new Set([...model.graph.inputs, ...model.graph.initializers]);
  const forget = (values: Model['graph']['values']): void => {
    for (const [name, v] of values) if (!keep.has(name) && !v.constant) delete v.type;
  };
  forget(model.graph.values);
  for (const n of model.graph.nodes) {
    for (const a of n.attributes.values()) {
      if (a.type === 'graph') forgetSubgraph(a.value);
      if (a.type === 'graphs') a.value.forEach(forgetSubgraph);
    }
  }
}

/** Subgraph outputs are declared too (If branches); their inputs (Loop/Scan bodies) stay. */
function forgetSubgraph(graph: Model['graph']): void {
  const keep = new Set([...graph.inputs, ...graph.initializers]);
  for (const [name, v] of graph.values) if (!keep.has(name) && !v.constant) delete v.type;
  for (const n of graph.nodes) {
    for (const a of n.attributes.values()) {
      if (a.type === 'graph') forgetSubgraph(a.value);
      if (a.type === 'graphs') a.value.forEach(forgetSubgraph);
    }
  }
}

function bindInputs(model: Model, inputs: readonly PbTensor[], withValues: boolean): void {
  model.graph.inputs.forEach((name, i) => {
    const t = inputs[i];
    const v = model.graph.values.get(name);
    if (!t || !v) return;
    v.type = { dataType: (v.type?.dataType ?? t.dataType) as NonNullable<typeof v.type>['dataType'], shape: t.dims };
    // Small integer/bool inputs and tiny float inputs (scales, Range bounds) play the role of the
    // constants real models carry (Reshape targets, axes, Resize scales).
    if (withValues && t.values && (/int|bool/.test(t.dataType) || t.values.length <= 8)) v.knownValues = t.values;
  });
}

function runTest(dir: string, withValues: boolean): Result {
  const test = path.basename(dir);
  let model: Model;
  try {
    model = withFileSource(path.join(dir, 'model.onnx'), (s) => readOnnxModel(s));
  } catch (e) {
    return { test, outcome: 'read-error', detail: e instanceof Error ? e.message : String(e), ops: [] };
  }
  const ops = [...new Set(model.graph.nodes.map((n) => (n.domain ? `${n.domain}:${n.opType}` : n.opType)))];
  const dataDir = path.join(dir, 'test_data_set_0');
  const files = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  const numbered = (prefix: string): string[] => files.filter((f) => f.startsWith(prefix)).sort((a, b) => parseInt(a.slice(prefix.length), 10) - parseInt(b.slice(prefix.length), 10));
  let inputs: PbTensor[];
  let outputs: PbTensor[];
  try {
    inputs = numbered('input_').map((f) => readPbTensor(path.join(dataDir, f)));
    outputs = numbered('output_').map((f) => readPbTensor(path.join(dataDir, f)));
  } catch (e) {
    return { test, outcome: 'non-tensor-io', detail: `test data is not plain tensors (${e instanceof ModelFormatError ? e.expected : String(e)})`, ops };
  }
  const declaredTensor = (name: string): boolean => model.graph.values.get(name)?.declaredType !== undefined;
  if (outputs.some((o) => o.dataType === 'unknown') || !model.graph.outputs.every(declaredTensor) || !model.graph.inputs.every(declaredTensor)) {
    return { test, outcome: 'non-tensor-io', detail: 'inputs or outputs are sequences, maps or optionals', ops };
  }
  forgetDeclaredTypes(model);
  bindInputs(model, inputs, withValues);
  inferShapes(model);
  for (let j = 0; j < model.graph.outputs.length && j < outputs.length; j++) {
    const name = model.graph.outputs[j]!;
    const v = model.graph.values.get(name);
    const expected = outputs[j]!.dims;
    if (sameShape(v?.type?.shape, expected)) continue;
    const got = v?.type?.shape;
    const unknownDims = !got || got.some((d) => typeof d !== 'number');
    return {
      test,
      outcome: unknownDims ? 'unknown-shape' : 'shape-mismatch',
      detail: `${name}: expected [${expected.join(', ')}], got ${got ? `[${got.map((d) => d ?? '?').join(', ')}]` : 'no shape'}${v?.unknownReason ? ` (${v.unknownReason})` : ''}`,
      ops,
    };
  }
  return { test, outcome: 'pass', detail: '', ops };
}

function main(): number {
  const args = process.argv.slice(2);
  const suite = args.includes('--suite') ? args[args.indexOf('--suite') + 1] ?? 'node' : 'node';
  const verbose = args.includes('--verbose');
  const withValues = !args.includes('--no-input-values');
  if (!ensureTestData()) return 1;
  const root = path.join(DATA_ROOT, suite);
  const dirs = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'model.onnx'))).sort();
  const started = Date.now();
  const results = dirs.map((d) => runTest(path.join(root, d), withValues));
  const by = (o: Outcome): Result[] => results.filter((r) => r.outcome === o);
  const passed = by('pass').length;
  const tensorTests = results.length - by('non-tensor-io').length;

  console.log(`ONNX backend ${suite} tests (libonnx-testdata), ${results.length} models, ${Date.now() - started} ms, ${withValues ? 'small input tensors fed as known values' : 'input shapes only'}`);
  console.log(`  shapes match:        ${passed} / ${results.length} (${((100 * passed) / results.length).toFixed(1)}%)`);
  console.log(`  of tensor-only tests: ${passed} / ${tensorTests} (${((100 * passed) / tensorTests).toFixed(1)}%)`);
  for (const o of ['shape-mismatch', 'unknown-shape', 'read-error', 'non-tensor-io'] as const) console.log(`  ${o.padEnd(20)} ${by(o).length}`);

  const failingOps = new Map<string, number>();
  for (const r of results) if (r.outcome === 'unknown-shape' || r.outcome === 'shape-mismatch') for (const op of r.ops) failingOps.set(op, (failingOps.get(op) ?? 0) + 1);
  const top = [...failingOps].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`  ops in failing tests: ${top.map(([op, n]) => `${op} ${n}`).join(', ')}`);
  if (verbose) for (const r of results) if (r.outcome !== 'pass') console.log(`${r.outcome.padEnd(15)} ${r.test}: ${r.detail}`);
  return 0;
}

process.exitCode = main();
