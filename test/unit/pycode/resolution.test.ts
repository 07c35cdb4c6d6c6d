// How layer calls are recognised (imports, aliases) and how their arguments are resolved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';

test('import forms and aliases of torch.nn and keras.layers', () => {
  const analysis = analyzePythonSource([
    'import torch',
    'import torch.nn as tnn',
    'from torch.nn import Conv2d, Linear as Dense_',
    'from tensorflow.keras import layers as kl',
    'import tensorflow as tf',
    'import keras',
    'a = tnn.Linear(4, 2)',
    'b = Conv2d(1, 2, 3)',
    'c = Dense_(3, 3)',
    'd = kl.Dense(5)',
    'e = tf.keras.layers.Dense(5)',
    'f = keras.layers.Dense(5)',
    'g = torch.nn.Linear(2, 2)',
    'h = foo.Linear(3, 3)',
    'i = Linear(3, 3)',
    '',
  ].join('\n'));
  assert.deepEqual(analysis.layers.map((layer) => [layer.variable, layer.framework, layer.kind, layer.params]), [
    ['a', 'pytorch', 'Linear', 10],
    ['b', 'pytorch', 'Conv2d', 20],
    ['c', 'pytorch', 'Linear', 12],
    ['d', 'keras', 'Dense', undefined],
    ['e', 'keras', 'Dense', undefined],
    ['f', 'keras', 'Dense', undefined],
    ['g', 'pytorch', 'Linear', 6],
  ]);
});

test('conventional names work without imports (snippets): nn.* and layers.*', () => {
  const analysis = analyzePythonSource('fc = nn.Linear(8, 4)\nd = layers.Dense(3)\n');
  assert.deepEqual(analysis.layers.map((layer) => layer.framework), ['pytorch', 'keras']);
});

test('constants, arithmetic, constructor defaults, tuples and class attributes', () => {
  const analysis = analyzePythonSource([
    'from torch import nn',
    'C = 64',
    'HIDDEN = C * 4',
    'KERNEL = (3, 5)',
    'class Block(nn.Module):',
    '    def __init__(self, c=C, expand: int = 2, *, bias=False):',
    '        super().__init__()',
    '        inner = c * expand',
    '        self.width = inner // 2',
    '        self.a = nn.Linear(2 * C, C // 4)',
    '        self.b = nn.Linear(HIDDEN + 1, inner, bias=bias)',
    '        self.c = nn.Conv2d(c, self.width, KERNEL)',
    '        self.d = nn.Linear(int(C / 2), max(C, 10) if C > 8 else 1)',
    '        self.e = nn.Linear(n_in, 10)',
    '',
  ].join('\n'));
  const [a, b, c, d, e] = analysis.layers;
  assert.ok(a && b && c && d && e);
  assert.equal(a.params, 128 * 16 + 16);
  assert.equal(b.params, 257 * 128); // bias=False through the parameter default
  assert.equal(c.params, 64 * 64 * 15 + 64); // self.width = 128 // 2; kernel (3, 5)
  assert.equal(d.params, 32 * 64 + 64);
  assert.equal(e.params, undefined);
  assert.match(e.note ?? '', /n_in/);
  assert.equal(analysis.models[0]!.unresolvedLayers, 1);
  assert.equal(analysis.models[0]!.totals.params, a.params + b.params + c.params + d.params);
});

test('a parameter without default names itself in the note', () => {
  const { layers } = analyzePythonSource('from torch import nn\ndef make(width):\n    return nn.Linear(width, 10)\n');
  assert.equal(layers[0]!.params, undefined);
  assert.match(layers[0]!.note ?? '', /`width` is a parameter without a default/);
});

test('ranges are 0-based line/character of the call and its argument list', () => {
  const text = 'from torch import nn\n\nclass M(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(4, 2)\n';
  const analysis = analyzePythonSource(text);
  const [layer] = analysis.layers;
  assert.ok(layer);
  assert.deepEqual(layer.range, { start: { line: 4, character: 18 }, end: { line: 4, character: 33 } });
  assert.deepEqual(layer.argsRange, { start: { line: 4, character: 27 }, end: { line: 4, character: 33 } });
  assert.deepEqual(analysis.models[0]!.nameRange, { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } });
});

test('syntax errors elsewhere in the file do not stop the analysis', () => {
  const analysis = analyzePythonSource('from torch import nn\nfc = nn.Linear(4, 2)\ndef broken(:\n    pass\nfc2 = nn.Linear(2, 1)\n');
  assert.deepEqual(analysis.layers.map((layer) => layer.params), [10, 3]);
});

test('unreadable joule hints become warnings', () => {
  const analysis = analyzePythonSource('from torch import nn\n# joule: input=(1, x)\nm = nn.Sequential(nn.Linear(2, 2))\n');
  assert.equal(analysis.warnings.length, 1);
  assert.match(analysis.warnings[0]!.message, /positive integers/);
});
