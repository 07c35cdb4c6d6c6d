import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { readSafetensorsHeader, readSafetensorsModel } from '../../../src/core/formats/safetensors';
import { writeSafetensors } from '../../fixtures/formats/safetensors/writer';
import { weightTotals } from '../../../src/core/graph/weights';
import { transformerConfigOf, llmPrecisionOf } from '../../../src/core/llm/modelLlm';

const source = (bytes: Uint8Array) => new BufferByteSource(bytes, 'model.safetensors');

function withHeader(header: unknown, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors reader', () => {
  const bytes = writeSafetensors(
    [
      { name: 'embed.weight', dtype: 'BF16', shape: [10, 4] },
      { name: 'layer.weight', dtype: 'F32', shape: [4, 4], data: new Uint8Array(64).fill(7) },
      { name: 'layer.scale', dtype: 'F8_E4M3', shape: [4] },
      { name: 'packed', dtype: 'I8', shape: [3, 0] },
    ],
    { format: 'pt' },
  );

  it('reads dtypes, shapes, metadata and absolute offsets without the data', () => {
    const file = readSafetensorsHeader(source(bytes));
    assert.equal(file.dataStart % 8, 0);
    assert.deepEqual(file.metadata.get('format'), 'pt');
    const layer = file.tensors.find((t) => t.name === 'layer.weight');
    assert.equal(layer?.dataType, 'float32');
    assert.equal(layer?.byteLength, 64);
    assert.ok(layer);
    assert.deepEqual(bytes.subarray(layer.offset, layer.offset + 64), new Uint8Array(64).fill(7));
    assert.equal(file.tensors.find((t) => t.name === 'layer.scale')?.dataType, 'float8e4m3fn');
  });

  it('gives exact parameters and weight bytes', () => {
    const { model } = readSafetensorsModel(source(bytes));
    assert.equal(model.format, 'safetensors');
    assert.deepEqual(weightTotals(model), { params: 40 + 16 + 4, weightBytes: 80 + 64 + 4 });
    assert.equal(transformerConfigOf(model), undefined);
  });

  it('uses a config.json beside the weights for the LLM config', () => {
    const config = { model_type: 'llama', hidden_size: 4, intermediate_size: 8, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 10, torch_dtype: 'bfloat16' };
    const siblings = { read: (name: string) => (name === 'config.json' ? new TextEncoder().encode(JSON.stringify(config)) : undefined) };
    const { model } = readSafetensorsModel(source(bytes), 'model.safetensors', siblings);
    assert.equal(transformerConfigOf(model)?.hiddenSize, 4);
    assert.equal(llmPrecisionOf(model).weightBytesPerParam, 148 / 60);
  });

  it('takes the compute precision from the type holding most weights', () => {
    const fp8 = writeSafetensors([{ name: 'w', dtype: 'F8_E4M3', shape: [64, 64] }, { name: 's', dtype: 'BF16', shape: [64] }]);
    assert.equal(llmPrecisionOf(readSafetensorsModel(source(fp8)).model).precision, 'fp8');
    const bf16 = writeSafetensors([{ name: 'w', dtype: 'BF16', shape: [64, 64] }, { name: 'n', dtype: 'F32', shape: [64] }]);
    const p = llmPrecisionOf(readSafetensorsModel(source(bf16)).model);
    assert.equal(p.precision, 'bf16');
    assert.equal(p.weightBytesPerParam, (64 * 64 * 2 + 64 * 4) / (64 * 64 + 64));
  });

  it('keeps the weights and warns when config.json is unusable', () => {
    const siblings = { read: () => new TextEncoder().encode('{ not json') };
    const { model } = readSafetensorsModel(source(bytes), 'model.safetensors', siblings);
    assert.equal(transformerConfigOf(model), undefined);
    assert.ok(model.warnings.some((w) => w.includes('config.json')));
  });
});

describe('safetensors reader on bad input', () => {
  it('refuses a header length beyond 100 MB or the file', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 62n, true);
    assert.throws(() => readSafetensorsHeader(source(huge)), /header length/);
    const past = withHeader({});
    new DataView(past.buffer).setBigUint64(0, 1000n, true);
    assert.throws(() => readSafetensorsHeader(source(past)), ModelFormatError);
  });

  it('refuses offsets outside the data, size mismatches, overlaps and unknown dtypes', () => {
    const cases: unknown[] = [
      { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } },
      { a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } },
      { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } },
      { a: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } },
      { a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } },
      { a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } },
      { a: 'nope' },
      [1, 2],
    ];
    for (const header of cases) {
      assert.throws(() => readSafetensorsHeader(source(withHeader(header, 6))), ModelFormatError, JSON.stringify(header));
    }
  });

  it('rejects a header that is not UTF-8 JSON', () => {
    const bad = withHeader({});
    bad[8] = 0xff;
    assert.throws(() => readSafetensorsHeader(source(bad)), /JSON header/);
  });

  it('never throws anything but ModelFormatError on corrupted bytes', () => {
    const bytes = writeSafetensors([{ name: 'w', dtype: 'F16', shape: [3, 5] }, { name: 'b', dtype: 'F32', shape: [5] }]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const copy = bytes.slice();
        for (const [at, value] of edits) copy[at] = value;
        try {
          readSafetensorsModel(source(copy));
        } catch (e) {
          if (!(e instanceof ModelFormatError)) throw e;
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
