import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelFormatError } from '../../../src/core/errors';
import { BufferByteSource, withFileSource } from '../../../src/core/io/byteSource';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { seededFloats, hashString } from '../../../src/core/onnx/seededWeights';
import { readTensorData } from '../../../src/core/onnx/tensorData';
import { buildSmallCnn, buildTransformerBlock } from './fixtures';

const read = (bytes: Uint8Array) => readOnnxModel(new BufferByteSource(bytes, 'test.onnx'));

test('reads the CNN structure, opsets and weight locations without decoding large weights', () => {
  const bytes = buildSmallCnn().toBytes();
  const m = read(bytes);
  assert.equal(m.format, 'onnx');
  assert.equal(m.producer, 'joule-builder');
  assert.equal(m.irVersion, 8);
  assert.equal(m.opsetImports.get(''), 17);
  assert.deepEqual(m.graph.nodes.map((n) => n.name), ['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'gap', 'flatten', 'fc']);
  assert.deepEqual(m.graph.inputs, ['input']);
  assert.deepEqual(m.graph.outputs, ['logits']);
  assert.equal(m.graph.initializers.length, 6);
  assert.deepEqual(m.graph.values.get('input')!.type, { dataType: 'float32', shape: ['batch', 3, 32, 32] });
  const conv = m.graph.nodes[0]!;
  assert.deepEqual(conv.attributes.get('pads'), { type: 'ints', value: [1, 1, 1, 1] });
  const w = m.graph.values.get('conv2.weight')!.constant!;
  assert.deepEqual(w.dims, [32, 16, 3, 3]);
  assert.equal(w.byteLength, 32 * 16 * 9 * 4);
  assert.equal(w.values, undefined, 'large weights are not decoded');
  assert.equal(w.location.kind, 'embedded');
  const data = readTensorData(new BufferByteSource(bytes), w);
  assert.deepEqual(data, seededFloats([32, 16, 3, 3], (hashString('conv2.weight') ^ 1) >>> 0));
  assert.deepEqual(m.warnings, []);
});

test('keeps small int64 tensors decoded and treats Constant nodes as weights', () => {
  const b = buildTransformerBlock();
  b.node('Constant', [], { value_ints: [1, -1, 8] }, { outputs: ['const_shape'] });
  b.node('Constant', [], { value: { tensor: { dataType: 'int64', dims: [2], values: [3n, 4n] } } }, { outputs: ['const_t'] });
  const m = read(b.toBytes());
  assert.deepEqual(m.graph.values.get('heads_dims')!.constant!.values, [4, 8]);
  assert.deepEqual(m.graph.values.get('idx1')!.constant!.values, [1]);
  assert.deepEqual(m.graph.values.get('const_shape')!.constant!.values, [1, -1, 8]);
  assert.deepEqual(m.graph.values.get('const_t')!.constant!.values, [3, 4]);
  assert.deepEqual(m.graph.values.get('const_t')!.type, { dataType: 'int64', shape: [2] });
  assert.equal(m.graph.values.get('ln.weight')!.constant!.values!.length, 32, 'small float weights keep values');
});

test('every tensor data type round-trips through readTensorData (raw and typed fields)', () => {
  const cases: { dataType: Parameters<OnnxBuilder['weight']>[2] extends unknown ? string : never; values: number[] }[] = [
    { dataType: 'float32', values: [1.5, -2, 0] }, { dataType: 'float64', values: [1e-300, 2] },
    { dataType: 'float16', values: [1, -0.5, 65504] }, { dataType: 'bfloat16', values: [1, -256, 0.5] },
    { dataType: 'int8', values: [-128, 127] }, { dataType: 'uint8', values: [0, 255] },
    { dataType: 'int16', values: [-32768, 5] }, { dataType: 'uint16', values: [65535] },
    { dataType: 'int32', values: [-5, 1 << 30] }, { dataType: 'uint32', values: [4294967295] },
    { dataType: 'int64', values: [-3, 2 ** 40] }, { dataType: 'uint64', values: [2 ** 50] },
    { dataType: 'bool', values: [1, 0, 1] }, { dataType: 'int4', values: [-8, 7, -1] }, { dataType: 'uint4', values: [15, 0, 3] },
  ];
  for (const encoding of ['raw', 'typed'] as const) {
    const b = new OnnxBuilder();
    for (const c of cases) {
      b.weight(`${c.dataType}_w`, [c.values.length], { dataType: c.dataType as 'float32', dims: [c.values.length], values: c.values, encoding });
    }
    b.weight('names', [2], { dims: [2], strings: ['alpha', 'βeta'] });
    const bytes = b.toBytes();
    const m = read(bytes);
    for (const c of cases) {
      const ref = m.graph.values.get(`${c.dataType}_w`)!.constant!;
      assert.equal(ref.dataType, c.dataType);
      const got = Array.from(readTensorData(new BufferByteSource(bytes), ref) as ArrayLike<number | bigint>, Number);
      assert.deepEqual(got, c.values, `${c.dataType} (${encoding})`);
      assert.deepEqual(ref.values, c.values, `${c.dataType} small values (${encoding})`);
    }
    const strings = m.graph.values.get('names')!.constant!;
    assert.deepEqual(readTensorData(new BufferByteSource(bytes), strings), ['alpha', 'βeta']);
  }
});

test('float8 and float4 formats decode to float32', () => {
  const b = new OnnxBuilder();
  b.weight('e4m3fn', [4], { dataType: 'float8e4m3fn', dims: [4], raw: Uint8Array.from([0x38, 0xb8, 0x7e, 0x7f]) });
  b.weight('e5m2', [3], { dataType: 'float8e5m2', dims: [3], raw: Uint8Array.from([0x3c, 0x7c, 0x01]) });
  b.weight('e4m3fnuz', [2], { dataType: 'float8e4m3fnuz', dims: [2], raw: Uint8Array.from([0x40, 0x80]) });
  b.weight('f4', [4], { dataType: 'float4e2m1', dims: [4], raw: Uint8Array.from([0x21, 0xf7]) });
  const bytes = b.toBytes();
  const m = read(bytes);
  const get = (n: string): number[] => Array.from(readTensorData(new BufferByteSource(bytes), m.graph.values.get(n)!.constant!) as Float32Array);
  assert.deepEqual(get('e4m3fn').slice(0, 3), [1, -1, 448]);
  assert.ok(Number.isNaN(get('e4m3fn')[3]!));
  assert.deepEqual(get('e5m2'), [1, Infinity, 2 ** -16]);
  assert.equal(get('e4m3fnuz')[0], 1);
  assert.ok(Number.isNaN(get('e4m3fnuz')[1]!));
  assert.deepEqual(get('f4'), [0.5, 1, 6, -6]);
});

test('sorts nodes written out of order (with a warning) and rejects cycles', () => {
  const b = new OnnxBuilder();
  const x = b.input('x', 'float32', [2]);
  b.node('Relu', ['a'], {}, { name: 'second', outputs: ['y'] });
  b.node('Neg', [x], {}, { name: 'first', outputs: ['a'] });
  b.output('y');
  const m = read(b.toBytes());
  assert.deepEqual(m.graph.nodes.map((n) => n.name), ['first', 'second']);
  assert.ok(m.warnings.some((w) => w.includes('topological')));

  const c = new OnnxBuilder();
  c.input('x', 'float32', [2]);
  c.node('Add', ['x', 'q'], {}, { name: 'p', outputs: ['p_out'] });
  c.node('Relu', ['p_out'], {}, { name: 'q', outputs: ['q'] });
  c.output('q');
  assert.throws(() => read(c.toBytes()), (e: unknown) => e instanceof ModelFormatError && /cycle \(p, q\)/.test(e.message));
});

test('decodes If subgraphs, model-local functions, metadata and custom opsets', () => {
  const b = new OnnxBuilder({ opsets: { 'com.microsoft': 1 } });
  const x = b.input('x', 'float32', ['n', 4]);
  const cond = b.input('cond', 'bool', []);
  const thenG = b.subgraph('then');
  thenG.node('Relu', [x], {}, { outputs: ['t'] });
  thenG.output('t', 'float32', ['n', 4]);
  const elseG = b.subgraph('else');
  elseG.node('Neg', [x], {}, { outputs: ['e'] });
  elseG.output('e', 'float32', ['n', 4]);
  b.node('If', [cond], { then_branch: thenG, else_branch: elseG }, { outputs: ['y'] });
  b.addFunction({ domain: 'custom', name: 'Twice', inputs: ['a'], outputs: ['b'] }, (g) => {
    g.node('Add', ['a', 'a'], {}, { outputs: ['b'] });
  });
  b.node('Twice', ['y'], {}, { domain: 'custom', outputs: ['z'] });
  b.node('FastGelu', ['z'], {}, { domain: 'com.microsoft', outputs: ['out'] });
  b.output('out');
  b.metadataProp('author', 'joule');
  const m = read(b.toBytes());
  const ifNode = m.graph.nodes.find((n) => n.opType === 'If')!;
  const thenBranch = ifNode.attributes.get('then_branch');
  assert.equal(thenBranch?.type, 'graph');
  if (thenBranch?.type === 'graph') {
    assert.equal(thenBranch.value.nodes[0]!.opType, 'Relu');
    assert.deepEqual(thenBranch.value.outputs, ['t']);
  }
  assert.deepEqual([...m.functions.keys()], ['custom:Twice']);
  assert.equal(m.functions.get('custom:Twice')!.nodes[0]!.opType, 'Add');
  assert.equal(m.metadata.get('author'), 'joule');
  assert.equal(m.opsetImports.get('com.microsoft'), 1);
  assert.equal(m.opsetImports.get('custom'), 1);
  assert.equal(m.graph.nodes.at(-1)!.domain, 'com.microsoft');
});

test('external data resolves inside the model folder and reads back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-ext-'));
  try {
    const file = path.join(dir, 'cnn.onnx');
    buildSmallCnn().save(file, { externalData: { threshold: 128 } });
    const m = withFileSource(file, (s) => readOnnxModel(s));
    const ref = m.graph.values.get('conv2.weight')!.constant!;
    assert.equal(ref.location.kind, 'external');
    if (ref.location.kind === 'external') assert.equal(ref.location.path, path.join(dir, 'cnn.onnx.data'));
    assert.deepEqual(readTensorData(file, ref), seededFloats([32, 16, 3, 3], (hashString('conv2.weight') ^ 1) >>> 0));
    assert.equal(m.graph.values.get('conv1.bias')!.constant!.location.kind, 'embedded', 'small tensors stay inside');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
