import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { readGguf, readGgufModel } from '../../../src/core/formats/gguf';
import { writeGguf } from '../../fixtures/formats/gguf/writer';
import { TINY_LLAMA, tinyLlamaGgufSpec } from '../../fixtures/formats/gguf/tinyLlama';
import { bitsPerWeight, ggmlTypeByName } from '../../../src/core/formats/gguf/ggmlTypes';
import { weightTotals } from '../../../src/core/graph/weights';
import { transformerConfigOf, llmPrecisionOf } from '../../../src/core/llm/modelLlm';
import { transformerParameters } from '../../../src/core/llm/parameters';

const source = (bytes: Uint8Array) => new BufferByteSource(bytes, 'tiny.gguf');

describe('GGML block sizes', () => {
  it('uses the real bytes per block of the quantized types', () => {
    const expect: [string, number, number][] = [
      ['Q4_0', 32, 18], ['Q4_1', 32, 20], ['Q5_0', 32, 22], ['Q5_1', 32, 24], ['Q8_0', 32, 34],
      ['Q2_K', 256, 84], ['Q3_K', 256, 110], ['Q4_K', 256, 144], ['Q5_K', 256, 176], ['Q6_K', 256, 210], ['Q8_K', 256, 292],
      ['IQ2_XXS', 256, 66], ['IQ4_NL', 32, 18], ['IQ4_XS', 256, 136], ['F16', 1, 2], ['BF16', 1, 2], ['F32', 1, 4],
    ];
    for (const [name, block, bytes] of expect) {
      const t = ggmlTypeByName(name);
      assert.deepEqual([t.blockSize, t.typeSize], [block, bytes], name);
    }
    assert.equal(bitsPerWeight(ggmlTypeByName('Q4_K')), 4.5);
    assert.equal(bitsPerWeight(ggmlTypeByName('Q6_K')), 6.5625);
  });
});

describe('GGUF reader', () => {
  const spec = tinyLlamaGgufSpec();
  const bytes = writeGguf(spec);

  it('reads header, metadata of every kind and tensor infos', () => {
    const g = readGguf(source(bytes));
    assert.equal(g.version, 3);
    assert.equal(g.alignment, 32);
    assert.equal(g.tensors.length, spec.tensors.length);
    const tokens = g.metadata.get('tokenizer.ggml.tokens');
    assert.ok(tokens?.kind === 'array');
    assert.equal(tokens.length, TINY_LLAMA.vocab);
    assert.equal(tokens.values.length, 64, 'long arrays keep only their head');
    assert.deepEqual(g.metadata.get('llama.block_count'), { kind: 'number', type: 4, value: 2 });
    assert.equal(g.dataStart % 32, 0);
  });

  it('computes exact stored bytes from block sizes and places every tensor inside the file', () => {
    const g = readGguf(source(bytes));
    const q = g.tensors.find((t) => t.name === 'blk.0.attn_q.weight');
    assert.equal(q?.byteLength, (256 * 256 / 256) * 144);
    const embd = g.tensors.find((t) => t.name === 'token_embd.weight');
    assert.equal(embd?.byteLength, (256 * 320 / 256) * 210);
    const out = g.tensors.find((t) => t.name === 'output.weight');
    assert.equal(out?.byteLength, (256 * 320 / 32) * 34);
    for (const t of g.tensors) {
      assert.equal((t.offset - g.dataStart) % 32, 0);
      assert.ok(t.offset + t.byteLength <= bytes.length);
    }
  });

  it('maps to an IR model whose parameters match the transformer formula', () => {
    const { model } = readGgufModel(source(bytes));
    assert.equal(model.format, 'gguf');
    assert.equal(model.producer, 'joule tiny llama');
    const config = transformerConfigOf(model);
    assert.ok(config);
    assert.equal(config.layers, 2);
    assert.equal(config.kvHeads, 2);
    assert.equal(config.headDim, 64);
    assert.equal(config.vocabSize, 320);
    assert.equal(config.gatedMlp, true);
    assert.equal(config.tiedEmbeddings, false);
    assert.equal(config.norm, 'rmsnorm');
    const totals = weightTotals(model);
    assert.equal(totals.params, transformerParameters(config).total);
    assert.equal(totals.weightBytes, readGguf(source(bytes)).tensors.reduce((s, t) => s + t.byteLength, 0));
    assert.deepEqual(model.graph.values.get('token_embd.weight')?.constant?.dims, [320, 256], 'row-major dims');
    assert.equal(model.graph.values.get('blk.0.attn_q.weight')?.constant?.dataType, 'quantized');
    const precision = llmPrecisionOf(model);
    assert.equal(precision.precision, 'int8');
    assert.ok(precision.weightBytesPerParam > 0.5 && precision.weightBytesPerParam < 0.7);
  });

  it('detects tied embeddings from a missing output.weight, and reads v2 files', () => {
    const tied = writeGguf(tinyLlamaGgufSpec(TINY_LLAMA, { matrix: 'Q8_0', embedding: 'F16' }, 2));
    const { model, gguf } = readGgufModel(source(tied));
    assert.equal(gguf.version, 2);
    const config = transformerConfigOf(model);
    assert.equal(config?.tiedEmbeddings, true);
    assert.equal(weightTotals(model).params, config ? transformerParameters(config).total : -1);
  });

  it('honours general.alignment', () => {
    const g = readGguf(source(writeGguf({ ...tinyLlamaGgufSpec(), alignment: 64 })));
    assert.equal(g.alignment, 64);
    assert.equal(g.dataStart % 64, 0);
  });

  it('reads nested arrays, 64-bit and bool values', () => {
    const file = writeGguf({
      metadata: [
        ['nested', { type: 'ARRAY', elementType: 'ARRAY', values: [
          { type: 'ARRAY', elementType: 'INT16', values: [{ type: 'INT16', value: -3 }] },
          { type: 'ARRAY', elementType: 'STRING', values: [{ type: 'STRING', value: 'a' }, { type: 'STRING', value: 'b' }] },
        ] }],
        ['big', { type: 'UINT64', value: 2n ** 60n }],
        ['neg', { type: 'INT64', value: -5n }],
        ['flag', { type: 'BOOL', value: true }],
        ['pi', { type: 'FLOAT64', value: Math.PI }],
      ],
      tensors: [],
    });
    const g = readGguf(source(file));
    const nested = g.metadata.get('nested');
    assert.ok(nested?.kind === 'array' && nested.length === 2);
    const inner = nested.values[1];
    assert.ok(inner?.kind === 'array');
    assert.deepEqual(inner.values, [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }]);
    assert.deepEqual(g.metadata.get('big'), { kind: 'bigint', type: 10, value: 2n ** 60n });
    assert.deepEqual(g.metadata.get('neg'), { kind: 'number', type: 11, value: -5 });
    assert.deepEqual(g.metadata.get('flag'), { kind: 'bool', value: true });
  });
});

describe('GGUF reader on bad input', () => {
  const bytes = writeGguf(tinyLlamaGgufSpec());

  function patched(at: number, write: (v: DataView) => void): Uint8Array {
    const copy = bytes.slice();
    write(new DataView(copy.buffer, at));
    return copy;
  }

  it('refuses v1, big-endian and unknown versions with a hint', () => {
    assert.throws(() => readGguf(source(patched(4, (v) => v.setUint32(0, 1, true)))), /version 2 or 3, got 1/);
    assert.throws(() => readGguf(source(patched(4, (v) => v.setUint32(0, 3, false)))), /big-endian/);
    assert.throws(() => readGguf(source(patched(4, (v) => v.setUint32(0, 9, true)))), ModelFormatError);
  });

  it('checks counts against the remaining bytes before allocating', () => {
    assert.throws(() => readGguf(source(patched(8, (v) => v.setBigUint64(0, 2n ** 40n, true)))), /tensor infos inside the file/);
    assert.throws(() => readGguf(source(patched(16, (v) => v.setBigUint64(0, 2n ** 50n, true)))), /metadata entries inside the file/);
    // First key length: absurd.
    assert.throws(() => readGguf(source(patched(24, (v) => v.setBigUint64(0, 2n ** 52n, true)))), ModelFormatError);
  });

  it('refuses a huge array length in the vocabulary', () => {
    const file = writeGguf({ metadata: [['a', { type: 'ARRAY', elementType: 'STRING', values: [] }]], tensors: [] });
    // Array count sits after: magic 4, version 4, counts 16, key (8 + 1), type 4, element type 4.
    const copy = file.slice();
    new DataView(copy.buffer).setBigUint64(4 + 4 + 16 + 9 + 4 + 4, 2n ** 50n, true);
    assert.throws(() => readGguf(source(copy)), /elements inside the file/);
  });

  it('fails with ModelFormatError on every truncation', () => {
    const small = writeGguf(tinyLlamaGgufSpec({ ...TINY_LLAMA, layers: 1, vocab: 32 }, { matrix: 'Q8_0', embedding: 'Q8_0' }));
    const header = readGguf(source(small)).dataStart;
    // Every few bytes through the header, then a sample of cuts inside the tensor data.
    const cuts = [...Array.from({ length: Math.ceil(header / 5) }, (_, i) => i * 5), header + 1, (header + small.length) >> 1, small.length - 1];
    for (const length of cuts) {
      assert.throws(() => readGguf(source(small.subarray(0, length))), ModelFormatError, `length ${length}`);
    }
  });

  it('never throws anything but ModelFormatError on corrupted header bytes', () => {
    const small = writeGguf(tinyLlamaGgufSpec({ ...TINY_LLAMA, layers: 1, vocab: 32 }, { matrix: 'Q8_0', embedding: 'Q8_0' }));
    const header = readGguf(source(small)).dataStart;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(header - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const copy = small.slice();
        for (const [at, value] of edits) copy[at] = value;
        try {
          readGgufModel(source(copy));
        } catch (e) {
          if (!(e instanceof ModelFormatError)) throw e;
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('GGUF structure detection', () => {
  it('reads a GPT-2-style file: LayerNorm, plain MLP, biases, learned positions, tied output', () => {
    const h = 64, ff = 256, vocab = 100, ctx = 32, layers = 2;
    const t = (name: string, ne: number[]) => ({ name, type: 'F32', ne });
    const tensors = [t('token_embd.weight', [h, vocab]), t('position_embd.weight', [h, ctx])];
    for (let l = 0; l < layers; l++) {
      const b = `blk.${l}`;
      tensors.push(
        t(`${b}.attn_norm.weight`, [h]), t(`${b}.attn_norm.bias`, [h]),
        t(`${b}.attn_qkv.weight`, [h, 3 * h]), t(`${b}.attn_qkv.bias`, [3 * h]),
        t(`${b}.attn_output.weight`, [h, h]), t(`${b}.attn_output.bias`, [h]),
        t(`${b}.ffn_norm.weight`, [h]), t(`${b}.ffn_norm.bias`, [h]),
        t(`${b}.ffn_up.weight`, [h, ff]), t(`${b}.ffn_up.bias`, [ff]),
        t(`${b}.ffn_down.weight`, [ff, h]), t(`${b}.ffn_down.bias`, [h]),
      );
    }
    tensors.push(t('output_norm.weight', [h]), t('output_norm.bias', [h]));
    const u32 = (value: number) => ({ type: 'UINT32' as const, value });
    const file = writeGguf({
      metadata: [
        ['general.architecture', { type: 'STRING', value: 'gpt2' }],
        ['gpt2.block_count', u32(layers)], ['gpt2.embedding_length', u32(h)], ['gpt2.feed_forward_length', u32(ff)],
        ['gpt2.attention.head_count', u32(4)], ['gpt2.context_length', u32(ctx)],
      ],
      tensors,
    });
    const { model } = readGgufModel(source(file));
    const config = transformerConfigOf(model);
    assert.ok(config);
    assert.deepEqual(
      [config.norm, config.gatedMlp, config.tiedEmbeddings, config.learnedPositions, config.vocabSize, config.biases],
      ['layernorm', false, true, ctx, vocab, { qkv: true, attnOut: true, mlp: true, lmHead: false }],
    );
    assert.equal(weightTotals(model).params, transformerParameters(config).total);
  });

  it('warns and skips the LLM config without architecture metadata', () => {
    const { model } = readGgufModel(source(writeGguf({ metadata: [], tensors: [{ name: 'w', type: 'F16', ne: [8, 2] }] })));
    assert.equal(transformerConfigOf(model), undefined);
    assert.ok(model.warnings.some((w) => w.includes('general.architecture')));
    assert.deepEqual(weightTotals(model), { params: 16, weightBytes: 32 });
  });
});

describe('GGUF split models', () => {
  it('reads the tensors of every split beside the first', () => {
    const spec = tinyLlamaGgufSpec();
    const half = Math.ceil(spec.tensors.length / 2);
    const split = (no: number): [string, { type: 'UINT16'; value: number }][] => [['split.no', { type: 'UINT16', value: no }], ['split.count', { type: 'UINT16', value: 2 }]];
    const first = writeGguf({ ...spec, metadata: [...spec.metadata, ...split(0)], tensors: spec.tensors.slice(0, half) });
    const second = writeGguf({ metadata: split(1), tensors: spec.tensors.slice(half) });
    const siblings = {
      read: () => undefined,
      open: (name: string) => (name === 'tiny-00002-of-00002.gguf' ? new BufferByteSource(second, name) : undefined),
    };
    const whole = readGgufModel(source(writeGguf(spec))).model;
    const { model } = readGgufModel(new BufferByteSource(first), 'models/tiny-00001-of-00002.gguf', siblings);
    assert.deepEqual(model.warnings, []);
    assert.deepEqual(weightTotals(model), weightTotals(whole));
    assert.deepEqual(transformerConfigOf(model), transformerConfigOf(whole));
    const out = model.graph.values.get('output.weight')?.constant?.location;
    assert.equal(out?.kind === 'external' ? out.path : undefined, 'tiny-00002-of-00002.gguf');
    const alone = readGgufModel(new BufferByteSource(first), 'models/tiny-00001-of-00002.gguf').model;
    assert.ok(alone.warnings.some((w) => w.includes('split 1 of 2')));
  });
});
