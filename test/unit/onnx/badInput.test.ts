import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ModelFormatError } from '../../../src/core/errors';
import { inferShapes } from '../../../src/core/graph/shapeInference';
import { BufferByteSource, withFileSource } from '../../../src/core/io/byteSource';
import { GraphBuilder, OnnxBuilder } from '../../../src/core/onnx/builder';
import { GraphField, ModelField, TensorField } from '../../../src/core/onnx/protoFields';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { tensorProto } from '../../../src/core/onnx/tensorProtoWriter';
import { ProtoWriter } from '../../../src/core/onnx/wireWriter';
import { buildSmallCnn } from './fixtures';

const read = (bytes: Uint8Array) => readOnnxModel(new BufferByteSource(bytes, 'bad.onnx'));

/** A ModelFormatError from an intended check (not the reader's catch-all for unexpected exceptions). */
function isDeliberateFormatError(e: unknown): boolean {
  return e instanceof ModelFormatError && !e.expected.startsWith('a readable ONNX model (');
}

function expectFormatError(bytes: Uint8Array, pattern: RegExp): ModelFormatError {
  let caught: unknown;
  try {
    read(bytes);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ModelFormatError, `expected ModelFormatError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  assert.equal(caught.file, 'bad.onnx');
  return caught;
}

test('empty, random and non-ONNX bytes give one ModelFormatError', () => {
  expectFormatError(new Uint8Array(0), /empty file/);
  expectFormatError(new TextEncoder().encode('hello world, not a model'), /does not look like an ONNX model/);
  expectFormatError(Uint8Array.from([0x08, 0x07]), /a graph in the ONNX model/);
});

test('lengths past the end and absurd lengths fail before any allocation', () => {
  // ir_version 7, then graph (field 7, length-delimited) claiming 2^35 bytes.
  const absurd = Uint8Array.from([0x08, 0x07, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  const e = expectFormatError(absurd, /length within the enclosing message/);
  assert.equal(e.offset, 3);
  const truncated = buildSmallCnn().toBytes();
  expectFormatError(truncated.subarray(0, truncated.length - 100), /length within|more bytes|truncated/);
});

test('wrong wire types and overlong varints are reported with offsets', () => {
  expectFormatError(Uint8Array.from([0x08, 0x07, 0x38, 0x01]), /ModelProto.graph as length-delimited, got varint/);
  expectFormatError(Uint8Array.from([0x08, 0x07, 0x3b]), /known wire type/);
  expectFormatError(Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint of at most 10 bytes/);
  const badTensor = new ProtoWriter().message(ModelField.graph, new ProtoWriter().message(GraphField.initializer,
    new ProtoWriter().varint(TensorField.dims, 2).varint(TensorField.rawData, 5)));
  expectFormatError(concat(Uint8Array.from([0x08, 0x08]), badTensor.toBytes()), /TensorProto.raw_data as length-delimited/);
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

test('deeply nested subgraphs are rejected, not recursed into', () => {
  const b = new OnnxBuilder();
  b.input('c', 'bool', []);
  let inner: GraphBuilder = b.subgraph('leaf');
  inner.node('Identity', ['c'], {}, { outputs: ['leaf_out'] });
  for (let depth = 0; depth < 40; depth++) {
    const outer = b.subgraph(`level${depth}`);
    outer.node('If', ['c'], { then_branch: inner }, { outputs: [`o${depth}`] });
    inner = outer;
  }
  b.node('If', ['c'], { then_branch: inner }, { outputs: ['y'] });
  expectFormatError(b.toBytes(), /nested at most 32 deep/);
});

test('external data outside the model folder is rejected: "..", absolute paths, escaping links', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-traversal-'));
  try {
    const modelDir = path.join(dir, 'model');
    fs.mkdirSync(modelDir);
    fs.writeFileSync(path.join(dir, 'secret.bin'), new Uint8Array(64));
    fs.symlinkSync(path.join(dir, 'secret.bin'), path.join(modelDir, 'link.bin'));
    const withLocation = (location: string): string => {
      const graph = new ProtoWriter().message(GraphField.initializer,
        tensorProto({ name: 'w', dataType: 'float32', dims: [4], external: { location, offset: 0, length: 16 } }));
      const bytes = concat(Uint8Array.from([0x08, 0x08]), new ProtoWriter().message(ModelField.graph, graph).toBytes());
      const file = path.join(modelDir, 'm.onnx');
      fs.writeFileSync(file, bytes);
      return file;
    };
    for (const [location, why] of [['../secret.bin', /"\.\." segment/], [path.join(dir, 'secret.bin'), /absolute path/],
      ['sub\\..\\..\\secret.bin', /"\.\." segment/], ['link.bin', /link that leads outside/]] as const) {
      const file = withLocation(location);
      assert.throws(() => withFileSource(file, (s) => readOnnxModel(s)), (e: unknown) => e instanceof ModelFormatError && why.test(e.message), location);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fuzz: random bytes never crash the reader', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
    try {
      const m = read(bytes);
      inferShapes(m);
    } catch (e) {
      if (!isDeliberateFormatError(e)) throw e;
    }
  }), { numRuns: 400 });
});

test('fuzz: mutated and truncated real models give a model or a deliberate ModelFormatError', () => {
  const original = buildSmallCnn().toBytes();
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    fc.nat(original.length),
    (mutations, cut) => {
      const bytes = original.slice(0, Math.max(1, cut));
      for (const [at, value] of mutations) if (at < bytes.length) bytes[at] = value;
      try {
        const m = read(bytes);
        inferShapes(m);
      } catch (e) {
        if (!isDeliberateFormatError(e)) throw e;
      }
    },
  ), { numRuns: 300 });
});

test('a shape tensor claiming a billion dims does not make inference allocate them', () => {
  const b = new OnnxBuilder();
  const x = b.input('x', 'float32', [2, 3]);
  b.weight('huge_shape', [1e9], { dataType: 'int64', dims: [1e9], raw: new Uint8Array(0) });
  b.node('Reshape', [x, 'huge_shape'], {}, { outputs: ['y'] });
  b.node('ConstantOfShape', ['huge_shape'], {}, { outputs: ['z'] });
  b.output('y');
  b.output('z');
  const m = read(b.toBytes());
  assert.ok(m.warnings.some((w) => w.includes('huge_shape')));
  const r = inferShapes(m);
  assert.deepEqual(r.unknown.map((u) => u.value).sort(), ['y', 'z']);
});
