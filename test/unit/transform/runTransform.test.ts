/** The public entry in a real child process (the compiled worker), its bad-input paths and cancellation. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, ModelFormatError } from '../../../src/core/errors';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { runTransform } from '../../../src/core/transform/runTransform';
import { TransformError } from '../../../src/core/transform/transformError';
import type { TransformProgress } from '../../../src/core/transform/types';
import { buildMlpBlock, tempDir } from './fixtures';

const workerPath = path.join(__dirname, '../../../src/core/transform/worker.js');
const options = { workerPath };
const quick = { samples: 2, latencyRuns: 2 };
let dir: string;
let mlp: string;

before(() => {
  dir = tempDir();
  mlp = buildMlpBlock(path.join(dir, 'mlp.onnx'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const leftovers = (folder: string): string[] => fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'));
const isTransformError = (code: string) => (e: unknown): boolean => e instanceof TransformError && e.code === code;

test('runs in a child process, reports progress, writes the verified file', async () => {
  const steps: TransformProgress[] = [];
  const r = await runTransform({ model: mlp, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0, verification: quick }, (p) => steps.push(p), undefined, options);
  assert.ok(fs.existsSync(r.output));
  assert.ok(r.verification.cosine >= 0.99);
  assert.deepEqual([...new Set(steps.map((s) => s.step))], ['read', 'rewrite', 'write', 'verify', 'done']);
  assert.equal(steps.at(-1)!.fraction, 1);
});

test('cancellation stops the worker and leaves nothing behind', async () => {
  const folder = fs.mkdtempSync(path.join(dir, 'cancel-'));
  const model = buildMlpBlock(path.join(folder, 'm.onnx'));
  const signal = { cancelled: false };
  const job = runTransform({ model, transform: { op: 'quantize', mode: 'int4' }, minElements: 0, sensitivity: { maxDrift: 0.5 }, verification: quick },
    (p) => { if (p.step === 'sensitivity' || p.step === 'rewrite') signal.cancelled = true; }, signal, options);
  await assert.rejects(job, (e: unknown) => {
    assert.ok(e instanceof CancelledError, `expected CancelledError, got ${String(e)}`);
    return true;
  });
  assert.deepEqual(fs.readdirSync(folder), ['m.onnx']);
});

test('an already cancelled signal starts nothing', async () => {
  await assert.rejects(runTransform({ model: mlp, transform: { op: 'quantize', mode: 'fp16' } }, undefined, { cancelled: true }, options), CancelledError);
});

test('bad requests fail before a process starts', async () => {
  await assert.rejects(runTransform({ model: mlp, transform: { op: 'prune', mode: 'structured', ratio: 1.5 } }, undefined, undefined, options), isTransformError('bad-request'));
  await assert.rejects(runTransform({ model: mlp, transform: { op: 'quantize', mode: 'int3' as never } }, undefined, undefined, options), isTransformError('bad-request'));
  await assert.rejects(runTransform({ model: path.join(dir, 'missing.onnx'), transform: { op: 'quantize', mode: 'fp16' } }, undefined, undefined, options), isTransformError('bad-request'));
});

test('an unwritable output folder is refused', async () => {
  const notAFolder = path.join(dir, 'plain-file');
  fs.writeFileSync(notAFolder, 'x');
  await assert.rejects(runTransform({ model: mlp, out: path.join(notAFolder, 'out.onnx'), transform: { op: 'quantize', mode: 'fp16' } }, undefined, undefined, options), isTransformError('output'));
  if (process.platform === 'linux' && fs.existsSync('/proc/self')) {
    // /proc refuses new files even for root, so this exercises the write itself, not just the check.
    await assert.rejects(runTransform({ model: mlp, out: '/proc/joule-test.onnx', transform: { op: 'quantize', mode: 'fp16' }, verification: quick }, undefined, undefined, options),
      (e: unknown) => e instanceof TransformError && e.code === 'output');
  }
});

test('missing external weights fail loudly with missing-weights, nothing written', async () => {
  const folder = fs.mkdtempSync(path.join(dir, 'external-'));
  const b = new OnnxBuilder({ opset: 17 });
  b.input('x', 'float32', [1, 64]);
  b.weight('w', [64, 64]);
  const [y] = b.node('MatMul', ['x', 'w'], {}, { name: 'mm' });
  b.output(y!);
  const model = path.join(folder, 'ext.onnx');
  b.save(model, { externalData: true });
  fs.rmSync(`${model}.data`);
  await assert.rejects(runTransform({ model, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0, verification: quick }, undefined, undefined, options),
    (e: unknown) => e instanceof TransformError ? e.code === 'missing-weights' : e instanceof ModelFormatError);
  assert.deepEqual(fs.readdirSync(folder), ['ext.onnx']);
});

test('an unsupported graph: computed weights give nothing-to-do with the reason; opset 9 cannot take int8', async () => {
  const folder = fs.mkdtempSync(path.join(dir, 'unsupported-'));
  const b = new OnnxBuilder({ opset: 17 });
  b.input('a', 'float32', [2, 8]);
  b.input('b', 'float32', [8, 4]);
  const [y] = b.node('MatMul', ['a', 'b'], {}, { name: 'mm' });
  b.output(y!);
  const model = path.join(folder, 'computed.onnx');
  b.save(model);
  await assert.rejects(runTransform({ model, transform: { op: 'quantize', mode: 'int8-dynamic' }, verification: quick }, undefined, undefined, options),
    (e: unknown) => e instanceof TransformError && e.code === 'nothing-to-do' && /computed at run time/.test(e.message));

  const old = new OnnxBuilder({ opset: 9 });
  old.input('x', 'float32', [1, 64]);
  old.weight('w', [64, 64]);
  old.output(old.node('MatMul', ['x', 'w'], {}, { name: 'mm' })[0]!);
  const oldModel = path.join(folder, 'opset9.onnx');
  old.save(oldModel);
  await assert.rejects(runTransform({ model: oldModel, transform: { op: 'quantize', mode: 'int8-static' }, minElements: 0, verification: quick }, undefined, undefined, options),
    (e: unknown) => e instanceof TransformError && e.code === 'unsupported-model' && /opset 10/.test(e.message));
  assert.deepEqual(leftovers(folder), []);
});

test('models with subgraphs: the main graph is rewritten, values read by branches are never pruned', async () => {
  const folder = fs.mkdtempSync(path.join(dir, 'if-'));
  const g = new OnnxBuilder({ opset: 17 });
  g.input('x', 'float32', [1, 64]);
  g.input('flag', 'bool', []);
  g.weight('w', [64, 64]);
  const [m] = g.node('MatMul', ['x', 'w'], {}, { name: 'mm' });
  const thenBranch = g.subgraph('then');
  thenBranch.node('Identity', [m!], {}, { outputs: ['t'] });
  thenBranch.output('t', 'float32', [1, 64]);
  const elseBranch = g.subgraph('else');
  elseBranch.node('Neg', [m!], {}, { outputs: ['e'] });
  elseBranch.output('e', 'float32', [1, 64]);
  const [out] = g.node('If', ['flag'], { then_branch: thenBranch, else_branch: elseBranch }, { name: 'branch' });
  g.output(out!, 'float32', [1, 64]);
  const withIf = path.join(folder, 'if.onnx');
  g.save(withIf);
  const q = await runTransform({ model: withIf, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0, verification: quick }, undefined, undefined, options);
  assert.ok(q.verification.cosine >= 0.99);
  await assert.rejects(runTransform({ model: withIf, transform: { op: 'prune', mode: 'structured', ratio: 0.5 }, verification: quick }, undefined, undefined, options),
    (e: unknown) => e instanceof TransformError && e.code === 'nothing-to-do' && /subgraph/.test(e.message));
});

test('a file that is not ONNX is a ModelFormatError', async () => {
  const junk = path.join(dir, 'junk.onnx');
  fs.writeFileSync(junk, 'this is not a model');
  await assert.rejects(runTransform({ model: junk, transform: { op: 'quantize', mode: 'fp16' } }, undefined, undefined, options), (e: unknown) => e instanceof ModelFormatError);
});

test('only: a per-layer action transforms that layer and leaves every other one unchanged', async () => {
  const folder = fs.mkdtempSync(path.join(dir, 'only-'));
  const model = buildMlpBlock(path.join(folder, 'm.onnx'));
  const r = await runTransform({ model, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0, only: ['fc2'], verification: quick }, undefined, undefined, options);
  const transformed = r.decisions.filter((d) => d.action === 'transformed').map((d) => d.node);
  assert.deepEqual(transformed, ['fc2']);
  assert.ok(r.decisions.some((d) => d.node === 'fc1' && d.action === 'skipped'), JSON.stringify(r.decisions));
  await assert.rejects(
    runTransform({ model, transform: { op: 'quantize', mode: 'int8-dynamic' }, only: ['fc9'], verification: quick }, undefined, undefined, options),
    (e: unknown) => isTransformError('bad-request')(e) && /no node named "fc9"/.test((e as Error).message),
  );
});
