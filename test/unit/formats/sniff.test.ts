import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BufferByteSource, withFileSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { formatReaderFor, readModel } from '../../../src/core/formats';
import { weightTotals } from '../../../src/core/graph/weights';
import { writeTflite } from '../../fixtures/formats/tflite/writer';
import { tinyInt8CnnSpec } from '../../fixtures/formats/tflite/tinyCnn';
import { writeGguf } from '../../fixtures/formats/gguf/writer';
import { tinyLlamaGgufSpec } from '../../fixtures/formats/gguf/tinyLlama';
import { writeSafetensors } from '../../fixtures/formats/safetensors/writer';
import { transformerConfigOf } from '../../../src/core/llm/modelLlm';
import { transformerParameters } from '../../../src/core/llm/parameters';

const gpt2Config = { model_type: 'gpt2', n_layer: 2, n_embd: 8, n_head: 2, n_positions: 16, vocab_size: 20, torch_dtype: 'float32' };
const text = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));

describe('the format registry', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-formats-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('recognises each format by its bytes', () => {
    assert.equal(formatReaderFor(new BufferByteSource(writeTflite(tinyInt8CnnSpec())), 'x.bin')?.id, 'tflite');
    assert.equal(formatReaderFor(new BufferByteSource(writeGguf(tinyLlamaGgufSpec())), 'x.bin')?.id, 'gguf');
    assert.equal(formatReaderFor(new BufferByteSource(writeSafetensors([{ name: 'w', dtype: 'F32', shape: [1] }])), 'x.bin')?.id, 'safetensors');
    assert.equal(formatReaderFor(new BufferByteSource(text(gpt2Config)), 'models/config.json')?.id, 'hf-config');
    assert.equal(formatReaderFor(new BufferByteSource(text(gpt2Config)), 'models/settings.json')?.id, undefined);
    assert.equal(formatReaderFor(new BufferByteSource(text({ a: 1 })), 'config.json')?.id, undefined);
    assert.equal(formatReaderFor(new BufferByteSource(new Uint8Array([8, 7, 18, 4])), 'model.onnx')?.id, 'onnx', 'ONNX last, by a plausible first field');
    assert.equal(formatReaderFor(new BufferByteSource(new Uint8Array(0)), 'empty'), undefined);
  });

  it('reads a bare config.json into an hf-config model with the LLM config', () => {
    const model = readModel(new BufferByteSource(text(gpt2Config)), 'config.json');
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
    const model = withFileSource(weights, (source) => readModel(source, weights));
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
    const tflite = withFileSource(tflitePath, (source) => readModel(source, tflitePath));
    assert.equal(tflite?.graph.nodes.length, 6);
    const ggufPath = path.join(dir, 'tiny.gguf');
    const gguf = writeGguf(tinyLlamaGgufSpec());
    assert.ok(gguf.length > 2 * 64 * 1024);
    fs.writeFileSync(ggufPath, gguf);
    const fromDisk = withFileSource(ggufPath, (source) => readModel(source, ggufPath));
    const fromMemory = readModel(new BufferByteSource(gguf), ggufPath);
    assert.ok(fromDisk && fromMemory);
    assert.deepEqual(weightTotals(fromDisk), weightTotals(fromMemory));
    assert.deepEqual([...fromDisk.metadata], [...fromMemory.metadata]);
  });

  it('throws ModelFormatError for a recognised but broken file', () => {
    const gguf = writeGguf(tinyLlamaGgufSpec());
    assert.throws(() => readModel(new BufferByteSource(gguf.subarray(0, 200)), 'x.gguf'), ModelFormatError);
    assert.throws(() => readModel(new BufferByteSource(text({ ...gpt2Config, n_layer: -3 })), 'config.json'), ModelFormatError);
  });
});
