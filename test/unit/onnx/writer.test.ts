import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Attribute, Graph, Model } from '../../../src/core/graph/ir';
import { inferShapes } from '../../../src/core/graph/shapeInference';
import { BufferByteSource, withFileSource } from '../../../src/core/io/byteSource';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { readTensorData } from '../../../src/core/onnx/tensorData';
import { saveOnnxModel, serializeOnnxModel } from '../../../src/core/onnx/writer';
import { buildSmallCnn, buildTransformerBlock } from './fixtures';
import { runWithOrt, seededInput } from './ortHelper';

function describeAttribute(a: Attribute): unknown {
  switch (a.type) {
    case 'graph': return describeGraph(a.value);
    case 'graphs': return a.value.map(describeGraph);
    case 'tensor': return { dataType: a.value.dataType, dims: a.value.dims, values: a.value.values };
    case 'tensors': return a.value.map((t) => ({ dataType: t.dataType, dims: t.dims }));
    default: return a.value;
  }
}

function describeGraph(g: Graph): unknown {
  return {
    nodes: g.nodes.map((n) => ({ name: n.name, op: n.opType, domain: n.domain, inputs: n.inputs, outputs: n.outputs,
      attributes: [...n.attributes].map(([k, a]) => [k, a.type, describeAttribute(a)]) })),
    inputs: g.inputs, outputs: g.outputs, initializers: g.initializers,
    values: [...g.values].map(([k, v]) => [k, v.declaredType, v.constant && { dataType: v.constant.dataType, dims: v.constant.dims, byteLength: v.constant.byteLength, values: v.constant.values }]),
  };
}

function describe(m: Model): unknown {
  return { graph: describeGraph(m.graph), opsets: [...m.opsetImports], metadata: [...m.metadata], functions: [...m.functions.keys()], ir: m.irVersion };
}

function richModel(): OnnxBuilder {
  const b = buildTransformerBlock();
  b.weight('typed_floats', [3], { dataType: 'float32', dims: [3], values: [1, 2, 3], encoding: 'typed' });
  b.weight('typed_ints', [2], { dataType: 'int64', dims: [2], values: [5, -6], encoding: 'typed' });
  b.node('Constant', [], { value_floats: [0.5, 0.25] }, { outputs: ['const_floats'] });
  const thenG = b.subgraph('then');
  thenG.node('Identity', ['const_floats'], {}, { outputs: ['t_out'] });
  thenG.output('t_out', 'float32', [2]);
  const elseG = b.subgraph('else');
  elseG.node('Neg', ['const_floats'], {}, { outputs: ['e_out'] });
  elseG.output('e_out', 'float32', [2]);
  b.node('If', [b.weight('flag', [], { dataType: 'bool', dims: [], values: [1] })], { then_branch: thenG, else_branch: elseG }, { outputs: ['branch'] });
  b.addFunction({ domain: 'local', name: 'Twice', inputs: ['a'], outputs: ['y'] }, (g) => { g.node('Add', ['a', 'a'], {}, { outputs: ['y'] }); });
  b.node('Twice', ['branch'], {}, { domain: 'local', outputs: ['twice'] });
  b.output('twice', 'float32', [2]);
  b.metadataProp('source', 'test');
  return b;
}

test('read -> write -> read keeps the structure, and onnxruntime gives bit-identical outputs', async () => {
  for (const build of [buildSmallCnn, richModel]) {
    const original = build().toBytes();
    const first = readOnnxModel(new BufferByteSource(original));
    const written = serializeOnnxModel(first, { source: new BufferByteSource(original) });
    const second = readOnnxModel(new BufferByteSource(written));
    assert.deepEqual(describe(second), describe(first));
    const [name, dims] = build === buildSmallCnn ? ['input', [2, 3, 32, 32]] : ['hidden_states', [2, 5, 32]];
    const feeds = { [name as string]: { data: seededInput((dims as number[]).reduce((a, b) => a * b, 1)), dims: dims as number[] } };
    const a = await runWithOrt(original, feeds);
    const b = await runWithOrt(written, feeds);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    for (const key of Object.keys(a)) assert.deepEqual(b[key]!.data, a[key]!.data, key);
  }
});

test('shape inference does not leak bound dims into the written declarations', () => {
  const bytes = buildSmallCnn().toBytes();
  const m = readOnnxModel(new BufferByteSource(bytes));
  inferShapes(m, { batch: 8 });
  const again = readOnnxModel(new BufferByteSource(serializeOnnxModel(m, { source: new BufferByteSource(bytes) })));
  assert.deepEqual(again.graph.values.get('input')!.type!.shape, ['batch', 3, 32, 32]);
});

test('changed tensors are written from bytes; unchanged ones are copied', async () => {
  const bytes = buildSmallCnn().toBytes();
  const m = readOnnxModel(new BufferByteSource(bytes));
  const zeroBias = new Uint8Array(40);
  const written = serializeOnnxModel(m, { source: new BufferByteSource(bytes), tensors: new Map([['fc.bias', { dataType: 'float32', dims: [10], bytes: zeroBias }]]) });
  const again = readOnnxModel(new BufferByteSource(written));
  assert.deepEqual(Array.from(readTensorData(new BufferByteSource(written), again.graph.values.get('fc.bias')!.constant!) as Float32Array), new Array(10).fill(0));
  assert.deepEqual(readTensorData(new BufferByteSource(written), again.graph.values.get('conv2.weight')!.constant!),
    readTensorData(new BufferByteSource(bytes), m.graph.values.get('conv2.weight')!.constant!));
});

test('external data: copied from the source folder, written beside a new file, loaded by onnxruntime', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-writer-'));
  try {
    const srcDir = path.join(dir, 'src');
    fs.mkdirSync(srcDir);
    const src = path.join(srcDir, 'cnn.onnx');
    buildSmallCnn().save(src, { externalData: { threshold: 128 } });
    const out = path.join(dir, 'out.onnx');
    withFileSource(src, (source) => saveOnnxModel(readOnnxModel(source), out, { source, externalData: true, threshold: 256 }));
    assert.ok(fs.existsSync(`${out}.data`));
    const reread = withFileSource(out, (s) => readOnnxModel(s));
    assert.equal(reread.graph.values.get('conv2.weight')!.constant!.location.kind, 'external');
    const feeds = { input: { data: seededInput(3 * 32 * 32), dims: [1, 3, 32, 32] } };
    const a = await runWithOrt(buildSmallCnn().toBytes(), feeds);
    const b = await runWithOrt(out, feeds);
    assert.deepEqual(b['logits']!.data, a['logits']!.data);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('saveOnnxModel moves weights out automatically past the size limit, and keeps small models whole', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-auto-'));
  try {
    const bytes = buildSmallCnn().toBytes();
    const source = new BufferByteSource(bytes);
    const small = path.join(dir, 'small.onnx');
    saveOnnxModel(readOnnxModel(source), small, { source });
    assert.equal(fs.existsSync(`${small}.data`), false);
    const big = path.join(dir, 'big.onnx');
    saveOnnxModel(readOnnxModel(source), big, { source, autoExternalAbove: 1000 });
    assert.ok(fs.statSync(`${big}.data`).size > 20000);
    const m = withFileSource(big, (s) => readOnnxModel(s));
    const ref = m.graph.values.get('conv2.weight')!.constant!;
    assert.equal(ref.location.kind, 'external');
    if (ref.location.kind === 'external') assert.equal(ref.location.offset % 4096, 0, 'page-aligned');
    assert.deepEqual(readTensorData(big, ref), readTensorData(source, readOnnxModel(source).graph.values.get('conv2.weight')!.constant!));
    fs.rmSync(`${big}.data`);
    assert.throws(() => readTensorData(big, ref), /an existing external data file '.*big\.onnx\.data'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
