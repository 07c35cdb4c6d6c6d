import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BufferByteSource, withFileSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { sniffAndRead, sniffFormat, weightTotals } from '../../../src/core/formats';
import { writeTflite } from '../../../src/core/formats/tflite/writer';
import { tinyInt8CnnSpec } from '../../../src/core/formats/tflite/tinyCnn';
import { writeGguf } from '../../../src/core/formats/gguf/writer';
import { tinyLlamaGgufSpec } from '../../../src/core/formats/gguf/tinyLlama';
import { writeSafetensors } from '../../../src/core/formats/safetensors/writer';
import { transformerConfigOf } from '../../../src/core/llm/modelLlm';
import { transformerParameters } from '../../../src/core/llm/parameters';

const gpt2Config = { model_type: 'gpt2', n_layer: 2, n_embd: 8, n_head: 2, n_positions: 16, vocab_size: 20, torch_dtype: 'float32' };
const text = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));

describe('sniffAndRead', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-formats-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('recognises each format by its bytes', () => {
    assert.equal(sniffFormat(new BufferByteSource(writeTflite(tinyInt8CnnSpec())), 'x.bin'), 'tflite');
    assert.equal(sniffFormat(new BufferByteSource(writeGguf(tinyLlamaGgufSpec())), 'x.bin'), 'gguf');
    assert.equal(sniffFormat(new BufferByteSource(writeSafetensors([{ name: 'w', dtype: 'F32', shape: [1] }])), 'x.bin'), 'safetensors');
    assert.equal(sniffFormat(new BufferByteSource(text(gpt2Config)), 'models/config.json'), 'hf-config');
    assert.equal(sniffFormat(new BufferByteSource(text(gpt2Config)), 'models/settings.json'), undefined);
    assert.equal(sniffFormat(new BufferByteSource(text({ a: 1 })), 'config.json'), undefined);
    assert.equal(sniffFormat(new BufferByteSource(new Uint8Array([8, 7, 18, 4])), 'model.onnx'), undefined);
    assert.equal(sniffAndRead(new BufferByteSource(new Uint8Array(0)), 'empty'), undefined);
  });

  it('reads a bare config.json into an hf-config model with the LLM config', () => {
    const model = sniffAndRead(new BufferByteSource(text(gpt2Config)), 'config.json');
    assert.equal(model?.format, 'hf-config');
    const config = model ? transformerConfigOf(model) : undefined;
    assert.equal(config?.learnedPositions, 16);
    assert.equal(model?.metadata.get('llm.dtype'), 'float32');
  });

  it('reads files from disk, with config.json beside safetensors', () => {
    const weights = path.join(dir, 'model.safetensors');
    const h = 8, v = 20, p = 16, i = 32;
    fs.writeFileSync(weights, writeSafetensors([
      { name: 'wte.weight', dtype: 'F32', shape: [v, h] },
      { name: 'wpe.weight', dtype: 'F32', shape: [p, h] },
    ]));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(gpt2Config));
    const model = withFileSource(weights, (source) => sniffAndRead(source, weights));
    assert.equal(model?.format, 'safetensors');
    assert.deepEqual(model ? weightTotals(model) : undefined, { params: (v + p) * h, weightBytes: 4 * (v + p) * h });
    const config = model ? transformerConfigOf(model) : undefined;
    assert.ok(config);
    assert.equal(config.intermediateSize, i);
    assert.equal(transformerParameters(config).embedding, v * h);
  });

  it('reads TFLite and GGUF through a FileByteSource (paged reads across page boundaries)', () => {
    const tflitePath = path.join(dir, 'tiny.tflite');
    fs.writeFileSync(tflitePath, writeTflite(tinyInt8CnnSpec({ externalBuffers: true })));
    const tflite = withFileSource(tflitePath, (source) => sniffAndRead(source, tflitePath));
    assert.equal(tflite?.graph.nodes.length, 6);
    const ggufPath = path.join(dir, 'tiny.gguf');
    const gguf = writeGguf(tinyLlamaGgufSpec());
    assert.ok(gguf.length > 2 * 64 * 1024);
    fs.writeFileSync(ggufPath, gguf);
    const fromDisk = withFileSource(ggufPath, (source) => sniffAndRead(source, ggufPath));
    const fromMemory = sniffAndRead(new BufferByteSource(gguf), ggufPath);
    assert.ok(fromDisk && fromMemory);
    assert.deepEqual(weightTotals(fromDisk), weightTotals(fromMemory));
    assert.deepEqual([...fromDisk.metadata], [...fromMemory.metadata]);
  });

  it('throws ModelFormatError for a recognised but broken file', () => {
    const gguf = writeGguf(tinyLlamaGgufSpec());
    assert.throws(() => sniffAndRead(new BufferByteSource(gguf.subarray(0, 200)), 'x.gguf'), ModelFormatError);
    assert.throws(() => sniffAndRead(new BufferByteSource(text({ ...gpt2Config, n_layer: -3 })), 'config.json'), ModelFormatError);
  });
});
