import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferShapes } from '../../../src/core/graph/shapeInference';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { runWithOrt, seededInput } from '../onnx/ortHelper';

/** Many standard operators with attribute variants, on one NCHW input. */
function buildZoo(exposeAll: boolean): OnnxBuilder {
  const b = new OnnxBuilder({ opset: 18 });
  const x = b.input('x', 'float32', ['batch', 4, 9, 9]);
  const w = b.weight('w', [6, 4, 3, 3]);
  b.node('Conv', [x, w], { auto_pad: 'SAME_UPPER', strides: [2, 2] }, { outputs: ['conv_same'] });
  b.node('Conv', [x, b.weight('wg', [8, 2, 3, 3])], { group: 2, dilations: [2, 2], pads: [1, 0, 1, 0] }, { outputs: ['conv_group'] });
  b.node('ConvTranspose', [x, b.weight('wt', [4, 3, 3, 3])], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, { outputs: ['deconv'] });
  b.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, { outputs: ['avg_ceil'] });
  b.node('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, { outputs: ['max_pad'] });
  b.node('Flatten', [x], { axis: 2 }, { outputs: ['flat'] });
  b.node('Transpose', [x], { perm: [0, 2, 3, 1] }, { outputs: ['nhwc'] });
  b.node('Split', [x], { axis: 2, num_outputs: 2 }, { outputs: ['split_a', 'split_b'] });
  b.node('Split', [x, b.ints('split_sizes', [1, 3])], { axis: 1 }, { outputs: ['split_c', 'split_d'] });
  b.node('Pad', [x, b.ints('pads', [0, 0, 1, 2, 0, 0, 3, 4])], { mode: 'constant' }, { outputs: ['padded'] });
  b.node('Tile', [x, b.ints('reps', [1, 2, 1, 3])], {}, { outputs: ['tiled'] });
  b.node('ReduceMean', [x, b.ints('raxes', [2, 3])], { keepdims: 0 }, { outputs: ['reduced'] });
  b.node('ReduceSum', [x], { keepdims: 1 }, { outputs: ['reduced_all'] });
  b.node('ArgMax', [x], { axis: 1, keepdims: 0 }, { outputs: ['argmax'] });
  b.node('Slice', [x, b.ints('st', [1, -5]), b.ints('en', [1000, -1]), b.ints('ax', [2, 3]), b.ints('sp', [2, 1])], {}, { outputs: ['sliced'] });
  b.node('Slice', [x, b.ints('rst', [-1]), b.ints('ren', [-1000]), b.ints('rax', [1]), b.ints('rsp', [-2])], {}, { outputs: ['reversed'] });
  b.node('Einsum', ['nhwc', b.weight('proj', [4, 5])], { equation: 'bhwc,cd->bdhw' }, { outputs: ['einsum'] });
  b.node('DepthToSpace', ['padded'], { blocksize: 2 }, { outputs: ['d2s'] });
  b.node('SpaceToDepth', ['tiled'], { blocksize: 3 }, { outputs: ['s2d'] });
  b.node('GlobalMaxPool', [x], {}, { outputs: ['gmp'] });
  b.node('Unsqueeze', ['reduced', b.ints('uax', [-1, 1])], {}, { outputs: ['unsq'] });
  b.node('Squeeze', ['gmp', b.ints('sax', [2, 3])], {}, { outputs: ['sq'] });
  b.node('Gemm', ['sq', b.weight('gw', [4, 7])], { alpha: 0.5 }, { outputs: ['gemm'] });
  b.node('MatMul', ['nhwc', b.weight('mw', [4])], {}, { outputs: ['matvec'] });
  b.node('GatherElements', [x, b.weight('gidx', [2, 4, 9, 1], { dataType: 'int64', dims: [2, 4, 9, 1], values: new Array(72).fill(1) })], { axis: 3 }, { outputs: ['gathered_el'] });
  b.node('InstanceNormalization', [x, b.weight('isc', [4]), b.weight('ibi', [4])], {}, { outputs: ['inorm'] });
  b.node('Resize', [x, '', b.weight('rscales', [4], { dataType: 'float32', dims: [4], values: [1, 1, 1.5, 0.5] })], { mode: 'linear' }, { outputs: ['resized'] });
  b.node('Where', [b.weight('mask', [9], { dataType: 'bool', dims: [9], values: [1, 0, 1, 0, 1, 0, 1, 0, 1] }), x, b.scalar('zero', 0)], {}, { outputs: ['where'] });
  b.node('CumSum', [x, b.scalar('cax', 3, 'int64')], {}, { outputs: ['cumsum'] });
  b.node('TopK', ['flat', b.ints('k', [4])], { axis: 1 }, { outputs: ['topv', 'topi'] });
  b.node('Shape', [x], { start: 1, end: -1 }, { outputs: ['mid_shape'] });
  b.node('ReduceProd', ['mid_shape'], { keepdims: 1 }, { outputs: ['mid_prod'] });
  b.node('Concat', [b.ints('neg1', [-1]), 'mid_prod'], { axis: 0 }, { outputs: ['flat_target'] });
  b.node('Reshape', [x, 'flat_target'], {}, { outputs: ['reshaped'] });
  b.node('ConstantOfShape', ['mid_shape'], {}, { outputs: ['zeros'] });
  b.node('Expand', [b.weight('ew', [9, 1]), b.ints('eshape', [2, 1, 1, 5])], {}, { outputs: ['expanded'] });
  b.node('LSTM', ['matvec', b.weight('lw', [1, 12, 9]), b.weight('lr', [1, 12, 3])], { hidden_size: 3 }, { outputs: ['lstm_y', 'lstm_h'] });
  const declared = new Set(['conv_same']);
  b.output('conv_same');
  if (exposeAll) {
    for (const name of ['conv_group', 'deconv', 'avg_ceil', 'max_pad', 'flat', 'nhwc', 'split_a', 'split_b', 'split_c', 'split_d', 'padded', 'tiled',
      'reduced', 'reduced_all', 'argmax', 'sliced', 'reversed', 'einsum', 'd2s', 's2d', 'gmp', 'unsq', 'sq', 'gemm', 'matvec', 'gathered_el', 'inorm',
      'resized', 'where', 'cumsum', 'topv', 'topi', 'mid_shape', 'mid_prod', 'flat_target', 'reshaped', 'zeros', 'expanded', 'lstm_y', 'lstm_h']) {
      if (!declared.has(name)) b.output(name);
    }
  }
  return b;
}

test('shape rules agree with onnxruntime on an operator zoo (attribute variants, opset 18)', async () => {
  const model = readOnnxModel(new BufferByteSource(buildZoo(false).toBytes()));
  const { unknown } = inferShapes(model, { batch: 2 });
  assert.deepEqual(unknown, []);
  const results = await runWithOrt(buildZoo(true).toBytes(), { x: { data: seededInput(2 * 4 * 81), dims: [2, 4, 9, 9] } });
  let compared = 0;
  for (const [name, tensor] of Object.entries(results)) {
    assert.deepEqual(model.graph.values.get(name)?.type?.shape, [...tensor.dims], `shape of ${name}`);
    compared++;
  }
  assert.equal(compared, 41);
  assert.deepEqual(model.graph.values.get('flat_target')!.knownValues, [-1, 36]);
});

/** Quantized operators, recurrent layers and com.microsoft transformer fusions onnxruntime runs on CPU. */
function buildQuantizedAndContrib(exposeAll: boolean): OnnxBuilder {
  const b = new OnnxBuilder({ opset: 17, opsets: { 'com.microsoft': 1 } });
  const x = b.input('x', 'float32', ['batch', 'sequence', 16]);
  const u8 = (name: string, dims: number[]): string => b.weight(name, dims, { dataType: 'uint8', dims, values: Array.from({ length: dims.reduce((p, q) => p * q, 1) }, (_, i) => (i * 7) % 256) });
  b.node('DynamicQuantizeLinear', [x], {}, { outputs: ['xq', 'xs', 'xz'] });
  b.node('MatMulInteger', ['xq', u8('wq', [16, 8]), 'xz'], {}, { outputs: ['mmi'] });
  b.node('QuantizeLinear', [x, b.scalar('qs', 0.05), b.scalar('qz', 128, 'uint8')], {}, { outputs: ['q'] });
  b.node('QLinearMatMul', ['q', 'qs', 'qz', u8('wq2', [16, 4]), b.scalar('ws', 0.02), b.scalar('wz', 128, 'uint8'), b.scalar('ys', 0.1), b.scalar('yz', 128, 'uint8')], {}, { outputs: ['qmm'] });
  b.node('DequantizeLinear', ['qmm', 'ys', 'yz'], {}, { outputs: ['dq'] });
  b.node('Reshape', ['q', b.ints('img_shape', [-1, 4, 2, 2])], {}, { outputs: ['qimg'] });
  b.node('QLinearConv', ['qimg', 'qs', 'qz', u8('cw', [3, 4, 1, 1]), b.scalar('cs', 0.02), b.scalar('cz', 128, 'uint8'), 'ys', 'yz'], { kernel_shape: [1, 1] }, { outputs: ['qconv'] });
  b.node('ConvInteger', ['qimg', u8('ciw', [5, 4, 2, 2]), 'qz'], {}, { outputs: ['convint'] });
  b.node('QLinearAdd', ['q', 'qs', 'qz', 'q', 'qs', 'qz', 'ys', 'yz'], {}, { domain: 'com.microsoft', outputs: ['qadd'] });
  b.node('Transpose', [x], { perm: [1, 0, 2] }, { outputs: ['seq_first'] });
  b.node('GRU', ['seq_first', b.weight('gw', [2, 24, 16]), b.weight('gr', [2, 24, 8])], { hidden_size: 8, direction: 'bidirectional' }, { outputs: ['gru_y', 'gru_h'] });
  b.node('RNN', ['seq_first', b.weight('rw', [1, 6, 16]), b.weight('rr', [1, 6, 6])], { hidden_size: 6 }, { outputs: ['rnn_y', 'rnn_h'] });
  b.node('Attention', [x, b.weight('qkv', [16, 48]), b.weight('qkv_b', [48])], { num_heads: 2 }, { domain: 'com.microsoft', outputs: ['attn'] });
  b.node('SkipLayerNormalization', ['attn', x, b.weight('slg', [16]), b.weight('slb', [16])], { epsilon: 1e-5 }, { domain: 'com.microsoft', outputs: ['sln'] });
  b.node('FastGelu', ['sln', b.weight('fgb', [16])], {}, { domain: 'com.microsoft', outputs: ['fgelu'] });
  b.node('BiasGelu', ['sln', b.weight('bgb', [16])], {}, { domain: 'com.microsoft', outputs: ['bgelu'] });
  b.node('FusedMatMul', ['sln', b.weight('fmw', [8, 16])], { transB: 1, alpha: 1.0 }, { domain: 'com.microsoft', outputs: ['fmm'] });
  b.node('MatMulNBits', ['sln', u8('nb', [32, 1, 8]), b.weight('nbs', [32])], { K: 16, N: 32, bits: 4, block_size: 16 }, { domain: 'com.microsoft', outputs: ['nbits'] });
  b.node('MultiHeadAttention', ['sln', 'sln', 'sln'], { num_heads: 4 }, { domain: 'com.microsoft', outputs: ['mha'] });
  b.output('dq');
  if (exposeAll) {
    for (const name of ['xq', 'xs', 'xz', 'mmi', 'q', 'qmm', 'qimg', 'qconv', 'convint', 'qadd', 'gru_y', 'gru_h', 'rnn_y', 'rnn_h', 'attn', 'sln', 'fgelu', 'bgelu', 'fmm', 'nbits', 'mha']) b.output(name);
  }
  return b;
}

test('quantized, recurrent and com.microsoft shapes agree with onnxruntime', async () => {
  const model = readOnnxModel(new BufferByteSource(buildQuantizedAndContrib(false).toBytes()));
  const { unknown } = inferShapes(model, { batch: 2, dims: { sequence: 4 } });
  assert.deepEqual(unknown, []);
  const results = await runWithOrt(buildQuantizedAndContrib(true).toBytes(), { x: { data: seededInput(2 * 4 * 16), dims: [2, 4, 16] } });
  let compared = 0;
  for (const [name, tensor] of Object.entries(results)) {
    assert.deepEqual(model.graph.values.get(name)?.type?.shape, [...tensor.dims], `shape of ${name}`);
    compared++;
  }
  assert.equal(compared, 22);
});

test('ai.onnx Attention (opset 23) shapes agree with onnxruntime, 3-D and 4-D forms', async () => {
  const build = (): OnnxBuilder => {
    const b = new OnnxBuilder({ opset: 23 });
    const x = b.input('x', 'float32', ['batch', 'sequence', 16]);
    const kv = b.input('kv', 'float32', ['batch', 'memory', 8]);
    b.node('Attention', [x, kv, kv], { q_num_heads: 4, kv_num_heads: 2 }, { outputs: ['y3', 'pk3', 'pv3'] });
    b.node('Reshape', [x, b.ints('heads', [0, 0, 2, 8])], {}, { outputs: ['xh'] });
    b.node('Transpose', ['xh'], { perm: [0, 2, 1, 3] }, { outputs: ['q4'] });
    b.node('Attention', ['q4', 'q4', 'q4'], {}, { outputs: ['y4'] });
    for (const o of ['y3', 'pk3', 'pv3', 'y4']) b.output(o);
    return b;
  };
  const model = readOnnxModel(new BufferByteSource(build().toBytes()));
  assert.deepEqual(inferShapes(model, { batch: 2, dims: { sequence: 5, memory: 7 } }).unknown, []);
  const results = await runWithOrt(build().toBytes(), {
    x: { data: seededInput(2 * 5 * 16), dims: [2, 5, 16] }, kv: { data: seededInput(2 * 7 * 8), dims: [2, 7, 8] },
  });
  for (const [name, tensor] of Object.entries(results)) assert.deepEqual(model.graph.values.get(name)?.type?.shape, [...tensor.dims], `shape of ${name}`);
  assert.equal(Object.keys(results).length, 4);
});
