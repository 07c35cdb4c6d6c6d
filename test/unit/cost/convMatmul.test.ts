import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { convCost, linearCost } from '../../../src/core/cost/formulas';
import { IrGraph, layerNamed } from './irFixture';

describe('Conv rule', () => {
  it('counts output elements × Cin/groups × kernel, with the im2col GEMM view and bytes', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 3, 224, 224]);
    g.weight('w', [64, 3, 7, 7]);
    g.weight('b', [64]);
    g.node('Conv', ['x', 'w', 'b'], [['y', 'float32', [1, 64, 112, 112]]], { kernel_shape: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] }, { name: 'conv1' });
    const { layers, unknownOps } = costGraph(g.model());
    const l = layerNamed(layers, 'conv1');
    assert.equal(l.macs, 64 * 112 * 112 * 3 * 49);
    assert.equal(l.flops.mac, 2 * l.macs);
    assert.equal(l.flops.elementwise, 64 * 112 * 112, 'bias add per output element');
    assert.deepEqual(l.gemm, { m: 112 * 112, n: 64, k: 147, batch: 1, convolution: true });
    assert.equal(l.params, 64 * 3 * 49 + 64);
    assert.deepEqual(l.bytes, { weights: (64 * 147 + 64) * 4, inputs: 3 * 224 * 224 * 4, outputs: 64 * 112 * 112 * 4 });
    assert.equal(l.precision, 'fp32');
    assert.equal(l.confidence, 'exact');
    assert.deepEqual(l.activationInputs, ['x']);
    assert.deepEqual(unknownOps, []);
  });

  it('divides by groups (depthwise) and agrees with the convCost formula', () => {
    const g = new IrGraph();
    g.input('x', 'float16', [2, 32, 56, 56]);
    g.weight('w', [32, 1, 3, 3], 'float16');
    g.node('Conv', ['x', 'w'], [['y', 'float16', [2, 32, 56, 56]]], { group: 32, pads: [1, 1, 1, 1] }, { name: 'dw' });
    const l = layerNamed(costGraph(g.model()).layers, 'dw');
    assert.equal(l.macs, 2 * 32 * 56 * 56 * 9);
    assert.equal(l.precision, 'fp16');
    assert.deepEqual(l.gemm, { m: 2 * 56 * 56, n: 1, k: 9, batch: 32, convolution: true });
    const f = convCost({ batch: 2, inChannels: 32, outChannels: 32, kernel: [3, 3], inSpatial: [56, 56], outSpatial: [56, 56], groups: 32, precision: 'fp16' });
    assert.equal(f.macs, l.macs);
    assert.deepEqual(f.bytes, l.bytes);
    assert.equal(f.params, l.params);
  });

  it('computes output size from attributes when the output shape is unknown', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 8, 32, 32]);
    g.weight('w', [16, 8, 3, 3]);
    g.node('Conv', ['x', 'w'], ['y'], { strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'c' });
    const l = layerNamed(costGraph(g.model()).layers, 'c');
    assert.equal(l.macs, 16 * 16 * 16 * 8 * 9);
    // MACs are known but output bytes are not: partial, with a note saying why.
    assert.equal(l.confidence, 'partial');
    assert.match(l.note ?? '', /output 'y' unknown/);
  });

  it('is partial, not zero-and-exact, when the input shape is unknown', () => {
    const g = new IrGraph();
    g.input('x', 'float32', ['batch', 8, undefined, undefined]);
    g.weight('w', [16, 8, 3, 3]);
    g.node('Conv', ['x', 'w'], ['y'], {}, { name: 'c' });
    const l = layerNamed(costGraph(g.model()).layers, 'c');
    assert.equal(l.macs, 0);
    assert.equal(l.confidence, 'partial');
    assert.match(l.note ?? '', /Conv arithmetic not counted/);
  });

  it('resolves symbolic dims bound in the model', () => {
    const g = new IrGraph();
    g.input('x', 'float32', ['batch', 8, 16, 16]);
    g.weight('w', [4, 8, 1, 1]);
    g.node('Conv', ['x', 'w'], [['y', 'float32', ['batch', 4, 16, 16]]], {}, { name: 'c' });
    const l = layerNamed(costGraph(g.model({ boundDims: new Map([['batch', 3]]) })).layers, 'c');
    assert.equal(l.macs, 3 * 4 * 16 * 16 * 8);
    assert.equal(l.confidence, 'exact');
    assert.deepEqual(l.outputShapes[0], [3, 4, 16, 16]);
  });

  it('ConvTranspose counts input elements × Cout/groups × kernel', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 16, 8, 8]);
    g.weight('w', [16, 8, 4, 4]);
    g.node('ConvTranspose', ['x', 'w'], [['y', 'float32', [1, 8, 16, 16]]], { strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'up' });
    const l = layerNamed(costGraph(g.model()).layers, 'up');
    assert.equal(l.macs, 64 * 16 * 8 * 16);
    assert.deepEqual(l.gemm, { m: 64, n: 8 * 16, k: 16, batch: 1 });
  });

  it('ConvTranspose output size from attributes when not inferred', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 16, 8, 8]);
    g.weight('w', [16, 4, 3, 3]);
    g.weight('b', [8]);
    g.node('ConvTranspose', ['x', 'w', 'b'], ['y'], { group: 2, strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, { name: 'up' });
    const l = layerNamed(costGraph(g.model()).layers, 'up');
    // Output 2·(8 − 1) + 1 + 3 − 2 = 16 per side; MACs = input pixels × Cin × Cout/groups × kernel.
    assert.equal(l.macs, 64 * 16 * 4 * 9);
    assert.equal(l.flops.elementwise, 8 * 16 * 16, 'bias add per output element');
    assert.equal(l.confidence, 'partial');
  });
});

describe('MatMul / Gemm rules', () => {
  it('batched broadcast MatMul multiplies out the broadcast batch', () => {
    const g = new IrGraph();
    g.input('a', 'float32', [2, 3, 4, 5]);
    g.input('b', 'float32', [3, 5, 6]);
    g.node('MatMul', ['a', 'b'], [['y', 'float32', [2, 3, 4, 6]]], {}, { name: 'mm' });
    const l = layerNamed(costGraph(g.model()).layers, 'mm');
    assert.equal(l.macs, 6 * 4 * 6 * 5);
    assert.deepEqual(l.gemm, { m: 4, n: 6, k: 5, batch: 6 });
    assert.equal(l.bytes.weights, 0);
    assert.equal(l.bytes.inputs, (120 + 90) * 4);
  });

  it('treats 1-D operands as vectors', () => {
    const g = new IrGraph();
    g.input('a', 'float32', [5]);
    g.weight('b', [5, 7]);
    g.node('MatMul', ['a', 'b'], [['y', 'float32', [7]]], {}, { name: 'mv' });
    const l = layerNamed(costGraph(g.model()).layers, 'mv');
    assert.equal(l.macs, 35);
    assert.equal(l.params, 35);
  });

  it('Gemm honours transB and counts the bias add and alpha scaling as elementwise', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [8, 512]);
    g.weight('w', [1000, 512]);
    g.weight('c', [1000]);
    g.node('Gemm', ['x', 'w', 'c'], [['y', 'float32', [8, 1000]]], { transB: 1, alpha: 0.5 }, { name: 'fc' });
    const l = layerNamed(costGraph(g.model()).layers, 'fc');
    assert.equal(l.macs, 8 * 512 * 1000);
    assert.equal(l.flops.elementwise, 2 * 8 * 1000);
    const f = linearCost({ rows: 8, inFeatures: 512, outFeatures: 1000, bias: true });
    assert.equal(f.macs, l.macs);
    assert.equal(f.params, l.params);
    assert.deepEqual(f.bytes, l.bytes);
  });

  it('FusedMatMul (com.microsoft) transposes A', () => {
    const g = new IrGraph();
    g.input('a', 'float32', [2, 5, 4]);
    g.input('b', 'float32', [2, 5, 6]);
    g.node('FusedMatMul', ['a', 'b'], [['y', 'float32', [2, 4, 6]]], { transA: 1 }, { domain: 'com.microsoft', name: 'fm' });
    const l = layerNamed(costGraph(g.model()).layers, 'fm');
    assert.equal(l.macs, 2 * 4 * 6 * 5);
  });

  it('MatMulNBits costs at int4 with logical parameter count', () => {
    const g = new IrGraph();
    g.input('a', 'float32', [1, 4, 64]);
    g.weight('b', [32, 2, 16], 'uint8');
    g.weight('scales', [64]);
    g.node('MatMulNBits', ['a', 'b', 'scales'], [['y', 'float32', [1, 4, 32]]], { K: 64, N: 32, bits: 4, block_size: 32 }, { domain: 'com.microsoft', name: 'q4' });
    const l = layerNamed(costGraph(g.model()).layers, 'q4');
    assert.equal(l.macs, 4 * 32 * 64);
    assert.equal(l.precision, 'int4');
    assert.equal(l.params, 32 * 64 + 64);
    assert.equal(l.bytes.weights, 32 * 32 + 64 * 4, 'packed bytes as stored');
  });

  it('Einsum: batched contraction, Hadamard product and a three-operand chain', () => {
    const g = new IrGraph();
    g.input('a', 'float32', [2, 3, 4]);
    g.input('b', 'float32', [2, 4, 5]);
    g.input('c', 'float32', [5, 6]);
    g.node('Einsum', ['a', 'b'], [['y', 'float32', [2, 3, 5]]], { equation: 'bij,bjk->bik' }, { name: 'e1' });
    g.node('Einsum', ['a', 'a'], [['z', 'float32', [2, 3, 4]]], { equation: 'bij,bij->bij' }, { name: 'e2' });
    g.node('Einsum', ['a', 'b', 'c'], [['w', 'float32', [2, 3, 6]]], { equation: 'bij,bjk,kl->bil' }, { name: 'e3' });
    g.node('Einsum', ['a', 'b'], [['v', 'float32', [2, 3, 5]]], { equation: '...ij,...jk' }, { name: 'e4' });
    const { layers } = costGraph(g.model());
    assert.equal(layerNamed(layers, 'e1').macs, 2 * 3 * 4 * 5);
    assert.equal(layerNamed(layers, 'e2').macs, 0);
    assert.equal(layerNamed(layers, 'e2').flops.elementwise, 24);
    assert.equal(layerNamed(layers, 'e3').macs, 2 * 3 * 4 * 5 + 2 * 3 * 5 * 6);
    assert.equal(layerNamed(layers, 'e4').macs, 2 * 3 * 4 * 5);
  });
});
