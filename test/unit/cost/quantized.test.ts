import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { IrGraph, layerNamed } from './irFixture';

describe('quantized operators', () => {
  it('QLinearConv costs at int8 with requantization work', () => {
    const g = new IrGraph();
    g.input('x', 'uint8', [1, 8, 16, 16]);
    g.weight('xs', []);
    g.weight('xz', [], 'uint8');
    g.weight('w', [4, 8, 3, 3], 'int8');
    g.weight('ws', []);
    g.weight('wz', [], 'int8');
    g.weight('ys', []);
    g.weight('yz', [], 'uint8');
    g.node('QLinearConv', ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], [['y', 'uint8', [1, 4, 14, 14]]], {}, { name: 'qc' });
    const l = layerNamed(costGraph(g.model()).layers, 'qc');
    assert.equal(l.macs, 4 * 14 * 14 * 8 * 9);
    assert.equal(l.precision, 'int8');
    assert.equal(l.bytes.inputs, 8 * 16 * 16);
    assert.equal(l.bytes.outputs, 4 * 14 * 14);
  });

  it('MatMulInteger and DynamicQuantizeLinear', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [4, 32]);
    g.node('DynamicQuantizeLinear', ['x'], [['xq', 'uint8', [4, 32]], ['s', 'float32', []], ['z', 'uint8', []]], {}, { name: 'dq' });
    g.weight('w', [32, 16], 'int8');
    g.node('MatMulInteger', ['xq', 'w', 'z'], [['acc', 'int32', [4, 16]]], {}, { name: 'mmi' });
    const { layers } = costGraph(g.model());
    assert.equal(layerNamed(layers, 'mmi').macs, 4 * 32 * 16);
    assert.equal(layerNamed(layers, 'mmi').precision, 'int8');
    assert.equal(layerNamed(layers, 'dq').flops.transcendental, 4 * 32);
    assert.equal(layerNamed(layers, 'dq').precision, 'fp32');
  });

  it('QDQ: a Conv fed by DequantizeLinear of int8 costs at int8 and reads int8 bytes', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 8, 16, 16]);
    g.weight('s', []);
    g.weight('zp', [], 'int8');
    g.node('QuantizeLinear', ['x', 's', 'zp'], [['xq', 'int8', [1, 8, 16, 16]]], {}, { name: 'q' });
    g.node('DequantizeLinear', ['xq', 's', 'zp'], [['xdq', 'float32', [1, 8, 16, 16]]], {}, { name: 'dqx' });
    g.weight('wq', [4, 8, 3, 3], 'int8');
    g.node('DequantizeLinear', ['wq', 's', 'zp'], [['wdq', 'float32', [4, 8, 3, 3]]], {}, { name: 'dqw' });
    g.node('Conv', ['xdq', 'wdq'], [['y', 'float32', [1, 4, 14, 14]]], {}, { name: 'conv' });
    const { layers } = costGraph(g.model());
    const conv = layerNamed(layers, 'conv');
    assert.equal(conv.precision, 'int8');
    assert.equal(conv.macs, 4 * 14 * 14 * 8 * 9);
    assert.equal(conv.bytes.weights, 4 * 8 * 9, 'int8 weights, 1 byte each');
    assert.equal(conv.bytes.inputs, 8 * 16 * 16, 'int8 activations');
    assert.equal(conv.params, 4 * 8 * 9);
    assert.match(conv.note ?? '', /QDQ/);
    const dqw = layerNamed(layers, 'dqw');
    assert.deepEqual(dqw.bytes, { weights: 0, inputs: 0, outputs: 0 });
    assert.equal(dqw.flops.elementwise, 0);
    // The activation quantizer is real work: x/scale, round, +zp, clip per element.
    assert.equal(layerNamed(layers, 'q').flops.elementwise, 3 * 8 * 16 * 16);
  });

  it('a DequantizeLinear feeding a non-compute op is costed as elementwise work', () => {
    const g = new IrGraph();
    g.input('xq', 'int8', [10]);
    g.weight('s', []);
    g.node('DequantizeLinear', ['xq', 's'], [['x', 'float32', [10]]], {}, { name: 'dq' });
    g.node('Relu', ['x'], [['y', 'float32', [10]]], {}, { name: 'relu' });
    const dq = layerNamed(costGraph(g.model()).layers, 'dq');
    assert.equal(dq.flops.elementwise, 20);
    assert.equal(dq.bytes.outputs, 40);
  });
});
