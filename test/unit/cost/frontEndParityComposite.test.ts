/**
 * Layers that one front end writes as one call and ONNX as several nodes: the PyTorch or Keras layer's
 * MACs and FLOPs equal the sum over the ONNX graph it exports to (test/unit/cost/frontEndParity.test.ts
 * holds the one-node cases).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelClassOf } from '../../../src/core/energy/kernelClasses';
import type { OnnxBuilder } from '../../../src/core/onnx/builder';
import { kerasFunctionalLayer, kerasLayer, llmLayer, onnxLayer, onnxLayers, TINY_LLM, torchLayer, totalWork, workOf } from './frontEnds';

/** q, k, v projections, com.microsoft MultiHeadAttention with the q/k/v bias, output projection + bias. */
function attentionNodes(b: OnnxBuilder, x: string, prefix: string): string {
  const [q, k, v] = ['q', 'k', 'v'].map((n) => b.node('MatMul', [x, b.weight(`${prefix}w${n}`, [32, 32])], {}, { name: `${prefix}${n}` })[0]!);
  const [att] = b.node('MultiHeadAttention', [q!, k!, v!, b.weight(`${prefix}qkv_bias`, [96])], { num_heads: 4 },
    { name: `${prefix}attention`, domain: 'com.microsoft' });
  const [o] = b.node('MatMul', [att!, b.weight(`${prefix}wo`, [32, 32])], {}, { name: `${prefix}out` });
  return b.node('Add', [o!, b.weight(`${prefix}bo`, [32])], {}, { name: `${prefix}out_bias` })[0]!;
}

describe('a one-call layer costs what its ONNX graph costs', () => {
  it('multi-head self-attention: one PyTorch or Keras layer = the ONNX projections plus the attention core', () => {
    // x [2, 6, 32], 4 heads of 8: q, k, v projections, com.microsoft MultiHeadAttention (with the
    // q/k/v bias), the output projection and its bias.
    const onnx = totalWork(onnxLayers((b) => {
      b.output(attentionNodes(b, b.input('x', 'float32', [2, 6, 32]), ''), 'float32', [2, 6, 32]);
    }, 17, { 'com.microsoft': 1 }));
    assert.ok(onnx.macs > 0 && onnx.transcendental > 0);
    assert.deepEqual(workOf(torchLayer('nn.MultiheadAttention(32, 4, batch_first=True)', [2, 6, 32]), 'pytorch'), onnx, 'pytorch differs from ONNX');
    const keras = kerasFunctionalLayer(['inputs = keras.Input(shape=(6, 32), batch_size=2)', 'outputs = layers.MultiHeadAttention(num_heads=4, key_dim=8)(inputs, inputs)']);
    assert.deepEqual(workOf(keras, 'keras'), onnx, 'keras differs from ONNX');
  });

  it('TransformerEncoderLayer (post-norm, ReLU): attention, two residual adds, two LayerNorms and the MLP', () => {
    const onnx = totalWork(onnxLayers((b) => {
      const x = b.input('x', 'float32', [2, 6, 32]);
      const norm = (input: string, name: string): string =>
        b.node('LayerNormalization', [input, b.weight(`${name}.g`, [32]), b.weight(`${name}.b`, [32])], { axis: -1 }, { name })[0]!;
      const attended = attentionNodes(b, x, 'sa.');
      const h = norm(b.node('Add', [x, attended], {}, { name: 'residual1' })[0]!, 'norm1');
      const [up] = b.node('Gemm', [b.node('Reshape', [h, b.ints('rows', [12, 32])], {}, { name: 'flat' })[0]!,
        b.weight('w1', [64, 32]), b.weight('b1', [64])], { transB: 1 }, { name: 'linear1' });
      const [act] = b.node('Relu', [up!], {}, { name: 'relu' });
      const [down] = b.node('Gemm', [act!, b.weight('w2', [32, 64]), b.weight('b2', [32])], { transB: 1 }, { name: 'linear2' });
      const [back] = b.node('Reshape', [down!, b.ints('shape', [2, 6, 32])], {}, { name: 'unflat' });
      b.output(norm(b.node('Add', [h, back!], {}, { name: 'residual2' })[0]!, 'norm2'), 'float32', [2, 6, 32]);
    }, 17, { 'com.microsoft': 1 }));
    const torch = torchLayer('nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.0, batch_first=True)', [2, 6, 32]);
    assert.deepEqual(workOf(torch, 'pytorch'), onnx, 'pytorch differs from ONNX');
  });

  it('a two-layer PyTorch LSTM is two ONNX LSTM nodes, the second fed the first\'s hidden state', () => {
    const onnx = totalWork(onnxLayers((b) => {
      const x = b.input('x', 'float32', [5, 3, 10]);
      const lstm = (input: string, inputSize: number, name: string): string => b.node('LSTM',
        [input, b.weight(`${name}.w`, [1, 80, inputSize]), b.weight(`${name}.r`, [1, 80, 20]), b.weight(`${name}.b`, [1, 160])],
        { hidden_size: 20 }, { name, outputs: 1 })[0]!;
      const [h] = b.node('Squeeze', [lstm(x, 10, 'lstm1'), b.ints('axis', [1])], {}, { name: 'squeeze' });
      b.output(lstm(h!, 20, 'lstm2'), 'float32', [5, 1, 3, 20]);
    }));
    assert.deepEqual(workOf(torchLayer('nn.LSTM(10, 20, num_layers=2)', [5, 3, 10]), 'pytorch'), onnx, 'pytorch differs from ONNX');
  });

  it('a Keras SeparableConv2D is a depthwise Conv then a 1×1 Conv with the bias', () => {
    const onnx = totalWork(onnxLayers((b) => {
      const x = b.input('x', 'float32', [2, 8, 16, 16]);
      const [dw] = b.node('Conv', [x, b.weight('dw', [8, 1, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 8 }, { name: 'depthwise' });
      const [y] = b.node('Conv', [dw!, b.weight('pw', [16, 8, 1, 1]), b.weight('b', [16])], { kernel_shape: [1, 1] }, { name: 'pointwise' });
      b.output(y!, 'float32', [2, 16, 16, 16]);
    }));
    assert.deepEqual(workOf(kerasLayer('layers.SeparableConv2D(16, 3, padding="same")', [2, 16, 16, 8]), 'keras'), onnx, 'keras differs from ONNX');
  });

  it('the LLM MLP activation: erf Gelu, or SiLU(gate)·up as Sigmoid, Mul, Mul', () => {
    const step = { phase: 'prefill', tokens: 4 } as const;
    const gelu = onnxLayer((b) => {
      const [y] = b.node('Gelu', [b.input('x', 'float32', [4, 128])], {}, { name: 'layer' });
      b.output(y!, 'float32', [4, 128]);
    }, 20);
    assert.deepEqual(workOf(llmLayer(step, 'blk.0.ffn_act'), 'llm'), workOf(gelu, 'onnx'));
    const swiglu = totalWork(onnxLayers((b) => {
      const gate = b.input('gate', 'float32', [4, 128]);
      const [sig] = b.node('Sigmoid', [gate], {}, { name: 'sigmoid' });
      const [silu] = b.node('Mul', [gate, sig!], {}, { name: 'silu' });
      const [y] = b.node('Mul', [silu!, b.input('up', 'float32', [4, 128])], {}, { name: 'gate_up' });
      b.output(y!, 'float32', [4, 128]);
    }));
    const gated = llmLayer(step, 'blk.0.ffn_act', { ...TINY_LLM, gatedMlp: true });
    assert.deepEqual(workOf(gated, 'llm'), swiglu);
  });

  it('the LLM RMSNorm is ONNX SimplifiedLayerNormalization', () => {
    const onnx = onnxLayer((b) => {
      const [y] = b.node('SimplifiedLayerNormalization', [b.input('x', 'float32', [1, 4, 64]), b.weight('g', [64])], { axis: -1 }, { name: 'layer' });
      b.output(y!, 'float32', [1, 4, 64]);
    });
    const llm = llmLayer({ phase: 'prefill', tokens: 4 }, 'blk.0.attn_norm', { ...TINY_LLM, norm: 'rmsnorm' });
    assert.deepEqual(workOf(llm, 'llm'), workOf(onnx, 'onnx'));
  });

  it('the energy model runs a Python convolution as the ONNX convolution it exports (kernel class)', () => {
    const conv = (weight: number[], group: number): string => kernelClassOf(onnxLayer((b) => {
      const [y] = b.node('Conv', [b.input('x', 'float32', [1, 8, 16, 16]), b.weight('w', weight)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group }, { name: 'layer' });
      b.output(y!, 'float32', [1, weight[0]!, 16, 16]);
    }));
    const classOf = (cost: Parameters<typeof kernelClassOf>[0] | undefined): string | undefined => (cost ? kernelClassOf(cost) : undefined);
    assert.equal(conv([16, 8, 3, 3], 1), 'conv');
    assert.equal(classOf(torchLayer('nn.Conv2d(8, 16, 3, padding=1)', [1, 8, 16, 16])), 'conv');
    assert.equal(classOf(kerasLayer('layers.Conv2D(16, 3, padding="same")', [1, 16, 16, 8])), 'conv');
    assert.equal(conv([16, 1, 3, 3], 8), 'depthwise');
    assert.equal(classOf(torchLayer('nn.Conv2d(8, 16, 3, padding=1, groups=8)', [1, 8, 16, 16])), 'depthwise');
    assert.equal(classOf(kerasLayer('layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)', [1, 16, 16, 8])), 'depthwise');
  });
});
