// Parameter counts of individual layers against values worked out by hand (and known from the frameworks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import type { SourceLayer } from '../../../src/core/pycode/types';

function only(code: string, options?: Parameters<typeof analyzePythonSource>[1]): SourceLayer {
  const { layers } = analyzePythonSource(code, options);
  assert.equal(layers.length, 1, `expected one layer in ${code}`);
  return layers[0]!;
}

function params(code: string): number | undefined {
  return only(`import torch\nfrom torch import nn\nlayer = ${code}\n`).params;
}

test('convolutions: bias, groups, transposed', () => {
  assert.equal(params('nn.Conv2d(3, 64, 7, bias=False)'), 9408); // 64·3·7·7
  assert.equal(params('nn.Conv2d(64, 128, 3, groups=4)'), 18_560); // 128·(64/4)·9 + 128
  assert.equal(params('nn.Conv1d(16, 32, kernel_size=5)'), 2_592); // 32·16·5 + 32
  assert.equal(params('nn.Conv3d(1, 8, (3, 3, 3))'), 224); // 8·27 + 8
  assert.equal(params('nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)'), 2_056); // 16·8·16 + 8
});

test('convolution shapes and MACs: ResNet stem and a transposed convolution', () => {
  const stem = analyzePythonSource('from torch import nn\n# joule: input=(1, 3, 224, 224)\nstem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False))\n');
  // out 112×112×64 = 802,816 outputs × 3·49 = 118,013,952 MACs (ResNet-50 conv1)
  assert.deepEqual(stem.layers[0]!.outputShape, [1, 64, 112, 112]);
  assert.equal(stem.layers[0]!.macs, 118_013_952);
  const up = analyzePythonSource('from torch import nn\n# joule: input=(1, 16, 8, 8)\nup = nn.Sequential(nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1))\n');
  // (8−1)·2 − 2 + 3 + 1 = 16; MACs = 1024 inputs × 8 × 16 = 131,072
  assert.deepEqual(up.layers[0]!.outputShape, [1, 8, 16, 16]);
  assert.equal(up.layers[0]!.macs, 131_072);
  const same = analyzePythonSource('from torch import nn\n# joule: input=(2, 4, 10)\nm = nn.Sequential(nn.Conv1d(4, 4, 3, padding="same"))\n');
  assert.deepEqual(same.layers[0]!.outputShape, [2, 4, 10]);
});

test('PyTorch recurrent layers keep two bias vectors per gate block', () => {
  assert.equal(params('nn.LSTM(10, 20)'), 2_560); // 4·20·(10+20) + 2·4·20
  assert.equal(params('nn.GRU(10, 20, num_layers=2)'), 4_440); // 1,920 + 3·20·40 + 120
  assert.equal(params("nn.RNN(10, 20, 2, 'relu')"), 1_480); // nonlinearity is the 4th positional: 640 + 840
  assert.equal(params('nn.RNN(10, 20, 2, bias=False)'), 1_400);
  assert.equal(params('nn.LSTM(10, 20, proj_size=5)'), 1_460); // 800 + 80·5 + 160 + 5·20
  assert.equal(params('nn.LSTMCell(10, 20)'), 2_560);
});

test('attention and Transformer layers', () => {
  assert.equal(params('nn.MultiheadAttention(512, 8)'), 1_050_624); // 4·512² + 4·512
  assert.equal(params('nn.MultiheadAttention(64, 4, kdim=32, vdim=16, bias=False)'), 64 * (64 + 32 + 16) + 64 * 64);
  assert.equal(params('nn.TransformerEncoderLayer(512, 8)'), 3_152_384); // + 2·512·2048 + 2048 + 512 + 4·512
  assert.equal(params('nn.TransformerDecoderLayer(512, 8)'), 4_204_032); // two attentions, three norms
  assert.equal(params('nn.Transformer()'), 6 * 3_152_384 + 6 * 4_204_032 + 2 * 1024); // 44,140,544
});

test('normalization: trainable parameters versus running-statistics buffers', () => {
  const batchNorm = only('from torch import nn\nbn = nn.BatchNorm1d(100, affine=False)\n');
  assert.equal(batchNorm.params, 0);
  assert.equal(batchNorm.buffers, 200);
  assert.equal(params('nn.BatchNorm2d(64)'), 128);
  assert.equal(params('nn.LayerNorm([64, 32])'), 4_096);
  assert.equal(params('nn.LayerNorm(64, bias=False)'), 64);
  assert.equal(params('nn.GroupNorm(8, 64)'), 128);
  assert.equal(params('nn.InstanceNorm2d(64)'), 0);
});

test('weight bytes follow dtype= and the dtypeBytes option', () => {
  const half = only('import torch\nfrom torch import nn\ne = nn.Embedding(1000, 64, dtype=torch.float16)\n');
  assert.equal(half.params, 64_000);
  assert.equal(half.weightBytes, 128_000);
  const option = only('from torch import nn\nfc = nn.Linear(10, 10)\n', { dtypeBytes: 1 });
  assert.equal(option.weightBytes, 110);
});

test('Keras layers take their input size from the input shape', () => {
  const analysis = analyzePythonSource([
    'from tensorflow.keras import layers',
    'import keras',
    'inputs = keras.Input(shape=(10, 32))',
    'a = layers.LSTM(64)(inputs)',
    'b = layers.GRU(64, return_sequences=True)(inputs)',
    'c = layers.SimpleRNN(64)(inputs)',
    'd = layers.MultiHeadAttention(num_heads=2, key_dim=16)(inputs, inputs)',
    'e = layers.Embedding(1000, 64)',
    'f = layers.Conv1D(8, 3, strides=2, padding="same")(inputs)',
    'g = layers.LayerNormalization()(inputs)',
    '',
  ].join('\n'));
  const byKind = new Map(analysis.layers.map((layer) => [layer.kind, layer]));
  assert.equal(byKind.get('LSTM')?.params, 24_832); // 4·(64·(32+64) + 64)
  assert.deepEqual(byKind.get('LSTM')?.outputShape, [1, 64]);
  assert.equal(byKind.get('GRU')?.params, 18_816); // 3·64·96 + 2·3·64 (reset_after=True)
  assert.deepEqual(byKind.get('GRU')?.outputShape, [1, 10, 64]);
  assert.equal(byKind.get('SimpleRNN')?.params, 6_208); // 64·96 + 64
  assert.equal(byKind.get('MultiHeadAttention')?.params, 4_224); // 4 × (32·2·16 + 32)
  assert.equal(byKind.get('Embedding')?.params, 64_000);
  assert.deepEqual(byKind.get('Conv1D')?.outputShape, [1, 5, 8]); // ceil(10 / 2)
  assert.equal(byKind.get('Conv1D')?.params, 3 * 32 * 8 + 8);
  assert.equal(byKind.get('LayerNormalization')?.params, 64);
});

test('a Keras Dense layer without any input shape reports unknown parameters with a reason', () => {
  const dense = only('from keras import layers\nd = layers.Dense(10)\n');
  assert.equal(dense.params, undefined);
  assert.match(dense.note ?? '', /input shape/);
});

test('layers without a cost rule are listed, never silently zero', () => {
  const layer = only('from torch import nn\nx = nn.Bilinear(4, 4, 2)\n');
  assert.equal(layer.kind, 'Bilinear');
  assert.equal(layer.params, undefined);
  assert.match(layer.note ?? '', /no cost rule/);
});

test('wrappers: TransformerEncoder repeats its template, Bidirectional and TimeDistributed wrap Keras layers', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    'from tensorflow.keras import layers',
    'import tensorflow as tf',
    '# joule: input=(2, 10, 64)',
    'class Enc(nn.Module):',
    '    def __init__(self, d=64):',
    '        super().__init__()',
    '        layer = nn.TransformerEncoderLayer(d, 4, dim_feedforward=128, batch_first=True)',
    '        self.encoder = nn.TransformerEncoder(layer, num_layers=3)',
    '    def forward(self, x):',
    '        return self.encoder(x)',
    'inputs = tf.keras.Input(shape=(20, 8))',
    'x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(inputs)',
    'x = layers.TimeDistributed(layers.Dense(4))(x)',
    'm = tf.keras.Model(inputs, x)',
    '',
  ].join('\n'));
  const byVariable = new Map(analysis.layers.map((layer) => [layer.variable, layer]));
  // Encoder layer d=64, ff=128: 16,640 + 16,576 + 256 = 33,472; three deep copies
  assert.equal(byVariable.get('layer')?.params, 33_472);
  assert.equal(byVariable.get('self.encoder')?.params, 100_416);
  assert.deepEqual(analysis.models[0]!.totals.params, 100_416, 'the template is not counted twice');
  // Bidirectional LSTM(16) on 8 features: 2 × 4·(16·24 + 16) = 3,200; outputs concatenated
  assert.equal(byVariable.get('Bidirectional@13')?.params, 3_200);
  assert.deepEqual(byVariable.get('Bidirectional@13')?.outputShape, [1, 20, 32]);
  // TimeDistributed(Dense(4)) on 32 features: 132 shared parameters, 20 steps × 128 MACs
  assert.equal(byVariable.get('TimeDistributed@14')?.params, 132);
  assert.equal(byVariable.get('TimeDistributed@14')?.macs, 2_560);
  assert.equal(analysis.models[1]!.totals.params, 3_332);
});
