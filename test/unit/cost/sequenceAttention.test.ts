import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { recurrentMacs } from '../../../src/core/cost/formulas';
import { IrGraph, layerNamed } from './irFixture';

describe('recurrent rules', () => {
  it('LSTM counts every time step of both directions', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [10, 2, 8]);
    g.weight('w', [2, 64, 8]);
    g.weight('r', [2, 64, 16]);
    g.weight('b', [2, 128]);
    g.node('LSTM', ['x', 'w', 'r', 'b'], [['y', 'float32', [10, 2, 2, 16]]], { hidden_size: 16, direction: 'bidirectional' }, { name: 'lstm' });
    const l = layerNamed(costGraph(g.model()).layers, 'lstm');
    assert.equal(l.macs, 10 * 2 * 2 * 4 * 16 * (8 + 16));
    assert.equal(l.macs, recurrentMacs({ kind: 'LSTM', seqLength: 10, batch: 2, inputSize: 8, hiddenSize: 16, directions: 2 }));
    // 5 transcendentals (3 sigmoid, 2 tanh) per cell per step.
    assert.equal(l.flops.transcendental, 5 * 10 * 2 * 2 * 16);
    assert.equal(l.params, 2 * 64 * 8 + 2 * 64 * 16 + 2 * 128);
  });

  it('GRU with batch-first layout and RNN', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [3, 7, 5]);
    g.weight('w', [1, 12, 5]);
    g.weight('r', [1, 12, 4]);
    g.node('GRU', ['x', 'w', 'r'], [['y', 'float32', [3, 7, 1, 4]]], { hidden_size: 4, layout: 1 }, { name: 'gru' });
    g.weight('w1', [1, 4, 5]);
    g.weight('r1', [1, 4, 4]);
    g.node('RNN', ['x', 'w1', 'r1'], [['y1', 'float32', [3, 7, 1, 4]]], { hidden_size: 4, layout: 1 }, { name: 'rnn' });
    const { layers } = costGraph(g.model());
    assert.equal(layerNamed(layers, 'gru').macs, 7 * 3 * 3 * 4 * (5 + 4));
    assert.equal(layerNamed(layers, 'rnn').macs, 7 * 3 * 4 * (5 + 4));
  });
});

describe('attention rules (com.microsoft and ai.onnx)', () => {
  it('Attention: fused QKV projection plus QKᵀ and AV', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [2, 16, 64]);
    g.weight('w', [64, 192]);
    g.weight('b', [192]);
    g.node('Attention', ['x', 'w', 'b'], [['y', 'float32', [2, 16, 64]]], { num_heads: 4 }, { domain: 'com.microsoft', name: 'att' });
    const l = layerNamed(costGraph(g.model()).layers, 'att');
    const projection = 2 * 16 * 64 * 192;
    const core = 2 * (2 * 4 * 16 * 16 * 16);
    assert.equal(l.macs, projection + core);
    assert.equal(l.params, 64 * 192 + 192);
    assert.equal(l.confidence, 'exact');
  });

  it('MultiHeadAttention with past keys attends over past + new tokens', () => {
    const g = new IrGraph();
    g.input('q', 'float16', [1, 1, 128]);
    g.input('k', 'float16', [1, 1, 128]);
    g.input('v', 'float16', [1, 1, 128]);
    g.input('pk', 'float16', [1, 8, 31, 16]);
    g.input('pv', 'float16', [1, 8, 31, 16]);
    g.node('MultiHeadAttention', ['q', 'k', 'v', '', '', '', 'pk', 'pv'], [['y', 'float16', [1, 1, 128]]], { num_heads: 8 }, { domain: 'com.microsoft', name: 'mha' });
    const l = layerNamed(costGraph(g.model()).layers, 'mha');
    assert.equal(l.macs, 2 * 8 * 1 * 32 * 16);
    assert.equal(l.precision, 'fp16');
  });

  it('GroupQueryAttention: every query head attends the full length', () => {
    const g = new IrGraph();
    g.input('q', 'float16', [1, 4, 256]);
    g.input('k', 'float16', [1, 4, 64]);
    g.input('v', 'float16', [1, 4, 64]);
    g.input('pk', 'float16', [1, 2, 12, 32]);
    g.input('pv', 'float16', [1, 2, 12, 32]);
    g.input('seqlens', 'int32', [1]);
    g.weight('total', [], 'int32', [16]);
    g.node('GroupQueryAttention', ['q', 'k', 'v', 'pk', 'pv', 'seqlens', 'total'], [['y', 'float16', [1, 4, 256]]],
      { num_heads: 8, kv_num_heads: 2 }, { domain: 'com.microsoft', name: 'gqa' });
    const l = layerNamed(costGraph(g.model()).layers, 'gqa');
    assert.equal(l.macs, 2 * 8 * 4 * 16 * 32);
  });

  it('ai.onnx Attention (opset 23) with 4-D inputs', () => {
    const g = new IrGraph();
    g.input('q', 'float32', [2, 4, 10, 8]);
    g.input('k', 'float32', [2, 4, 12, 8]);
    g.input('v', 'float32', [2, 4, 12, 8]);
    g.node('Attention', ['q', 'k', 'v'], [['y', 'float32', [2, 4, 10, 8]]], {}, { name: 'sdpa' });
    const l = layerNamed(costGraph(g.model({ opset: 23 })).layers, 'sdpa');
    assert.equal(l.macs, 2 * (2 * 4 * 10 * 12 * 8));
    // Softmax over the scores: 2 transcendentals per score.
    assert.equal(l.flops.transcendental, 2 * 2 * 4 * 10 * 12);
  });
});

describe('less common operators', () => {
  it('QAttention costs the projection at int8; GemmFastGelu and MatMulBnb4', () => {
    const g = new IrGraph();
    g.input('x', 'int8', [1, 8, 32]);
    g.weight('w', [32, 96], 'int8');
    g.weight('b', [96]);
    g.weight('xs', []);
    g.weight('ws', []);
    g.node('QAttention', ['x', 'w', 'b', 'xs', 'ws'], [['y', 'float32', [1, 8, 32]]], { num_heads: 2 }, { domain: 'com.microsoft', name: 'qatt' });
    g.input('h', 'float32', [4, 32]);
    g.weight('w2', [32, 64]);
    g.node('GemmFastGelu', ['h', 'w2'], [['g', 'float32', [4, 64]]], {}, { domain: 'com.microsoft', name: 'gfg' });
    g.weight('nf4', [64 * 32 / 2], 'uint8');
    g.weight('absmax', [32]);
    g.node('MatMulBnb4', ['h', 'nf4', 'absmax'], [['z', 'float32', [4, 64]]], { K: 32, N: 64, block_size: 64 }, { domain: 'com.microsoft', name: 'bnb4' });
    const { layers, unknownOps } = costGraph(g.model());
    assert.deepEqual(unknownOps, []);
    const qatt = layerNamed(layers, 'qatt');
    assert.equal(qatt.macs, 8 * 32 * 96 + 2 * (2 * 8 * 8 * 16));
    assert.equal(qatt.precision, 'int8');
    assert.equal(layerNamed(layers, 'gfg').macs, 4 * 32 * 64);
    assert.equal(layerNamed(layers, 'gfg').flops.elementwise, 8 * 4 * 64);
    assert.equal(layerNamed(layers, 'bnb4').precision, 'int4');
    assert.equal(layerNamed(layers, 'bnb4').params, 64 * 32 + 32);
  });

  it('Det, DFT, GridSample and NonMaxSuppression (worst case, noted)', () => {
    const g = new IrGraph();
    g.input('m', 'float32', [5, 6, 6]);
    g.node('Det', ['m'], [['d', 'float32', [5]]], {}, { name: 'det' });
    g.input('sig', 'float32', [2, 1024, 1]);
    g.node('DFT', ['sig'], [['f', 'float32', [2, 1024, 2]]], { axis: 1 }, { name: 'dft' });
    g.input('img', 'float32', [1, 3, 8, 8]);
    g.input('grid', 'float32', [1, 4, 4, 2]);
    g.node('GridSample', ['img', 'grid'], [['s', 'float32', [1, 3, 4, 4]]], { mode: 'linear' }, { name: 'grid' });
    g.input('boxes', 'float32', [1, 100, 4]);
    g.input('scores', 'float32', [1, 2, 100]);
    g.node('NonMaxSuppression', ['boxes', 'scores'], [['sel', 'int64', undefined]], {}, { name: 'nms' });
    const { layers, unknownOps } = costGraph(g.model());
    assert.deepEqual(unknownOps, []);
    assert.equal(layerNamed(layers, 'det').macs, 5 * 72);
    assert.equal(layerNamed(layers, 'dft').flops.elementwise, 2 * 5 * 1024 * 10);
    assert.equal(layerNamed(layers, 'grid').flops.elementwise, 48 * (4 + 7));
    const nms = layerNamed(layers, 'nms');
    assert.equal(nms.flops.elementwise, 2 * 100 * 7 + 12 * 2 * (100 * 99) / 2);
    assert.match(nms.note ?? '', /worst case/);
  });
});

describe('mixture of experts (com.microsoft MoE)', () => {
  function moe(tokens: number): ReturnType<typeof costGraph>['layers'][number] {
    const g = new IrGraph();
    g.input('x', 'float32', [tokens, 16]);
    g.input('router', 'float32', [tokens, 8]);
    g.weight('fc1', [8, 16, 32]);
    g.weight('fc2', [8, 32, 16]);
    g.node('MoE', ['x', 'router', 'fc1', '', 'fc2'], [['y', 'float32', [tokens, 16]]], { k: 2 }, { domain: 'com.microsoft', name: 'moe' });
    return layerNamed(costGraph(g.model()).layers, 'moe');
  }

  it('costs top-k experts per token and reads only the experts likely touched', () => {
    const one = moe(1);
    assert.equal(one.macs, 2 * (16 * 32 + 32 * 16));
    assert.equal(one.params, 2 * 8 * 16 * 32);
    // One token touches exactly k = 2 of 8 experts: a quarter of the expert weights.
    assert.equal(one.bytes.weights, (2 * 8 * 16 * 32 * 4) / 4);
    assert.equal(one.gemm!.m * one.gemm!.n * one.gemm!.k * one.gemm!.batch, one.macs);
    const many = moe(256);
    assert.equal(many.macs, 256 * 2 * (16 * 32 + 32 * 16));
    assert.ok(many.bytes.weights > 0.99 * 2 * 8 * 16 * 32 * 4, 'a large batch touches nearly every expert');
  });
});
