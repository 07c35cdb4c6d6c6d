import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { coveredOps } from '../../../src/core/cost/registry';
import { IrGraph, layerNamed } from './irFixture';

describe('elementwise, normalization, pooling', () => {
  it('counts per output element (broadcast Add, Gelu forms, Sum of three)', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [2, 10]);
    g.weight('b', [10]);
    g.node('Add', ['x', 'b'], [['a', 'float32', [2, 10]]], {}, { name: 'add' });
    g.node('Gelu', ['a'], [['ge', 'float32', [2, 10]]], {}, { name: 'gelu' });
    g.node('Gelu', ['a'], [['gt', 'float32', [2, 10]]], { approximate: 'tanh' }, { name: 'gelu_tanh' });
    g.node('Sum', ['a', 'ge', 'gt'], [['s', 'float32', [2, 10]]], {}, { name: 'sum' });
    g.node('Div', ['s', 'a'], [['d', 'float32', [2, 10]]], {}, { name: 'div' });
    g.input('mask', 'bool', [2, 10]);
    g.node('Where', ['mask', 'd', 'a'], [['w', 'float32', [2, 10]]], {}, { name: 'where' });
    const { layers } = costGraph(g.model());
    assert.equal(layerNamed(layers, 'add').flops.elementwise, 20);
    assert.equal(layerNamed(layers, 'add').bytes.weights, 40);
    assert.deepEqual(layerNamed(layers, 'gelu').flops, { mac: 0, elementwise: 80, transcendental: 20 });
    assert.equal(layerNamed(layers, 'gelu_tanh').flops.elementwise, 160);
    assert.equal(layerNamed(layers, 'sum').flops.elementwise, 40);
    assert.equal(layerNamed(layers, 'div').flops.transcendental, 20);
    assert.equal(layerNamed(layers, 'where').precision, 'fp32', 'computes on the float operands, not the bool condition');
  });

  it('com.microsoft fused activations and norms', () => {
    const g = new IrGraph();
    g.input('x', 'float16', [1, 4, 8]);
    g.input('skip', 'float16', [1, 4, 8]);
    g.weight('gamma', [8], 'float16');
    g.weight('beta', [8], 'float16');
    g.weight('bias', [8], 'float16');
    g.node('SkipLayerNormalization', ['x', 'skip', 'gamma', 'beta', 'bias'], [['n', 'float16', [1, 4, 8]]], {}, { domain: 'com.microsoft', name: 'sln' });
    g.node('BiasGelu', ['n', 'bias'], [['g', 'float16', [1, 4, 8]]], {}, { domain: 'com.microsoft', name: 'bg' });
    g.node('FastGelu', ['n'], [['f', 'float16', [1, 4, 8]]], {}, { domain: 'com.microsoft', name: 'fg' });
    const { layers } = costGraph(g.model());
    const sln = layerNamed(layers, 'sln');
    assert.equal(sln.flops.elementwise, (7 + 2) * 32);
    assert.equal(sln.flops.transcendental, 2 * 4);
    assert.equal(sln.precision, 'fp16');
    assert.equal(sln.params, 24);
    assert.equal(layerNamed(layers, 'bg').flops.elementwise, 5 * 32);
    assert.equal(layerNamed(layers, 'fg').flops.elementwise, 8 * 32);
  });

  it('LayerNorm rows, Softmax, BatchNorm per channel, pooling windows, Resize', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [2, 3, 8, 8]);
    g.weight('sc', [3]);
    g.weight('bi', [3]);
    g.weight('mu', [3]);
    g.weight('va', [3]);
    g.node('BatchNormalization', ['x', 'sc', 'bi', 'mu', 'va'], [['bn', 'float32', [2, 3, 8, 8]]], {}, { name: 'bn' });
    g.node('LayerNormalization', ['bn', 'sc', 'bi'], [['ln', 'float32', [2, 3, 8, 8]]], { axis: 1 }, { name: 'ln' });
    g.node('Softmax', ['ln'], [['sm', 'float32', [2, 3, 8, 8]]], { axis: -1 }, { name: 'sm' });
    g.node('MaxPool', ['sm'], [['mp', 'float32', [2, 3, 4, 4]]], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'mp' });
    g.node('GlobalAveragePool', ['mp'], [['gap', 'float32', [2, 3, 1, 1]]], {}, { name: 'gap' });
    g.weight('scales', [4], 'float32', [1, 1, 2, 2]);
    g.node('Resize', ['sm', '', 'scales'], [['rs', 'float32', [2, 3, 16, 16]]], { mode: 'linear' }, { name: 'resize' });
    const { layers } = costGraph(g.model());
    assert.deepEqual(layerNamed(layers, 'bn').flops, { mac: 0, elementwise: 2 * 384, transcendental: 6 });
    assert.equal(layerNamed(layers, 'bn').params, 6, 'scale and bias; running stats are buffers');
    assert.equal(layerNamed(layers, 'bn').bytes.weights, 48, 'all four constants are read');
    assert.equal(layerNamed(layers, 'ln').flops.transcendental, 2 * 2, 'one row per batch item when axis = 1');
    assert.deepEqual(layerNamed(layers, 'sm').flops, { mac: 0, elementwise: 3 * 384, transcendental: 2 * 384 });
    assert.equal(layerNamed(layers, 'mp').flops.elementwise, 96 * 4);
    assert.equal(layerNamed(layers, 'gap').flops.elementwise, 96 + 6);
    const resize = layerNamed(layers, 'resize');
    assert.equal(resize.flops.elementwise, 2 * 3 * 256 * 7, 'bilinear: 4 taps → 4 mul + 3 add');
    assert.equal(resize.bytes.weights, 0, 'scales are a control input');
  });

  it('covers the op families the issue names', () => {
    const ops = coveredOps();
    for (const op of ['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Einsum', 'LSTM', 'GRU', 'RNN', 'QLinearConv', 'QLinearMatMul',
      'MatMulInteger', 'ConvInteger', 'DynamicQuantizeLinear', 'LayerNormalization', 'BatchNormalization', 'Softmax', 'Resize',
      'ReduceMean', 'If', 'Loop', 'Scan', 'Reshape', 'Transpose', 'Gather', 'Concat', 'Slice']) {
      assert.ok(ops['ai.onnx']!.includes(op), op);
    }
    for (const op of ['Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'MatMulNBits', 'FusedMatMul', 'SkipLayerNormalization',
      'BiasGelu', 'Gelu', 'FastGelu']) {
      assert.ok(ops['com.microsoft']!.includes(op), op);
    }
  });
});
