// Exact parameter counts and MACs of the Python fixtures, computed by hand in the comments.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import type { SourceAnalysis } from '../../../src/core/pycode/types';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/python');

function analyzeFixture(name: string): SourceAnalysis {
  return analyzePythonSource(fs.readFileSync(path.join(fixtures, name), 'utf8'));
}

function table(analysis: SourceAnalysis): [string, string, number | undefined, number | undefined][] {
  return analysis.layers.map((layer) => [layer.variable, layer.kind, layer.params, layer.macs]);
}

test('PyTorch CNN class: parameters, shapes through forward() and MACs', () => {
  const analysis = analyzeFixture('pytorch_cnn.py');
  assert.deepEqual(table(analysis), [
    // Conv2d(3, 32, 3, padding=1, bias=False): 32·3·3·3 = 864; out (1,32,32,32): 32768 outputs × 3·9 = 884,736
    ['self.conv1', 'Conv2d', 864, 884_736],
    // BatchNorm2d(32): weight + bias = 64 trainable (running mean/var are buffers)
    ['self.bn1', 'BatchNorm2d', 64, 0],
    // Conv2d(32, 64, 3, stride=2, padding=1): 64·32·9 + 64 = 18,496; out 16×16: 16384 × 288 = 4,718,592
    ['self.conv2', 'Conv2d', 18_496, 4_718_592],
    ['self.pool', 'MaxPool2d', 0, 0],
    ['self.dropout', 'Dropout', 0, 0],
    // Linear(4096, 128): 4096·128 + 128 = 524,416; MACs 524,288
    ['self.fc1', 'Linear', 524_416, 524_288],
    // Linear(128, 10): 1,290; MACs 1,280
    ['self.fc2', 'Linear', 1_290, 1_280],
  ]);
  assert.deepEqual(analysis.layers[1]!.buffers, 64);
  assert.deepEqual(analysis.layers[4]!.outputShape, [1, 64, 8, 8]);
  assert.deepEqual(analysis.layers[5]!.inputShape, [1, 4096]);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.name, 'SmallCNN');
  assert.equal(model.kind, 'class');
  assert.equal(model.inputShapeSource, 'comment');
  assert.deepEqual(model.totals, { params: 545_130, buffers: 64, weightBytes: 545_130 * 4, macs: 6_128_896 });
  assert.deepEqual(model.layerIndices, [0, 1, 2, 3, 4, 5, 6]);
});

test('nn.Sequential MLP: flatten then three Linear layers', () => {
  const analysis = analyzeFixture('pytorch_mlp.py');
  // Linear(784, 256) = 200,960; Linear(256, 128) = 32,896; Linear(128, 10) = 1,290
  assert.deepEqual(analysis.layers.filter((l) => l.kind === 'Linear').map((l) => l.params), [200_960, 32_896, 1_290]);
  assert.deepEqual(analysis.layers.map((l) => l.variable), ['mlp[0]', 'mlp[1]', 'mlp[2]', 'mlp[3]', 'mlp[4]', 'mlp[5]']);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.kind, 'sequential');
  assert.deepEqual(model.inputShape, [1, 1, 28, 28]);
  // 200,704 + 32,768 + 1,280 MACs
  assert.deepEqual(model.totals, { params: 235_146, buffers: 0, weightBytes: 940_584, macs: 234_752 });
});

test('Keras Sequential CNN with input_shape: the published 34,826 parameters', () => {
  const analysis = analyzeFixture('keras_cnn.py');
  assert.deepEqual(table(analysis), [
    // Conv2D(32, 3×3) on 28×28×1: 3·3·1·32 + 32 = 320; out 26×26×32 = 21,632 × 9 = 194,688
    ['model.layers[0]', 'Conv2D', 320, 194_688],
    ['model.layers[1]', 'MaxPooling2D', 0, 0],
    // Conv2D(64, 3×3) on 13×13×32: 3·3·32·64 + 64 = 18,496; out 11×11×64 = 7,744 × 288 = 2,230,272
    ['model.layers[2]', 'Conv2D', 18_496, 2_230_272],
    ['model.layers[3]', 'MaxPooling2D', 0, 0],
    ['model.layers[4]', 'Flatten', 0, 0],
    ['model.layers[5]', 'Dropout', 0, 0],
    // Dense(10) on 5·5·64 = 1,600: 16,010; MACs 16,000
    ['model.layers[6]', 'Dense', 16_010, 16_000],
  ]);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.framework, 'keras');
  assert.equal(model.inputShapeSource, 'input_shape');
  assert.deepEqual(model.totals.params, 34_826);
  assert.deepEqual(model.totals.macs, 2_440_960);
});

test('Keras functional model: BatchNormalization buffers, depthwise and separable convolutions', () => {
  const analysis = analyzeFixture('keras_functional.py');
  assert.deepEqual(table(analysis), [
    // Conv2D(16, 3, same, no bias) on 32×32×3: 432; 32·32·16 × 27 = 442,368
    ['Conv2D@7', 'Conv2D', 432, 442_368],
    // BatchNormalization: gamma + beta = 32 trainable, moving mean/variance = 32 non-trainable
    ['BatchNormalization@8', 'BatchNormalization', 32, 0],
    ['ReLU@9', 'ReLU', 0, 0],
    // DepthwiseConv2D(3, strides=2, same): 3·3·16 + 16 = 160; out 16×16×16 × 9 = 36,864
    ['DepthwiseConv2D@10', 'DepthwiseConv2D', 160, 36_864],
    // SeparableConv2D(32, 3): depthwise 144 + pointwise 16·32 + bias 32 = 688; 256·16·9 + 256·16·32 = 167,936
    ['SeparableConv2D@11', 'SeparableConv2D', 688, 167_936],
    ['GlobalAveragePooling2D@12', 'GlobalAveragePooling2D', 0, 0],
    // Dense(10) on 32: 330; MACs 320
    ['Dense@13', 'Dense', 330, 320],
  ]);
  assert.equal(analysis.layers[1]!.buffers, 32);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.kind, 'functional');
  assert.equal(model.name, 'build_model');
  assert.deepEqual(model.inputShape, [1, 32, 32, 3]);
  assert.deepEqual(model.totals, { params: 1_642, buffers: 32, weightBytes: 1_642 * 4, macs: 647_488 });
});

test('PyTorch sequence model: Embedding, TransformerEncoderLayer, bidirectional LSTM, LayerNorm', () => {
  const analysis = analyzeFixture('pytorch_sequence.py');
  assert.deepEqual(table(analysis), [
    // Embedding(10000, 128) = 1,280,000; a lookup has no MACs
    ['self.embed', 'Embedding', 1_280_000, 0],
    // d=128, ff=512: attention 4d² + 4d = 66,048; FFN 2·d·ff + ff + d = 131,712; 2 LayerNorms 512 → 198,272
    // MACs (L=32, N=4): 4·L·N·d² + 2·N·L²·d = 9,437,184; FFN 2·L·N·d·ff = 16,777,216
    ['self.encoder_layer', 'TransformerEncoderLayer', 198_272, 26_214_400],
    // LSTM(128, 64, 2 layers, bidirectional): per layer and direction 4·64·(128+64) + 2·4·64 = 49,664; ×4 = 198,656
    // MACs: 128 steps × 4 × 49,152 = 25,165,824
    ['self.lstm', 'LSTM', 198_656, 25_165_824],
    ['self.norm', 'LayerNorm', 256, 0],
    // Linear(128, 5) on x[:, -1, :] of shape (4, 128): 645 params, 4·128·5 = 2,560 MACs
    ['self.head', 'Linear', 645, 2_560],
  ]);
  assert.deepEqual(analysis.layers[2]!.outputShape, [4, 32, 128]);
  assert.deepEqual(analysis.layers[4]!.inputShape, [4, 128]);
  assert.deepEqual(analysis.models[0]!.totals, { params: 1_677_829, buffers: 0, weightBytes: 1_677_829 * 4, macs: 51_382_784 });
});

test('every fixture parses without warnings and every layer of a traced model carries a LayerCost', () => {
  for (const name of fs.readdirSync(fixtures).filter((file) => file.endsWith('.py'))) {
    const analysis = analyzeFixture(name);
    assert.deepEqual(analysis.warnings, [], name);
    const traced = analysis.models.filter((model) => model.totals.macs !== undefined);
    assert.ok(traced.length > 0, `${name} has no traced model`);
    for (const layer of traced.flatMap((model) => model.layerIndices.map((index) => analysis.layers[index]!))) {
      assert.ok(layer.cost, `${name}: ${layer.variable} has no cost`);
      assert.equal(layer.cost.macs, layer.macs);
      assert.equal(layer.cost.flops.mac, 2 * (layer.macs ?? 0));
      assert.equal(layer.cost.precision, 'fp32');
    }
  }
});

test('ResNet-18 written out block by block matches torchvision: 11,689,512 parameters, 1.814 GMACs', () => {
  const analysis = analyzeFixture('pytorch_resnet18.py');
  const resnet = analysis.models.find((model) => model.name === 'ResNet18');
  assert.ok(resnet);
  // conv1 9,408 + bn1 128 + layer1 147,968 + layer2 525,568 + layer3 2,099,712 + layer4 8,393,728 + fc 513,000
  assert.equal(resnet.totals.params, 11_689_512);
  // conv1 118,013,952 + layer1 4·115,605,504 + 3 × (57,802,752 + 3·115,605,504 + 6,422,528) + fc 512,000
  assert.equal(resnet.totals.macs, 1_814_073_344);
  const blocks = resnet.layerIndices.map((index) => analysis.layers[index]!).filter((layer) => layer.kind === 'BasicBlock');
  // Only the first block of stages 2-4 has the 1×1 shortcut (taken branch of `if stride != 1 or cin != cout`).
  assert.deepEqual(blocks.map((block) => block.params), [73_984, 73_984, 230_144, 295_424, 919_040, 1_180_672, 3_673_088, 4_720_640]);
  assert.deepEqual(blocks[2]!.outputShape, [1, 128, 28, 28]);
});
