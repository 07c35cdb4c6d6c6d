import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelFormatError } from '../../../src/core/errors';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModel, loadModelFromSource } from '../../../src/core/formats/loadModel';
import { formatReaderFor } from '../../../src/core/formats/registry';
import { buildTransformerBlock } from './fixtures';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

test('the format registry recognizes ONNX by content, the others by magic, JSON by its name', () => {
  const sniffFormat = (source: BufferByteSource, name?: string) => formatReaderFor(source, name)?.id;
  assert.equal(sniffFormat(new BufferByteSource(buildTransformerBlock().toBytes())), 'onnx');
  const tflite = new Uint8Array(16);
  tflite.set(enc('TFL3'), 4);
  assert.equal(sniffFormat(new BufferByteSource(tflite)), 'tflite');
  assert.equal(sniffFormat(new BufferByteSource(enc('GGUF\x03\x00\x00\x00'))), 'gguf');
  const header = enc('{"w":{}}');
  const st = new Uint8Array(8 + header.length + 4);
  new DataView(st.buffer).setBigUint64(0, BigInt(header.length), true);
  st.set(header, 8);
  assert.equal(sniffFormat(new BufferByteSource(st)), 'safetensors');
  const llama = enc(JSON.stringify({ model_type: 'llama', num_hidden_layers: 2, hidden_size: 64, vocab_size: 100, num_attention_heads: 4, intermediate_size: 128 }));
  assert.equal(sniffFormat(new BufferByteSource(llama), 'config.json'), 'hf-config');
  assert.equal(sniffFormat(new BufferByteSource(llama), 'notes.json'), undefined, 'a JSON file is a config only by its name');
  assert.equal(sniffFormat(new BufferByteSource(enc('plain text'))), undefined);
  assert.equal(sniffFormat(new BufferByteSource(new Uint8Array(0))), undefined);
});

test('loadModel reads, binds dims and infers shapes; the bindings and unknowns are on the model', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-load-'));
  try {
    const file = path.join(dir, 'model.bin'); // the name says nothing: content decides
    fs.writeFileSync(file, buildTransformerBlock().toBytes());
    const m = loadModel(file, { batch: 2, dims: { sequence: 16 } });
    assert.equal(m.format, 'onnx');
    assert.deepEqual([...m.boundDims!], [['batch', 2], ['sequence', 16]]);
    assert.deepEqual(m.unknownValues, []);
    assert.deepEqual(m.graph.values.get('output')!.type!.shape, [2, 16, 32]);
    assert.deepEqual(m.graph.values.get('hidden_states')!.declaredType!.shape, ['batch', 'sequence', 32]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loadModelFromSource rejects unknown content with a ModelFormatError', () => {
  assert.throws(() => loadModelFromSource(new BufferByteSource(enc('not a model at all'), 'x.onnx')),
    (e: unknown) => e instanceof ModelFormatError && /first bytes match no supported format/.test(e.message));
});
