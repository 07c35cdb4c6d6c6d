/** End to end on built models with quantized ops, subgraphs and com.microsoft ops: build → read → infer → cost. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import type { Model } from '../../../src/core/graph/ir';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { layerNamed } from './irFixture';

function load(b: OnnxBuilder, options: { batch?: number; dims?: Record<string, number> } = {}): Model {
  return loadModelFromSource(new BufferByteSource(b.toBytes(), 'built.onnx'), options);
}

describe('built models end to end', () => {
  it('static QDQ conv: int8 precision, int8 bytes, fused DequantizeLinear moves nothing', () => {
    const b = new OnnxBuilder({ opset: 17 });
    const x = b.input('input', 'float32', ['batch', 8, 16, 16]);
    const scale = b.scalar('scale', 0.05);
    const zp = b.weight('zp', [], { dataType: 'int8', dims: [], values: [0] });
    const [xq] = b.node('QuantizeLinear', [x, scale, zp], {}, { name: 'q_input' });
    const [xdq] = b.node('DequantizeLinear', [xq!, scale, zp], {}, { name: 'dq_input' });
    const wq = b.weight('conv.weight_q', [4, 8, 3, 3], { dataType: 'int8', dims: [4, 8, 3, 3], values: new Int8Array(288).fill(3) });
    const [wdq] = b.node('DequantizeLinear', [wq, scale, zp], {}, { name: 'dq_weight' });
    const [y] = b.node('Conv', [xdq!, wdq!], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv' });
    b.output(y!, 'float32', ['batch', 4, 16, 16]);
    const { layers, unknownOps } = costGraph(load(b, { batch: 2 }));
    assert.deepEqual(unknownOps, []);
    const conv = layerNamed(layers, 'conv');
    assert.equal(conv.macs, 2 * 4 * 16 * 16 * 8 * 9);
    assert.equal(conv.precision, 'int8');
    assert.equal(conv.bytes.weights, 288);
    assert.equal(conv.bytes.inputs, 2 * 8 * 16 * 16);
    assert.equal(conv.confidence, 'exact');
    assert.deepEqual(layerNamed(layers, 'dq_weight').bytes, { weights: 0, inputs: 0, outputs: 0 });
  });

  it('If with branches of different cost and a Loop with a constant trip count', () => {
    const b = new OnnxBuilder({ opset: 17 });
    const x = b.input('x', 'float32', [1, 32]);
    const cond = b.input('cond', 'bool', []);
    const small = b.subgraph('small');
    small.output(small.node('Relu', [x], {}, { name: 'small_relu' })[0]!, 'float32', [1, 32]);
    const big = b.subgraph('big');
    big.output(big.node('MatMul', [x, b.weight('big.w', [32, 32])], {}, { name: 'big_mm' })[0]!, 'float32', [1, 32]);
    const [picked] = b.node('If', [cond], { then_branch: small, else_branch: big }, { name: 'if' });
    const body = b.subgraph('body');
    body.input('iter', 'int64', []);
    body.input('cond_in', 'bool', []);
    body.input('h', 'float32', [1, 32]);
    const [cond2] = body.node('Identity', ['cond_in'], {}, { name: 'body_cond' });
    const [h2] = body.node('MatMul', ['h', b.weight('loop.w', [32, 32])], {}, { name: 'body_mm' });
    body.output(cond2!, 'bool', []);
    body.output(h2!, 'float32', [1, 32]);
    const [looped] = b.node('Loop', [b.ints('trips', [6]), '', picked!], { body }, { name: 'loop' });
    b.output(looped!, 'float32', [1, 32]);
    const { layers } = costGraph(load(b));
    const ifLayer = layerNamed(layers, 'if');
    assert.equal(ifLayer.macs, 32 * 32);
    assert.match(ifLayer.note ?? '', /else/);
    const loop = layerNamed(layers, 'loop');
    assert.equal(loop.macs, 6 * 32 * 32, loop.note);
  });

  it('com.microsoft transformer ops: SkipLayerNormalization, Attention, BiasGelu, MatMulNBits', () => {
    const hidden = 32;
    const b = new OnnxBuilder({ opset: 17, opsets: { 'com.microsoft': 1 } });
    const x = b.input('x', 'float16', ['batch', 'sequence', hidden]);
    const w = (name: string, dims: number[]): string => b.weight(name, dims, { dataType: 'float16' });
    const [att] = b.node('Attention', [x, w('qkv.w', [hidden, 3 * hidden]), w('qkv.b', [3 * hidden])], { num_heads: 4 },
      { domain: 'com.microsoft', name: 'attention' });
    const [ln] = b.node('SkipLayerNormalization', [att!, x, w('ln.g', [hidden]), w('ln.b', [hidden])], { epsilon: 1e-5 },
      { domain: 'com.microsoft', name: 'skip_ln', outputs: 1 });
    const q4 = b.weight('fc.q4', [4 * hidden, 1, 16], { dataType: 'uint8', dims: [4 * hidden, 1, 16], values: new Uint8Array(4 * hidden * 16) });
    const [up] = b.node('MatMulNBits', [ln!, q4, w('fc.scales', [4 * hidden])], { K: hidden, N: 4 * hidden, bits: 4, block_size: 32 },
      { domain: 'com.microsoft', name: 'fc_q4' });
    const [act] = b.node('BiasGelu', [up!, w('fc.bias', [4 * hidden])], {}, { domain: 'com.microsoft', name: 'bias_gelu' });
    b.output(act!, 'float16', ['batch', 'sequence', 4 * hidden]);
    const { layers, unknownOps } = costGraph(load(b, { batch: 1, dims: { sequence: 16 } }));
    assert.deepEqual(unknownOps, []);
    const attention = layerNamed(layers, 'attention');
    assert.equal(attention.macs, 16 * hidden * 3 * hidden + 2 * 4 * 16 * 16 * 8);
    assert.equal(attention.precision, 'fp16');
    const q = layerNamed(layers, 'fc_q4');
    assert.equal(q.macs, 16 * hidden * 4 * hidden);
    assert.equal(q.precision, 'int4');
    const summary = layers.map((l) => `${l.name}:${l.confidence}${l.note ? ` (${l.note})` : ''}`);
    assert.ok(layers.every((l) => l.confidence === 'exact' || /bytes of output/.test(l.note ?? '')), summary.join('\n'));
  });
});

describe('model-local functions', () => {
  it('a call is costed from the function body', () => {
    const b = new OnnxBuilder({ opset: 17 });
    b.addFunction({ domain: 'my.fns', name: 'Swish', inputs: ['X'], outputs: ['Y'] }, (body) => {
      const [s] = body.node('Sigmoid', ['X'], {}, { name: 'fn_sigmoid' });
      body.node('Mul', ['X', s!], {}, { name: 'fn_mul', outputs: ['Y'] });
    });
    const x = b.input('x', 'float32', [2, 50]);
    const [y] = b.node('Swish', [x], {}, { domain: 'my.fns', name: 'swish' });
    b.output(y!, 'float32', [2, 50]);
    const { layers, unknownOps } = costGraph(load(b));
    assert.deepEqual(unknownOps, []);
    const swish = layerNamed(layers, 'swish');
    assert.match(swish.note ?? '', /function my\.fns:Swish/);
    // Sigmoid (1 + 2 transcendental per element) then Mul (1) over 100 elements.
    assert.deepEqual(swish.flops, { mac: 0, elementwise: 100 + 100, transcendental: 200 });
    assert.equal(swish.confidence, 'exact');
  });
});
