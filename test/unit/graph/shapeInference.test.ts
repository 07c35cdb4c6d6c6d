import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferShapes } from '../../../src/core/graph/shapeInference';
import type { Model } from '../../../src/core/graph/ir';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { buildSmallCnn, buildTransformerBlock } from '../onnx/fixtures';

const load = (b: OnnxBuilder): Model => readOnnxModel(new BufferByteSource(b.toBytes(), 'test.onnx'));
const shapeOf = (m: Model, name: string) => m.graph.values.get(name)?.type?.shape;

test('CNN: every value gets a shape; batch binds to the option', () => {
  const m = load(buildSmallCnn());
  const r = inferShapes(m, { batch: 4 });
  assert.deepEqual([...r.boundDims], [['batch', 4]]);
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(shapeOf(m, 'conv1_out0'), [4, 16, 32, 32]);
  assert.deepEqual(shapeOf(m, 'pool1_out0'), [4, 16, 16, 16]);
  assert.deepEqual(shapeOf(m, 'conv2_out0'), [4, 32, 8, 8]);
  assert.deepEqual(shapeOf(m, 'gap_out0'), [4, 32, 1, 1]);
  assert.deepEqual(shapeOf(m, 'logits'), [4, 10]);
});

test('transformer: Shape -> Gather -> Unsqueeze -> Concat -> Reshape is propagated; sequence defaults to 128', () => {
  const m = load(buildTransformerBlock());
  const r = inferShapes(m);
  assert.equal(r.boundDims.get('batch'), 1);
  assert.equal(r.boundDims.get('sequence'), 128);
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(m.graph.values.get('shape_out0')!.knownValues, [1, 128, 32]);
  assert.deepEqual(m.graph.values.get('head_shape_out0')!.knownValues, [1, 128, 4, 8]);
  assert.deepEqual(shapeOf(m, 'q_reshape_out0'), [1, 128, 4, 8]);
  assert.deepEqual(shapeOf(m, 'scores_out0'), [1, 4, 128, 128]);
  assert.deepEqual(shapeOf(m, 'merge_heads_out0'), [1, 128, 32]);
  assert.deepEqual(shapeOf(m, 'output'), [1, 128, 32]);
  const again = load(buildTransformerBlock());
  inferShapes(again, { dims: { sequence: 7 }, batch: 2 });
  assert.deepEqual(shapeOf(again, 'scores_out0'), [2, 4, 7, 7]);
});

test('Slice with computed ends, ConstantOfShape, Range, Expand and Squeeze on shape tensors', () => {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', ['batch', 'seq', 16]);
  const [s] = b.node('Shape', [x], {}, { outputs: ['s'] });
  const [seq] = b.node('Slice', [s!, b.ints('one', [1]), b.ints('two', [2])], {}, { outputs: ['seq'] });
  const [half] = b.node('Div', [seq!, b.ints('twos', [2])], {}, { outputs: ['half'] });
  const [firstHalf] = b.node('Slice', [x, b.ints('zero', [0]), half!, b.ints('axis1', [1])], {}, { outputs: ['first_half'] });
  const [seqScalar] = b.node('Squeeze', [seq!, b.ints('ax0', [0])], {}, { outputs: ['seq_scalar'] });
  const [range] = b.node('Range', [b.scalar('r0', 0, 'int64'), seqScalar!, b.scalar('r1', 1, 'int64')], {}, { outputs: ['positions'] });
  const [ones] = b.node('ConstantOfShape', [s!], { value: { tensor: { dataType: 'float32', dims: [1], values: [1] } } }, { outputs: ['ones'] });
  const [expanded] = b.node('Expand', [b.weight('bias', [16]), s!], {}, { outputs: ['expanded'] });
  for (const o of [firstHalf!, range!, ones!, expanded!]) b.output(o);
  const m = load(b);
  const r = inferShapes(m, { dims: { seq: 10 } });
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(m.graph.values.get('half')!.knownValues, [5]);
  assert.deepEqual(shapeOf(m, 'first_half'), [1, 5, 16]);
  assert.deepEqual(shapeOf(m, 'positions'), [10]);
  assert.deepEqual(m.graph.values.get('positions')!.knownValues, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(shapeOf(m, 'ones'), [1, 10, 16]);
  assert.deepEqual(shapeOf(m, 'expanded'), [1, 10, 16]);
});

test('LSTM, GRU, Resize, TopK and a data-dependent NonMaxSuppression', () => {
  const b = new OnnxBuilder({ opset: 17 });
  const seqIn = b.input('seq', 'float32', [20, 'batch', 8]);
  b.node('LSTM', [seqIn, b.weight('W', [2, 64, 8]), b.weight('R', [2, 64, 16])], { hidden_size: 16, direction: 'bidirectional' }, { outputs: ['Y', 'Y_h', 'Y_c'] });
  b.node('GRU', [seqIn, b.weight('Wg', [1, 48, 8]), b.weight('Rg', [1, 48, 16])], { hidden_size: 16, layout: 0 }, { outputs: ['G', 'G_h'] });
  const img = b.input('img', 'float32', [1, 3, 20, 30]);
  b.node('Resize', [img, '', b.weight('scales', [4], { dataType: 'float32', dims: [4], values: [1, 1, 2, 2] })], { mode: 'nearest' }, { outputs: ['up'] });
  b.node('Resize', [img, '', '', b.ints('sizes', [1, 3, 64, 64])], {}, { outputs: ['sized'] });
  b.node('TopK', [img, b.ints('k', [5])], { axis: -1 }, { outputs: ['top_v', 'top_i'] });
  const boxes = b.input('boxes', 'float32', [1, 100, 4]);
  const scores = b.input('scores', 'float32', [1, 1, 100]);
  b.node('NonMaxSuppression', [boxes, scores], {}, { outputs: ['selected'] });
  b.node('Gather', [b.weight('table', [100, 4]), 'selected'], { axis: 0 }, { outputs: ['picked'] });
  for (const o of ['Y', 'Y_h', 'Y_c', 'G', 'up', 'sized', 'top_v', 'picked']) b.output(o);
  const m = load(b);
  const r = inferShapes(m, { batch: 3 });
  assert.deepEqual(shapeOf(m, 'Y'), [20, 2, 3, 16]);
  assert.deepEqual(shapeOf(m, 'Y_c'), [2, 3, 16]);
  assert.deepEqual(shapeOf(m, 'G_h'), [1, 3, 16]);
  assert.deepEqual(shapeOf(m, 'up'), [1, 3, 40, 60]);
  assert.deepEqual(shapeOf(m, 'sized'), [1, 3, 64, 64]);
  assert.deepEqual(shapeOf(m, 'top_i'), [1, 3, 20, 5]);
  assert.deepEqual(shapeOf(m, 'selected'), [undefined, 3]);
  const unknownNames = r.unknown.map((u) => u.value).sort();
  assert.deepEqual(unknownNames, ['picked', 'selected']);
  assert.match(r.unknown.find((u) => u.value === 'picked')!.reason, /depends on 'selected'.*data-dependent/);
});

test('quantized graphs and com.microsoft transformer ops', () => {
  const b = new OnnxBuilder({ opset: 17, opsets: { 'com.microsoft': 1 } });
  const x = b.input('x', 'float32', ['batch', 'sequence', 64]);
  b.node('DynamicQuantizeLinear', [x], {}, { outputs: ['xq', 'xs', 'xz'] });
  b.node('MatMulInteger', ['xq', b.weight('wq', [64, 32], { dataType: 'uint8', dims: [64, 32], values: new Array(2048).fill(1) }), 'xz'], {}, { outputs: ['acc'] });
  b.node('QuantizeLinear', [x, b.scalar('s', 0.1), b.scalar('z', 0, 'int8')], {}, { outputs: ['q8'] });
  b.node('DequantizeLinear', ['q8', 's', 'z'], {}, { outputs: ['dq'] });
  b.node('Attention', [x, b.weight('qkv', [64, 192]), b.weight('qkv_b', [192])], { num_heads: 4 }, { domain: 'com.microsoft', outputs: ['att'] });
  b.node('SkipLayerNormalization', ['att', x, b.weight('g', [64]), b.weight('be', [64])], { epsilon: 1e-5 }, { domain: 'com.microsoft', outputs: ['sln'] });
  b.node('MatMulNBits', ['sln', b.weight('packed', [128, 2, 16], { dataType: 'uint8', dims: [128, 2, 16], values: new Array(4096).fill(0) }), b.weight('scl', [256])],
    { K: 64, N: 128, bits: 4, block_size: 32 }, { domain: 'com.microsoft', outputs: ['nbits'] });
  b.node('BiasGelu', ['nbits', b.weight('bb', [128])], {}, { domain: 'com.microsoft', outputs: ['gelu'] });
  b.node('GroupQueryAttention', [x, b.weight('kk', [1]), b.weight('vv', [1])], { num_heads: 8, kv_num_heads: 2 }, { domain: 'com.microsoft', outputs: ['gqa'] });
  b.node('MysteryOp', [x], {}, { domain: 'vendor', outputs: ['mystery'] });
  for (const o of ['acc', 'dq', 'gelu', 'gqa', 'mystery']) b.output(o);
  const m = load(b);
  const r = inferShapes(m, { dims: { sequence: 16 } });
  assert.deepEqual(m.graph.values.get('acc')!.type, { dataType: 'int32', shape: [1, 16, 32] });
  assert.deepEqual(m.graph.values.get('q8')!.type, { dataType: 'int8', shape: [1, 16, 64] });
  assert.deepEqual(m.graph.values.get('dq')!.type, { dataType: 'float32', shape: [1, 16, 64] });
  assert.deepEqual(shapeOf(m, 'att'), [1, 16, 64]);
  assert.deepEqual(shapeOf(m, 'gelu'), [1, 16, 128]);
  assert.deepEqual(shapeOf(m, 'gqa'), [1, 16, 64]);
  assert.deepEqual(r.unknown, [{ value: 'mystery', reason: 'operator vendor:MysteryOp (opset 1) is not covered by shape inference' }]);
});

test('If and Loop subgraphs and model-local functions are inferred', () => {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', ['batch', 8]);
  const cond = b.input('cond', 'bool', []);
  const thenG = b.subgraph('then');
  thenG.node('MatMul', [x, b.weight('wt', [8, 4])], {}, { outputs: ['t'] });
  thenG.output('t');
  const elseG = b.subgraph('else');
  elseG.node('MatMul', [x, b.weight('we', [8, 4])], {}, { outputs: ['e'] });
  elseG.output('e');
  b.node('If', [cond], { then_branch: thenG, else_branch: elseG }, { outputs: ['branch'] });
  const body = b.subgraph('body');
  body.input('i', 'int64', []);
  body.input('c', 'bool', []);
  body.input('acc', 'float32');
  body.node('Identity', ['c'], {}, { outputs: ['c_out'] });
  body.node('Relu', ['acc'], {}, { outputs: ['acc_out'] });
  body.node('Identity', ['acc'], {}, { outputs: ['scan_out'] });
  body.output('c_out'); body.output('acc_out'); body.output('scan_out');
  b.node('Loop', [b.scalar('trips', 3, 'int64'), '', 'branch'], { body }, { outputs: ['final', 'stacked'] });
  b.addFunction({ domain: 'local', name: 'Double', inputs: ['a'], outputs: ['d'] }, (g) => { g.node('Add', ['a', 'a'], {}, { outputs: ['d'] }); });
  b.node('Double', ['final'], {}, { domain: 'local', outputs: ['doubled'] });
  b.output('stacked'); b.output('doubled');
  const m = load(b);
  const r = inferShapes(m, { batch: 2 });
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(shapeOf(m, 'branch'), [2, 4]);
  assert.deepEqual(shapeOf(m, 'final'), [2, 4]);
  assert.deepEqual(shapeOf(m, 'stacked'), [3, 2, 4]);
  assert.deepEqual(shapeOf(m, 'doubled'), [2, 4]);
});

test('a Reshape whose target comes from a graph input stays unknown with a reason', () => {
  const b = new OnnxBuilder();
  const x = b.input('x', 'float32', [2, 6]);
  const target = b.input('target', 'int64', [3]);
  b.node('Reshape', [x, target], {}, { outputs: ['y'] });
  b.node('Relu', ['y'], {}, { outputs: ['z'] });
  b.output('z');
  const m = load(b);
  const r = inferShapes(m);
  assert.deepEqual(shapeOf(m, 'y'), [undefined, undefined, undefined]);
  assert.equal(r.unknown.length, 2);
  assert.match(r.unknown[0]!.reason, /Reshape/);
});

test('a recursive model-local function is reported, not expanded forever', () => {
  const b = new OnnxBuilder();
  b.input('x', 'float32', [2]);
  b.addFunction({ domain: 'evil', name: 'Loopy', inputs: ['a'], outputs: ['b'] }, (g) => {
    g.node('Loopy', ['a'], {}, { domain: 'evil', outputs: ['t'] });
    g.node('Loopy', ['t'], {}, { domain: 'evil', outputs: ['b'] });
  });
  b.node('Loopy', ['x'], {}, { domain: 'evil', outputs: ['y'] });
  b.output('y');
  const m = load(b);
  const r = inferShapes(m);
  assert.equal(r.unknown.length, 1);
  assert.match(r.unknown[0]!.reason, /calls itself/);
});

test('inferring again with other dims starts from the file\'s types, not the last result', () => {
  const m = load(buildTransformerBlock());
  inferShapes(m, { batch: 2, dims: { sequence: 7 } });
  assert.deepEqual(shapeOf(m, 'scores_out0'), [2, 4, 7, 7]);
  const r = inferShapes(m, { batch: 3, dims: { sequence: 5 } });
  assert.deepEqual([...r.boundDims], [['batch', 3], ['sequence', 5]]);
  assert.deepEqual(shapeOf(m, 'scores_out0'), [3, 4, 5, 5]);
  assert.deepEqual(m.graph.values.get('head_shape_out0')!.knownValues, [3, 5, 4, 8]);
  assert.deepEqual(shapeOf(m, 'hidden_states'), [3, 5, 32]);
});
