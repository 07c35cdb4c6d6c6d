/**
 * One MAC convention across front ends (issue 16, item 4): the same layer described as an ONNX node,
 * PyTorch source, Keras source, a TFLite operator and, where one exists, an LLM step layer gives the
 * same MACs and the same elementwise and transcendental FLOPs. The ONNX path is the reference.
 * Front ends that have no such layer are left out of a case (PyTorch has no priced matmul layer,
 * TFLite no LayerNorm, BatchNorm or LSTM builtin that the reader prices).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerCost } from '../../../src/core/cost/types';
import { kerasLayer, llmLayer, onnxLayer, type TfTensor, tfliteLayer, torchLayer, workOf } from './frontEnds';

/** Asserts every front end's work equals the ONNX reference, naming the one that differs. */
function sameWork(reference: LayerCost, others: Readonly<Record<string, LayerCost | undefined>>): void {
  const expected = workOf(reference, 'onnx');
  assert.ok(expected.macs + expected.elementwise + expected.transcendental > 0, 'the reference does some work');
  for (const [frontEnd, cost] of Object.entries(others)) {
    assert.deepEqual(workOf(cost, frontEnd), expected, `${frontEnd} differs from ONNX`);
  }
}

const f32 = (shape: readonly number[]): TfTensor => ({ shape });
const weight = (shape: readonly number[]): TfTensor => ({ shape, constant: true });

describe('the same layer costs the same in every front end', () => {
  it('Conv2d, dense, padded, with bias', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [2, 8, 16, 16]);
      const [y] = b.node('Conv', [x, b.weight('w', [16, 8, 3, 3]), b.weight('b', [16])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'layer' });
      b.output(y!, 'float32', [2, 16, 16, 16]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Conv2d(8, 16, 3, padding=1)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.Conv2D(16, 3, padding="same")', [2, 16, 16, 8]),
      tflite: tfliteLayer('CONV_2D', [f32([2, 16, 16, 8]), weight([16, 3, 3, 8]), weight([16])], [2, 16, 16, 16],
        { kind: 'conv2d', padding: 'SAME', stride: [1, 1] }),
    });
  });

  it('Conv2d, grouped and strided, no bias', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [2, 8, 16, 16]);
      const [y] = b.node('Conv', [x, b.weight('w', [16, 2, 3, 3])], { kernel_shape: [3, 3], strides: [2, 2], group: 4 }, { name: 'layer' });
      b.output(y!, 'float32', [2, 16, 7, 7]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Conv2d(8, 16, 3, stride=2, groups=4, bias=False)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.Conv2D(16, 3, strides=2, groups=4, use_bias=False)', [2, 16, 16, 8]),
      tflite: tfliteLayer('CONV_2D', [f32([2, 16, 16, 8]), weight([16, 3, 3, 2])], [2, 7, 7, 16], { kind: 'conv2d', padding: 'VALID', stride: [2, 2] }),
    });
  });

  it('Conv2d, strided with explicit padding (5×5, stride 2, pad 2)', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [1, 8, 16, 16]);
      const [y] = b.node('Conv', [x, b.weight('w', [16, 8, 5, 5]), b.weight('b', [16])],
        { kernel_shape: [5, 5], strides: [2, 2], pads: [2, 2, 2, 2] }, { name: 'layer' });
      b.output(y!, 'float32', [1, 16, 8, 8]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Conv2d(8, 16, 5, stride=2, padding=2)', [1, 8, 16, 16]),
      keras: kerasLayer('layers.Conv2D(16, 5, strides=2, padding="same")', [1, 16, 16, 8]),
      tflite: tfliteLayer('CONV_2D', [f32([1, 16, 16, 8]), weight([16, 5, 5, 8]), weight([16])], [1, 8, 8, 16],
        { kind: 'conv2d', padding: 'SAME', stride: [2, 2] }),
    });
  });

  it('depthwise Conv2d with a channel multiplier of 2', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [2, 8, 16, 16]);
      const [y] = b.node('Conv', [x, b.weight('w', [16, 1, 3, 3]), b.weight('b', [16])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 8 }, { name: 'layer' });
      b.output(y!, 'float32', [2, 16, 16, 16]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Conv2d(8, 16, 3, padding=1, groups=8)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)', [2, 16, 16, 8]),
      tflite: tfliteLayer('DEPTHWISE_CONV_2D', [f32([2, 16, 16, 8]), weight([1, 3, 3, 16]), weight([16])], [2, 16, 16, 16],
        { kind: 'depthwise', padding: 'SAME', stride: [1, 1], depthMultiplier: 2 }),
    });
    // The GEMM view agrees too: one group per input channel.
    assert.deepEqual(onnx.gemm, torchLayer('nn.Conv2d(8, 16, 3, padding=1, groups=8)', [2, 8, 16, 16])?.gemm);
  });

  it('ConvTranspose2d (4×4, stride 2) with bias', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [2, 16, 8, 8]);
      const [y] = b.node('ConvTranspose', [x, b.weight('w', [16, 8, 4, 4]), b.weight('b', [8])],
        { kernel_shape: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 16, 16]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', [2, 16, 8, 8]),
      keras: kerasLayer('layers.Conv2DTranspose(8, 4, strides=2, padding="same")', [2, 8, 8, 16]),
      tflite: tfliteLayer('TRANSPOSE_CONV', [{ shape: [4], int32: [2, 16, 16, 8] }, weight([8, 4, 4, 16]), f32([2, 8, 8, 16]), weight([8])], [2, 16, 16, 8]),
    });
  });

  it('Linear / Dense with bias, and the LLM MLP up-projection', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [4, 64]);
      const [y] = b.node('Gemm', [x, b.weight('w', [128, 64]), b.weight('b', [128])], { transB: 1 }, { name: 'layer' });
      b.output(y!, 'float32', [4, 128]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Linear(64, 128)', [4, 64]),
      keras: kerasLayer('layers.Dense(128)', [4, 64]),
      tflite: tfliteLayer('FULLY_CONNECTED', [f32([4, 64]), weight([128, 64]), weight([128])], [4, 128], { kind: 'fullyConnected' }),
      llm: llmLayer({ phase: 'prefill', tokens: 4 }, 'blk.0.ffn_up'),
    });
  });

  it('Linear / Dense without bias, and the LLM attention output projection', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [4, 64]);
      const [y] = b.node('MatMul', [x, b.weight('w', [64, 64])], {}, { name: 'layer' });
      b.output(y!, 'float32', [4, 64]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.Linear(64, 64, bias=False)', [4, 64]),
      keras: kerasLayer('layers.Dense(64, use_bias=False)', [4, 64]),
      tflite: tfliteLayer('FULLY_CONNECTED', [f32([4, 64]), weight([64, 64])], [4, 64], { kind: 'fullyConnected' }),
      llm: llmLayer({ phase: 'prefill', tokens: 4 }, 'blk.0.attn_output'),
    });
  });

  it('MatMul of two activations: ONNX, TFLite BATCH_MATMUL and the LLM attention products', () => {
    // Decode at context 8: per head, q (1 × 16) · Kᵀ (16 × 8), then probabilities (1 × 8) · V (8 × 16).
    const scores = onnxLayer((b) => {
      const [y] = b.node('MatMul', [b.input('q', 'float32', [1, 4, 1, 16]), b.input('kt', 'float32', [1, 4, 16, 8])], {}, { name: 'layer' });
      b.output(y!, 'float32', [1, 4, 1, 8]);
    });
    const context = onnxLayer((b) => {
      const [y] = b.node('MatMul', [b.input('p', 'float32', [1, 4, 1, 8]), b.input('v', 'float32', [1, 4, 8, 16])], {}, { name: 'layer' });
      b.output(y!, 'float32', [1, 4, 1, 16]);
    });
    sameWork(scores, { tflite: tfliteLayer('BATCH_MATMUL', [f32([1, 4, 1, 16]), f32([1, 4, 16, 8])], [1, 4, 1, 8]) });
    sameWork(context, { llm: llmLayer({ phase: 'decode', context: 8 }, 'blk.0.attn_context') });
    // The LLM scores layer also scales each score by 1/√d: the MatMul's MACs plus one FLOP per score.
    const llmScores = workOf(llmLayer({ phase: 'decode', context: 8 }, 'blk.0.attn_scores'), 'llm');
    assert.equal(llmScores.macs, scores.macs);
    assert.equal(llmScores.elementwise, 4 * 8);
  });

  for (const kind of ['LSTM', 'GRU', 'RNN'] as const) {
    it(`${kind} with biases over a sequence`, () => {
      const gates = { LSTM: 4, GRU: 3, RNN: 1 }[kind];
      const onnx = onnxLayer((b) => {
        const x = b.input('x', 'float32', [5, 3, 10]);
        const w = b.weight('w', [1, gates * 20, 10]);
        const r = b.weight('r', [1, gates * 20, 20]);
        const bias = b.weight('b', [1, 2 * gates * 20]);
        const [y] = b.node(kind, [x, w, r, bias], { hidden_size: 20 }, { name: 'layer' });
        b.output(y!, 'float32', [5, 1, 3, 20]);
      });
      sameWork(onnx, {
        pytorch: torchLayer(`nn.${kind}(10, 20)`, [5, 3, 10]),
        keras: kerasLayer(`layers.${kind === 'RNN' ? 'SimpleRNN' : kind}(20, return_sequences=True)`, [3, 5, 10]),
      });
    });
  }

  it('a PyTorch cell is one step of the ONNX recurrent layer', () => {
    const onnx = onnxLayer((b) => {
      const [y] = b.node('LSTM', [b.input('x', 'float32', [1, 3, 10]), b.weight('w', [1, 80, 10]), b.weight('r', [1, 80, 20]), b.weight('b', [1, 160])],
        { hidden_size: 20 }, { name: 'layer' });
      b.output(y!, 'float32', [1, 1, 3, 20]);
    });
    sameWork(onnx, { pytorch: torchLayer('nn.LSTMCell(10, 20)', [3, 10]) });
  });

  it('LayerNorm over the last axis, and the LLM block norm', () => {
    const onnx = onnxLayer((b) => {
      const x = b.input('x', 'float32', [1, 4, 64]);
      const [y] = b.node('LayerNormalization', [x, b.weight('g', [64]), b.weight('b', [64])], { axis: -1 }, { name: 'layer' });
      b.output(y!, 'float32', [1, 4, 64]);
    });
    sameWork(onnx, {
      pytorch: torchLayer('nn.LayerNorm(64)', [1, 4, 64]),
      keras: kerasLayer('layers.LayerNormalization()', [1, 4, 64]),
      llm: llmLayer({ phase: 'prefill', tokens: 4 }, 'blk.0.attn_norm'),
    });
  });

  it('BatchNorm, InstanceNorm and GroupNorm', () => {
    const bn = onnxLayer((b) => {
      const x = b.input('x', 'float32', [2, 8, 6, 6]);
      const [y] = b.node('BatchNormalization', [x, ...['g', 'b', 'm', 'v'].map((n) => b.weight(n, [8]))], {}, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 6, 6]);
    });
    sameWork(bn, {
      pytorch: torchLayer('nn.BatchNorm2d(8)', [2, 8, 6, 6]),
      keras: kerasLayer('layers.BatchNormalization()', [2, 6, 6, 8]),
    });
    const instance = onnxLayer((b) => {
      const [y] = b.node('InstanceNormalization', [b.input('x', 'float32', [2, 8, 6, 6]), b.weight('g', [8]), b.weight('b', [8])], {}, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 6, 6]);
    });
    sameWork(instance, { pytorch: torchLayer('nn.InstanceNorm2d(8)', [2, 8, 6, 6]) });
    const group = onnxLayer((b) => {
      const [y] = b.node('GroupNormalization', [b.input('x', 'float32', [2, 8, 6, 6]), b.weight('g', [8]), b.weight('b', [8])], { num_groups: 2 }, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 6, 6]);
    }, 18);
    sameWork(group, {
      pytorch: torchLayer('nn.GroupNorm(2, 8)', [2, 8, 6, 6]),
      keras: kerasLayer('layers.GroupNormalization(groups=2)', [2, 6, 6, 8]),
    });
  });

  it('Softmax and LogSoftmax over the last axis, and the LLM attention softmax', () => {
    const softmax = (shape: number[], op = 'Softmax'): LayerCost => onnxLayer((b) => {
      const [y] = b.node(op, [b.input('x', 'float32', shape)], { axis: -1 }, { name: 'layer' });
      b.output(y!, 'float32', shape);
    }, 13);
    sameWork(softmax([2, 10]), {
      pytorch: torchLayer('nn.Softmax(dim=-1)', [2, 10]),
      keras: kerasLayer('layers.Softmax()', [2, 10]),
      tflite: tfliteLayer('SOFTMAX', [f32([2, 10])], [2, 10], { kind: 'softmax', beta: 1 }),
    });
    sameWork(softmax([1, 4, 1, 8]), { llm: llmLayer({ phase: 'decode', context: 8 }, 'blk.0.attn_softmax') });
    sameWork(softmax([2, 10], 'LogSoftmax'), {
      pytorch: torchLayer('nn.LogSoftmax(dim=-1)', [2, 10]),
      tflite: tfliteLayer('LOG_SOFTMAX', [f32([2, 10])], [2, 10]),
    });
  });

  it('max and average pooling windows, and global average pooling', () => {
    const pool = (op: string): LayerCost => onnxLayer((b) => {
      const [y] = b.node(op, [b.input('x', 'float32', [2, 8, 16, 16])], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 8, 8]);
    });
    const options = { kind: 'pool', padding: 'VALID', stride: [2, 2], filter: [2, 2] } as const;
    sameWork(pool('MaxPool'), {
      pytorch: torchLayer('nn.MaxPool2d(2)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.MaxPooling2D(2)', [2, 16, 16, 8]),
      tflite: tfliteLayer('MAX_POOL_2D', [f32([2, 16, 16, 8])], [2, 8, 8, 8], options),
    });
    sameWork(pool('AveragePool'), {
      pytorch: torchLayer('nn.AvgPool2d(2)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.AveragePooling2D(2)', [2, 16, 16, 8]),
      tflite: tfliteLayer('AVERAGE_POOL_2D', [f32([2, 16, 16, 8])], [2, 8, 8, 8], options),
    });
    const global = onnxLayer((b) => {
      const [y] = b.node('GlobalAveragePool', [b.input('x', 'float32', [2, 8, 16, 16])], {}, { name: 'layer' });
      b.output(y!, 'float32', [2, 8, 1, 1]);
    });
    sameWork(global, {
      pytorch: torchLayer('nn.AdaptiveAvgPool2d(1)', [2, 8, 16, 16]),
      keras: kerasLayer('layers.GlobalAveragePooling2D()', [2, 16, 16, 8]),
      tflite: tfliteLayer('MEAN', [f32([2, 16, 16, 8]), { shape: [2], int32: [1, 2] }], [2, 8]),
    });
  });

  it('an embedding lookup reads only its rows, in every front end', () => {
    const onnx = onnxLayer((b) => {
      const [y] = b.node('Gather', [b.weight('table', [100, 64]), b.input('ids', 'int64', [1, 4])], {}, { name: 'layer' });
      b.output(y!, 'float32', [1, 4, 64]);
    });
    const others = {
      pytorch: torchLayer('nn.Embedding(100, 64)', [1, 4]),
      keras: kerasLayer('layers.Embedding(100, 64)', [1, 4]),
      tflite: tfliteLayer('GATHER', [weight([100, 64]), { shape: [1, 4], dataType: 'int32' }], [1, 4, 64]),
      llm: llmLayer({ phase: 'prefill', tokens: 4 }, 'token_embd'),
    };
    // No arithmetic; 4 rows of 64 fp32 weights read, not the 100-row table.
    assert.equal(onnx.bytes.weights, 4 * 64 * 4);
    for (const [frontEnd, cost] of Object.entries(others)) {
      assert.equal(cost?.macs, 0, frontEnd);
      assert.equal(cost?.bytes.weights, onnx.bytes.weights, `${frontEnd} reads other weight bytes than ONNX`);
    }
  });

  const ACTIVATIONS: readonly { onnx: string; torch: string; keras?: string; tflite?: string; opset?: number }[] = [
    { onnx: 'Relu', torch: 'nn.ReLU()', keras: 'layers.Activation("relu")', tflite: 'RELU' },
    { onnx: 'LeakyRelu', torch: 'nn.LeakyReLU()', keras: 'layers.LeakyReLU()', tflite: 'LEAKY_RELU' },
    { onnx: 'Sigmoid', torch: 'nn.Sigmoid()', keras: 'layers.Activation("sigmoid")', tflite: 'LOGISTIC' },
    { onnx: 'Tanh', torch: 'nn.Tanh()', keras: 'layers.Activation("tanh")', tflite: 'TANH' },
    { onnx: 'Elu', torch: 'nn.ELU()', keras: 'layers.ELU()', tflite: 'ELU' },
    { onnx: 'HardSwish', torch: 'nn.Hardswish()', keras: 'layers.Activation("hard_swish")', tflite: 'HARD_SWISH' },
    { onnx: 'Gelu', torch: 'nn.GELU()', keras: 'layers.Activation("gelu")', tflite: 'GELU', opset: 20 },
    { onnx: 'HardSigmoid', torch: 'nn.Hardsigmoid()', keras: 'layers.Activation("hard_sigmoid")' },
    { onnx: 'Softplus', torch: 'nn.Softplus()', keras: 'layers.Activation("softplus")' },
    { onnx: 'Mish', torch: 'nn.Mish()', keras: 'layers.Activation("mish")', opset: 18 },
    { onnx: 'Selu', torch: 'nn.SELU()', keras: 'layers.Activation("selu")' },
  ];
  for (const a of ACTIVATIONS) {
    it(`activation ${a.onnx}`, () => {
      const onnx = onnxLayer((b) => {
        const [y] = b.node(a.onnx, [b.input('x', 'float32', [2, 32])], {}, { name: 'layer' });
        b.output(y!, 'float32', [2, 32]);
      }, a.opset);
      sameWork(onnx, {
        pytorch: torchLayer(a.torch, [2, 32]),
        ...(a.keras ? { keras: kerasLayer(a.keras, [2, 32]) } : {}),
        ...(a.tflite ? { tflite: tfliteLayer(a.tflite, [f32([2, 32])], [2, 32]) } : {}),
      });
    });
  }

  it('a Dense activation costs what the separate ONNX activation costs', () => {
    const dense = workOf(kerasLayer('layers.Dense(16, activation="sigmoid")', [2, 8]), 'keras');
    const plain = workOf(kerasLayer('layers.Dense(16)', [2, 8]), 'keras');
    const sigmoid = workOf(onnxLayer((b) => {
      const [y] = b.node('Sigmoid', [b.input('x', 'float32', [2, 16])], {}, { name: 'layer' });
      b.output(y!, 'float32', [2, 16]);
    }), 'onnx');
    assert.deepEqual(dense, { macs: plain.macs, elementwise: plain.elementwise + sigmoid.elementwise, transcendental: sigmoid.transcendental });
  });

  it('ReLU6 is an ONNX Clip with constant bounds', () => {
    const onnx = onnxLayer((b) => {
      const [y] = b.node('Clip', [b.input('x', 'float32', [2, 32]), b.scalar('lo', 0), b.scalar('hi', 6)], {}, { name: 'layer' });
      b.output(y!, 'float32', [2, 32]);
    }, 13);
    sameWork(onnx, {
      pytorch: torchLayer('nn.ReLU6()', [2, 32]),
      keras: kerasLayer('layers.ReLU(max_value=6)', [2, 32]),
      tflite: tfliteLayer('RELU6', [f32([2, 32])], [2, 32]),
    });
  });

  for (const mode of ['nearest', 'bilinear'] as const) {
    it(`2× ${mode} upsampling is an ONNX Resize`, () => {
      const onnx = onnxLayer((b) => {
        const scales = b.weight('scales', [4], { dataType: 'float32', dims: [4], values: [1, 1, 2, 2] });
        const [y] = b.node('Resize', [b.input('x', 'float32', [1, 8, 6, 6]), '', scales], { mode: mode === 'nearest' ? 'nearest' : 'linear' }, { name: 'layer' });
        b.output(y!, 'float32', [1, 8, 12, 12]);
      }, 13);
      const torch = torchLayer(`nn.Upsample(scale_factor=2, mode="${mode}")`, [1, 8, 6, 6]);
      const keras = kerasLayer(`layers.UpSampling2D(2, interpolation="${mode}")`, [1, 6, 6, 8]);
      const tflite = mode === 'bilinear' ? tfliteLayer('RESIZE_BILINEAR', [f32([1, 6, 6, 8]), { shape: [2], int32: [12, 12] }], [1, 12, 12, 8]) : undefined;
      assert.deepEqual(workOf(torch, 'pytorch'), workOf(onnx, 'onnx'), 'pytorch differs from ONNX');
      assert.deepEqual(workOf(keras, 'keras'), workOf(onnx, 'onnx'), 'keras differs from ONNX');
      if (tflite) assert.deepEqual(workOf(tflite, 'tflite'), workOf(onnx, 'onnx'), 'tflite differs from ONNX');
    });
  }
});
