import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFileSource } from '../../../src/core/io/byteSource';
import { ModelFormatError } from '../../../src/core/errors';
import { formatReaderFor, readModel } from '../../../src/core/formats';
import { weightTotals } from '../../../src/core/graph/weights';
import { tinyHfLlama } from '../../fixtures/formats/safetensors/tinyLlama';
import { writeSafetensors } from '../../fixtures/formats/safetensors/writer';
import { transformerConfigOf } from '../../../src/core/llm/modelLlm';
import { transformerParameters } from '../../../src/core/llm/parameters';

describe('sharded safetensors checkpoints', () => {
  let dir = '';
  const hf = tinyHfLlama({ layers: 3 });
  const half = Math.ceil(hf.tensors.length / 2);
  const shards = [hf.tensors.slice(0, half), hf.tensors.slice(half)];
  const shardNames = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const index = (weightMap: Record<string, string>, totalSize: number) => JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap });
  const weightMap = Object.fromEntries(shards.flatMap((list, i) => list.map((t) => [t.name, shardNames[i] ?? ''])));
  const totalSize = 2 * hf.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-shards-'));
    shards.forEach((list, i) => fs.writeFileSync(path.join(dir, shardNames[i] ?? ''), writeSafetensors(list)));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(hf.config));
    fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), index(weightMap, totalSize));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = (name: string) => {
    const file = path.join(dir, name);
    return withFileSource(file, (s) => readModel(s, file));
  };

  it('reads every shard named by the index into one model with the LLM config', () => {
    const file = path.join(dir, 'model.safetensors.index.json');
    assert.equal(withFileSource(file, (s) => formatReaderFor(s, file)?.id), 'safetensors-index');
    const model = read('model.safetensors.index.json');
    assert.ok(model);
    assert.equal(model.format, 'safetensors');
    assert.deepEqual(model.warnings, []);
    const config = transformerConfigOf(model);
    assert.ok(config);
    assert.deepEqual(weightTotals(model), { params: transformerParameters(config).total, weightBytes: totalSize });
    const last = model.graph.values.get('lm_head.weight')?.constant?.location;
    assert.deepEqual(last?.kind === 'external' ? last.path : undefined, shardNames[1]);
  });

  it('says that a single shard is part of a whole', () => {
    const model = read(shardNames[0] ?? '');
    assert.ok(model?.warnings.some((w) => w.includes('shard 1 of 2')));
  });

  it('warns about a missing shard, refuses when none can be read or names escape the folder', () => {
    fs.writeFileSync(path.join(dir, 'partial.safetensors.index.json'), index({ ...weightMap, extra: 'model-00003-of-00003.safetensors' }, totalSize));
    assert.ok(read('partial.safetensors.index.json')?.warnings.some((w) => w.includes('model-00003-of-00003.safetensors is missing')));
    fs.writeFileSync(path.join(dir, 'none.safetensors.index.json'), index({ a: 'gone.safetensors' }, 1));
    assert.throws(() => read('none.safetensors.index.json'), ModelFormatError);
    fs.writeFileSync(path.join(dir, 'escape.safetensors.index.json'), index({ a: '../secret.safetensors' }, 1));
    assert.throws(() => read('escape.safetensors.index.json'), /same folder/);
  });
});
