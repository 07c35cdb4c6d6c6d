import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFileSource } from '../../../src/core/io/byteSource';
import { readModel } from '../../../src/core/formats';
import { weightTotals } from '../../../src/core/graph/weights';
import { writeFormatFixtures } from '../../fixtures/formats/writeFormatFixtures';
import { transformerConfigOf } from '../../../src/core/llm/modelLlm';
import { transformerParameters } from '../../../src/core/llm/parameters';

describe('format fixtures', () => {
  let dir = '';
  let files: string[] = [];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-fixtures-'));
    files = writeFormatFixtures(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one readable file per format', () => {
    const formats = files.map((f) => withFileSource(f, (s) => readModel(s, f))?.format);
    assert.deepEqual(formats, ['tflite', 'gguf', 'safetensors', 'hf-config', 'hf-config']);
  });

  it('has safetensors weights whose count equals the parameter formula of their config.json', () => {
    const file = path.join(dir, 'tiny-llama/model.safetensors');
    const model = withFileSource(file, (s) => readModel(s, file));
    assert.ok(model);
    const config = transformerConfigOf(model);
    assert.ok(config);
    const totals = weightTotals(model);
    assert.equal(totals.params, transformerParameters(config).total);
    assert.equal(totals.weightBytes, 2 * totals.params);
  });

  it('ships the Llama-2-7B config with its published size', () => {
    const file = path.join(dir, 'llama-2-7b/config.json');
    const model = withFileSource(file, (s) => readModel(s, file));
    const config = model ? transformerConfigOf(model) : undefined;
    assert.equal(config ? transformerParameters(config).total : 0, 6_738_415_616);
  });
});
