import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { buildSmallCnn, buildTransformerBlock } from './fixtures';
import { runWithOrt, seededInput } from './ortHelper';

test('onnxruntime runs the built CNN with a symbolic batch', async () => {
  const bytes = buildSmallCnn().toBytes();
  const out = await runWithOrt(bytes, { input: { data: seededInput(2 * 3 * 32 * 32), dims: [2, 3, 32, 32] } });
  assert.deepEqual(out['logits']!.dims, [2, 10]);
  assert.ok(out['logits']!.data.every(Number.isFinite));
});

test('onnxruntime runs the built transformer block (Shape-computed Reshape, Softmax, LayerNormalization)', async () => {
  const bytes = buildTransformerBlock().toBytes();
  const out = await runWithOrt(bytes, { hidden_states: { data: seededInput(2 * 5 * 32), dims: [2, 5, 32] } });
  assert.deepEqual(out['output']!.dims, [2, 5, 32]);
  assert.ok(out['output']!.data.every(Number.isFinite));
});

test('weights are deterministic for a seed and differ between seeds', () => {
  const a = buildSmallCnn().toBytes();
  const b = buildSmallCnn().toBytes();
  assert.deepEqual(a, b);
  const c = new OnnxBuilder({ seed: 2 });
  const d = new OnnxBuilder({ seed: 3 });
  c.weight('w', [4, 4]);
  d.weight('w', [4, 4]);
  assert.notDeepEqual(c.toBytes(), d.toBytes());
});

test('external data: ORT loads the model from disk with weights beside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-builder-'));
  try {
    const file = path.join(dir, 'cnn.onnx');
    buildSmallCnn().save(file, { externalData: { threshold: 128 } });
    assert.ok(fs.existsSync(`${file}.data`));
    assert.ok(fs.statSync(`${file}.data`).size > 16 * 3 * 3 * 3 * 4);
    const input = { input: { data: seededInput(3 * 32 * 32), dims: [1, 3, 32, 32] } };
    const fromDisk = await runWithOrt(file, input);
    const inMemory = await runWithOrt(buildSmallCnn().toBytes(), input);
    assert.deepEqual(fromDisk['logits']!.data, inMemory['logits']!.data);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('If subgraphs, com.microsoft ops, typed-field weights and float attributes load in ORT', async () => {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', [2, 4]);
  const w = b.weight('w', [4, 4], { encoding: 'typed' });
  const [mm] = b.node('MatMul', [x, w]);
  const [g] = b.node('Gelu', [mm!], {}, { domain: 'com.microsoft' });
  const [sum] = b.node('ReduceSum', [g!], { keepdims: 0 });
  const [cond] = b.node('Greater', [sum!, b.scalar('zero', 0)]);
  const thenBranch = b.subgraph('then');
  thenBranch.node('LeakyRelu', [g!], { alpha: 0.5 }, { outputs: ['then_out'] });
  thenBranch.output('then_out', 'float32', [2, 4]);
  const elseBranch = b.subgraph('else');
  elseBranch.node('Neg', [g!], {}, { outputs: ['else_out'] });
  elseBranch.output('else_out', 'float32', [2, 4]);
  const [y] = b.node('If', [cond!], { then_branch: thenBranch, else_branch: elseBranch }, { outputs: ['y'] });
  b.output(y!, 'float32', [2, 4]);
  const out = await runWithOrt(b.toBytes(), { x: { data: seededInput(8), dims: [2, 4] } });
  assert.deepEqual(out['y']!.dims, [2, 4]);
});
