// Shape propagation through forward(), nn.Sequential, keras.Sequential and the functional API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';

const LENET = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.conv1 = nn.Conv2d(3, 6, 5)',
  '        self.pool = nn.MaxPool2d(2, 2)',
  '        self.conv2 = nn.Conv2d(6, 16, 5)',
  '        self.fc1 = nn.Linear(16 * 5 * 5, 120)',
  '        self.fc2 = nn.Linear(120, 84)',
  '        self.fc3 = nn.Linear(84, 10)',
  '    def forward(self, x):',
  '        x = self.pool(F.relu(self.conv1(x)))',
  '        x = self.pool(F.relu(self.conv2(x)))',
  '        x = torch.flatten(x, 1)',
  '        x = F.relu(self.fc1(x))',
  '        x = F.relu(self.fc2(x))',
  '        x = self.fc3(x)',
  '        return x',
  '',
].join('\n');

test('the PyTorch tutorial LeNet with an input shape given as an option', () => {
  const analysis = analyzePythonSource(LENET, { inputShape: [1, 3, 32, 32] });
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.inputShapeSource, 'option');
  // 456 + 2,416 + 48,120 + 10,164 + 850
  assert.equal(model.totals.params, 62_006);
  // conv1 28·28·6 × 75 = 352,800; conv2 10·10·16 × 150 = 240,000; fc 48,000 + 10,080 + 840
  assert.equal(model.totals.macs, 651_720);
  const pool = analysis.layers[1]!;
  assert.deepEqual(pool.inputShape, [1, 6, 28, 28]);
  assert.match(pool.note ?? '', /called 2 times/);
  assert.equal(pool.cost?.activationInputs.length, 2);
});

test('without an input shape, parameters stay and the model says how to give one', () => {
  const analysis = analyzePythonSource(LENET);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.totals.params, 62_006);
  assert.equal(model.totals.macs, undefined);
  assert.match(model.shapeNote ?? '', /# joule: input=/);
  assert.equal(analysis.layers[0]!.macs, undefined);
  assert.equal(analysis.layers[0]!.cost, undefined);
});

test('view(x.size(0), -1), batch from x.shape, nested Sequential and ModuleList loops', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    '# joule: input=(2, 3, 8, 8)',
    'class Model(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)))',
    '        self.blocks = nn.ModuleList([nn.Linear(16, 16), nn.Linear(16, 16)])',
    '        self.head = nn.Linear(16, 3)',
    '    def forward(self, x):',
    '        b, c, h, w = x.shape',
    '        x = self.features(x)',
    '        x = x.view(b, -1)',
    '        for block in self.blocks:',
    '            x = block(x) + x',
    '        out = self.head(x)',
    '        return out.softmax(-1)',
    '',
  ].join('\n'));
  assert.deepEqual(analysis.layers.map((layer) => layer.variable), [
    'self.features[0]', 'self.features[1]', 'self.features[2]', 'self.blocks[0]', 'self.blocks[1]', 'self.head',
  ]);
  assert.deepEqual(analysis.layers[2]!.outputShape, [2, 4, 2, 2]);
  assert.deepEqual(analysis.layers[4]!.inputShape, [2, 16]);
  // conv 2·4·8·8 × 27 = 13,824; each block 2·16·16 = 512; head 2·16·3 = 96
  assert.equal(analysis.models[0]!.totals.macs, 13_824 + 512 + 512 + 96);
});

test('control flow stops propagation with a reason, parameters are still counted', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    '# joule: input=(1, 8)',
    'class Gate(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.a = nn.Linear(8, 8)',
    '        self.b = nn.Linear(8, 2)',
    '    def forward(self, x):',
    '        if x.sum() > 0:',
    '            x = self.a(x)',
    '        return self.b(x)',
    '',
  ].join('\n'));
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.totals.params, 72 + 18);
  assert.equal(model.totals.macs, undefined);
  assert.match(model.shapeNote ?? '', /line 9: shapes are not followed through if blocks/);
  assert.match(analysis.layers[1]!.note ?? '', /if blocks/);
});

test('LSTM tuple outputs, MultiheadAttention self-attention and the last time step', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    '# joule: input=(3, 7, 16)',
    'class Tagger(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.attn = nn.MultiheadAttention(16, 2, batch_first=True)',
    '        self.rnn = nn.GRU(16, 8, batch_first=True)',
    '        self.out = nn.Linear(8, 4)',
    '    def forward(self, x):',
    '        x, _ = self.attn(x, x, x)',
    '        y = self.rnn(x)[0]',
    '        return self.out(y[:, -1])',
    '',
  ].join('\n'));
  const [attn, rnn, out] = analysis.layers;
  assert.ok(attn && rnn && out);
  // L=7, N=3, E=16: projections 3·(7·3·16·16) + out 7·3·16·16 = 21,504; scores and mix 2·3·7·7·16 = 4,704
  assert.equal(attn.macs, 26_208);
  assert.deepEqual(rnn.outputShape, [3, 7, 8]);
  assert.equal(rnn.macs, 21 * 3 * 8 * (16 + 8)); // 21 steps × 3 gates × 8 × 24
  assert.deepEqual(out.inputShape, [3, 8]);
  assert.ok(analysis.models[0]!.totals.macs !== undefined);
});

test('Keras Sequential grown with model.add and started with keras.Input', () => {
  const analysis = analyzePythonSource([
    'import keras',
    'from keras import layers',
    'model = keras.Sequential(name="mlp")',
    'model.add(keras.Input(shape=(784,)))',
    'model.add(layers.Dense(64, activation="relu"))',
    'model.add(layers.Dense(10))',
    '',
  ].join('\n'));
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.inputShapeSource, 'keras-input');
  assert.deepEqual(model.inputShape, [1, 784]);
  assert.equal(model.totals.params, 784 * 64 + 64 + 64 * 10 + 10);
  assert.equal(model.totals.macs, 784 * 64 + 640);
});

test('Keras functional API with a residual Add and a reused layer variable', () => {
  const analysis = analyzePythonSource([
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'inputs = keras.Input(shape=(16,), batch_size=4)',
    'dense = layers.Dense(16, name="shared")',
    'x = dense(inputs)',
    'y = layers.Add()([x, inputs])',
    'outputs = layers.Dense(2)(y)',
    'unused = layers.Dense(99)(inputs)',
    'model = keras.Model(inputs, outputs)',
    '',
  ].join('\n'));
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.name, 'model');
  assert.deepEqual(model.inputShape, [4, 16]);
  assert.deepEqual(model.layerIndices.map((index) => analysis.layers[index]!.variable), ['dense', 'Add@6', 'Dense@7']);
  assert.equal(model.totals.params, 16 * 16 + 16 + 34);
  assert.equal(model.totals.macs, 4 * 256 + 4 * 32);
});

test('an input shape that does not fit a layer is explained on the layer', () => {
  const analysis = analyzePythonSource('from torch import nn\n# joule: input=(1, 5)\nm = nn.Sequential(nn.Linear(4, 2))\n');
  assert.equal(analysis.models[0]!.totals.macs, undefined);
  assert.match(analysis.layers[0]!.note ?? '', /expects last dimension 4, got \(1, 5\)/);
});

test('custom nn.Module blocks defined in the file count as layers with their own totals', () => {
  const analysis = analyzePythonSource([
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'class BasicBlock(nn.Module):',
    '    def __init__(self, cin, cout, stride=1):',
    '        super().__init__()',
    '        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)',
    '        self.bn1 = nn.BatchNorm2d(cout)',
    '        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)',
    '        self.bn2 = nn.BatchNorm2d(cout)',
    '    def forward(self, x):',
    '        out = F.relu(self.bn1(self.conv1(x)))',
    '        out = self.bn2(self.conv2(out))',
    '        return F.relu(out + x)',
    '# joule: input=(1, 3, 32, 32)',
    'class TinyResNet(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)',
    '        self.layer1 = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 16))',
    '        self.fc = nn.Linear(16, 10)',
    '    def forward(self, x):',
    '        x = self.layer1(self.stem(x))',
    '        x = F.adaptive_avg_pool2d(x, 1).flatten(1)',
    '        return self.fc(x)',
    'model = TinyResNet()',
    '',
  ].join('\n'));
  const resnet = analysis.models.find((model) => model.name === 'TinyResNet');
  assert.ok(resnet);
  const blocks = resnet.layerIndices.map((index) => analysis.layers[index]!).filter((layer) => layer.kind === 'BasicBlock');
  // Block: two 16→16 3×3 convolutions 2·2,304 + two BatchNorms 2·32 = 4,672; MACs 2 · 32·32·16 · 144
  assert.deepEqual(blocks.map((block) => [block.variable, block.params, block.buffers, block.macs]), [
    ['self.layer1[0]', 4_672, 64, 4_718_592],
    ['self.layer1[1]', 4_672, 64, 4_718_592],
  ]);
  // stem 432 + blocks 9,344 + fc 170; MACs 442,368 + 9,437,184 + 160
  assert.equal(resnet.totals.params, 9_946);
  assert.equal(resnet.totals.buffers, 128);
  assert.equal(resnet.totals.macs, 9_879_712);
  // The instance at module level is the model itself, not a layer.
  assert.equal(analysis.layers.filter((layer) => layer.kind === 'TinyResNet').length, 0);
  const block = analysis.models.find((model) => model.name === 'BasicBlock');
  assert.equal(block?.unresolvedLayers, 4);
});

test('ModuleList of range() copies: parameters × n, and the forward loop applies each copy', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    'N_LAYERS = 4',
    'class Block(nn.Module):',
    '    def __init__(self, d=32):',
    '        super().__init__()',
    '        self.norm = nn.LayerNorm(d)',
    '        self.ff = nn.Linear(d, d)',
    '    def forward(self, x):',
    '        return x + self.ff(self.norm(x))',
    '# joule: input=(2, 8, 32)',
    'class Stack(nn.Module):',
    '    def __init__(self, d=32):',
    '        super().__init__()',
    '        self.blocks = nn.ModuleList([Block(d) for _ in range(N_LAYERS)])',
    '        self.head = nn.Linear(d, 10)',
    '    def forward(self, x):',
    '        for block in self.blocks:',
    '            x = block(x)',
    '        return self.head(x)',
    '',
  ].join('\n'));
  const stack = analysis.models.find((model) => model.name === 'Stack');
  assert.ok(stack);
  const blocks = analysis.layers.find((layer) => layer.variable === 'self.blocks[*]');
  // Block: LayerNorm 64 + Linear(32, 32) 1,056 = 1,120; four copies
  assert.equal(blocks?.params, 4_480);
  assert.match(blocks?.note ?? '', /4 copies/);
  // per block 2·8·32·32 = 16,384 MACs × 4; head 2·8·32·10 = 5,120
  assert.equal(blocks?.macs, 65_536);
  assert.equal(stack.totals.params, 4_480 + 330);
  assert.equal(stack.totals.macs, 70_656);
});

test('keras model.build((None, n)) gives the Sequential its input shape', () => {
  const analysis = analyzePythonSource('import keras\nfrom keras import layers\nmodel = keras.Sequential([layers.Dense(8), layers.Dense(2)])\nmodel.build((None, 16))\n');
  assert.deepEqual(analysis.models[0]!.inputShape, [1, 16]);
  assert.equal(analysis.models[0]!.totals.params, 16 * 8 + 8 + 8 * 2 + 2);
});
