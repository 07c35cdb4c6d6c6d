import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { readTflite } from '../../../src/core/formats/tflite';
import { writeTflite } from '../../fixtures/formats/tflite/writer';
import { tinyInt8CnnSpec } from '../../fixtures/formats/tflite/tinyCnn';
import { builtinOperatorName } from '../../../src/core/formats/tflite/schema';
import { FlatTable } from '../../../src/core/formats/tflite/flatbuffer';
import { PagedReader } from '../../../src/core/formats/pagedReader';

function read(bytes: Uint8Array) {
  return readTflite(new BufferByteSource(bytes, 'tiny.tflite'));
}

function attr(model: ReturnType<typeof read>['model'], node: number, name: string): unknown {
  return model.graph.nodes[node]?.attributes.get(name)?.value;
}

describe('TFLite reader', () => {
  const spec = tinyInt8CnnSpec();
  const bytes = writeTflite(spec);

  it('reads the identifier, version, description and every operator of the tiny int8 CNN', () => {
    assert.equal(new TextDecoder().decode(bytes.subarray(4, 8)), 'TFL3');
    const { model, tflite } = read(bytes);
    assert.equal(model.format, 'tflite');
    assert.equal(tflite.version, 3);
    assert.equal(model.producer, 'joule tiny int8 CNN');
    assert.deepEqual(model.graph.nodes.map((n) => n.opType), ['CONV_2D', 'DEPTHWISE_CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
    assert.ok(model.graph.nodes.every((n) => n.domain === 'tflite'));
    assert.deepEqual(model.graph.nodes[0]?.inputs, ['input', 'conv/weights', 'conv/bias']);
    assert.deepEqual(model.graph.inputs, ['input']);
    assert.deepEqual(model.graph.outputs, ['probabilities']);
    assert.deepEqual(model.warnings, []);
  });

  it('decodes options into ONNX-like attributes', () => {
    const { model } = read(bytes);
    assert.deepEqual(attr(model, 0, 'strides'), [2, 2]);
    assert.equal(attr(model, 0, 'padding'), 'SAME');
    assert.equal(attr(model, 0, 'fused_activation'), 'RELU');
    assert.deepEqual(attr(model, 0, 'dilations'), [1, 1]);
    assert.equal(attr(model, 1, 'depth_multiplier'), 1);
    assert.equal(attr(model, 1, 'fused_activation'), 'RELU6');
    assert.deepEqual(attr(model, 2, 'kernel_shape'), [2, 2]);
    assert.equal(attr(model, 2, 'padding'), 'VALID');
    assert.deepEqual(attr(model, 3, 'new_shape'), [-1, 128]);
    assert.equal(attr(model, 4, 'keep_num_dims'), 0);
    assert.equal(attr(model, 5, 'beta'), 1);
  });

  it('keeps shapes, int8/int32 types and per-channel quantization', () => {
    const { model, tflite } = read(bytes);
    assert.deepEqual(model.graph.values.get('conv/out')?.type, { dataType: 'int8', shape: [1, 8, 8, 8] });
    assert.equal(model.graph.values.get('conv/bias')?.type?.dataType, 'int32');
    const weights = tflite.subgraphs[0]?.tensors[1];
    assert.equal(weights?.quantization?.scale.length, 8);
    assert.equal(weights?.quantization?.quantizedDimension, 0);
    assert.ok(Math.abs((weights?.quantization?.scale[7] ?? 0) - 0.017) < 1e-6);
    const input = tflite.subgraphs[0]?.tensors[0];
    assert.deepEqual(input?.quantization?.zeroPoint, [-1]);
  });

  it('records buffer offsets whose bytes are the written weights, without reading them', () => {
    const { model } = read(bytes);
    assert.deepEqual(model.graph.initializers, ['conv/weights', 'conv/bias', 'dw/weights', 'dw/bias', 'reshape/shape', 'fc/weights', 'fc/bias']);
    for (const t of spec.tensors) {
      if (!t.data) continue;
      const c = model.graph.values.get(t.name)?.constant;
      assert.ok(c && c.location.kind === 'embedded');
      assert.equal(c.byteLength, t.data.length);
      assert.deepEqual(bytes.subarray(c.location.offset, c.location.offset + c.byteLength), t.data);
      assert.equal(c.location.offset % 16, 0, 'buffer data is 16-byte aligned');
    }
    const params = model.graph.initializers.reduce((sum, n) => sum + (model.graph.values.get(n)?.constant?.dims.reduce((a, b) => a * b, 1) ?? 0), 0);
    assert.equal(params, 216 + 8 + 72 + 8 + 2 + 1280 + 10);
  });

  it('reads buffers stored past the flatbuffer (offset/size layout)', () => {
    const external = tinyInt8CnnSpec({ externalBuffers: true });
    const file = writeTflite(external);
    const { model, tflite } = read(file);
    const fcWeights = model.graph.values.get('fc/weights')?.constant;
    assert.ok(fcWeights && fcWeights.location.kind === 'embedded');
    assert.ok(tflite.buffers.some((b) => b.external));
    const data = external.tensors[10]?.data;
    assert.ok(data);
    assert.deepEqual(file.subarray(fcWeights.location.offset, fcWeights.location.offset + fcWeights.byteLength), data);
  });

  it('turns -1 in shape_signature into a symbolic batch dimension', () => {
    const { model } = read(writeTflite(tinyInt8CnnSpec({ dynamicBatch: true })));
    assert.deepEqual(model.graph.values.get('input')?.type?.shape, ['batch', 16, 16, 3]);
    assert.deepEqual(model.graph.values.get('conv/out')?.type?.shape, ['batch', 8, 8, 8]);
  });

  it('reads opcodes from the deprecated byte, custom ops, and int4/float16/int16 tensors', () => {
    const file = writeTflite({
      deprecatedOpcodeField: true,
      tensors: [
        { name: 'x', dataType: 'float16', shape: [4] },
        { name: 'w', dataType: 'int4', shape: [4], data: new Uint8Array([0x12, 0x34]) },
        { name: 'y', dataType: 'int16', shape: [4] },
        { name: 'z', dataType: 'int16', shape: [4] },
      ],
      inputs: [0],
      outputs: [3],
      operators: [
        { op: 'ADD', inputs: [0, 1], outputs: [2], options: { kind: 'add', activation: 'RELU' } },
        { op: { custom: 'MyFancyOp' }, inputs: [2], outputs: [3] },
      ],
    });
    const { model } = read(file);
    assert.deepEqual(model.graph.nodes.map((n) => [n.opType, n.domain]), [['ADD', 'tflite'], ['MyFancyOp', 'tflite.custom']]);
    assert.equal(model.graph.values.get('x')?.type?.dataType, 'float16');
    assert.equal(model.graph.values.get('w')?.constant?.dataType, 'int4');
    assert.equal(model.graph.values.get('w')?.constant?.byteLength, 2);
    assert.equal(model.graph.values.get('y')?.type?.dataType, 'int16');
  });

  it('names builtin codes beyond the deprecated byte range', () => {
    assert.equal(builtinOperatorName(126), 'BATCH_MATMUL');
    assert.equal(builtinOperatorName(150), 'GELU');
    assert.equal(builtinOperatorName(163), 'STABLEHLO_ADD');
    assert.equal(builtinOperatorName(9999), 'BUILTIN_9999');
  });
});

describe('FlatBuffers tables', () => {
  it('follows vtables stored after their table (negative soffset, as shared vtables are)', () => {
    // [root uoffset = 4][table: soffset, i32 field = 7][vtable: size 6, table size 8, field 0 at +4]
    const bytes = new Uint8Array(18);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 4, true);
    view.setInt32(4, 4 - 12, true);
    view.setInt32(8, 7, true);
    view.setUint16(12, 6, true);
    view.setUint16(14, 8, true);
    view.setUint16(16, 4, true);
    const table = FlatTable.root(new PagedReader(new BufferByteSource(bytes)), 'Root');
    assert.equal(table.i32(0), 7);
    assert.equal(table.i32(1, 42), 42, 'a field past the vtable takes its default');
  });

  it('refuses a field that lies outside its table', () => {
    const bytes = new Uint8Array(18);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 4, true);
    view.setInt32(4, 4 - 12, true);
    view.setUint16(12, 6, true);
    view.setUint16(14, 8, true);
    view.setUint16(16, 6, true);
    const table = FlatTable.root(new PagedReader(new BufferByteSource(bytes)), 'Root');
    assert.throws(() => table.i32(0), ModelFormatError);
  });
});

describe('TFLite reader on bad input', () => {
  const bytes = writeTflite(tinyInt8CnnSpec());

  function expectCleanFailure(data: Uint8Array): void {
    try {
      read(data);
    } catch (e) {
      if (!(e instanceof ModelFormatError)) throw e;
    }
  }

  it('rejects a file without the TFL3 identifier', () => {
    const copy = bytes.slice();
    copy[4] = 0x58;
    assert.throws(() => read(copy), ModelFormatError);
  });

  it('fails with ModelFormatError on every truncation', () => {
    for (let length = 0; length < bytes.length; length += 7) {
      assert.throws(() => read(bytes.subarray(0, length)), ModelFormatError, `length ${length}`);
    }
  });

  it('rejects a vector length larger than the file before allocating', () => {
    const { tflite } = read(bytes);
    assert.ok(tflite.subgraphs.length === 1);
    // The root offset points at the Model table; corrupt it to point at the identifier bytes.
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(0, 0x7ffffff0, true);
    assert.throws(() => read(copy), ModelFormatError);
  });

  it('caps table counts before reading entries that may all point at one table', () => {
    // A 3 MB buffer makes room for a tensors vector claiming 600k entries.
    const spec = tinyInt8CnnSpec();
    const big = writeTflite({ ...spec, tensors: spec.tensors.map((t, i) => (i === 10 ? { ...t, shape: [3000, 1000], data: new Uint8Array(3_000_000) } : t)) });
    const reader = new PagedReader(new BufferByteSource(big));
    const subgraph = FlatTable.root(reader, 'Model').tables(2, 'subgraphs')[0];
    const tensors = subgraph?.vector(0, 4, 'tensors');
    assert.ok(tensors);
    const copy = big.slice();
    new DataView(copy.buffer).setUint32(tensors.start - 4, 600_000, true);
    assert.throws(() => read(copy), /at most 500000 entries/);
  });

  it('never throws anything but ModelFormatError on corrupted bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const copy = bytes.slice();
        for (const [at, value] of edits) copy[at] = value;
        expectCleanFailure(copy);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
