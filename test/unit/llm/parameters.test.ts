import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transformerConfigFromHf } from '../../../src/core/formats/hfconfig/hfConfig';
import { transformerParameters } from '../../../src/core/llm/parameters';
import { ModelFormatError } from '../../../src/core/errors';
import { PUBLISHED } from './publishedConfigs';

describe('LLM parameter counts', () => {
  for (const model of PUBLISHED) {
    it(`${model.name} has ${model.params.toLocaleString('en')} parameters`, () => {
      const { config } = transformerConfigFromHf(model.json, 'config.json');
      assert.equal(transformerParameters(config).total, model.params);
    });
  }

  it('splits Llama-2-7B into embeddings, blocks and an untied lm_head', () => {
    const { config } = transformerConfigFromHf(PUBLISHED[0]?.json, 'config.json');
    const p = transformerParameters(config);
    assert.equal(p.embedding, 32000 * 4096);
    assert.equal(p.lmHead, 32000 * 4096);
    assert.equal(p.perBlock.attention, 4 * 4096 * 4096);
    assert.equal(p.perBlock.mlp, 3 * 4096 * 11008);
    assert.equal(p.perBlock.norms, 2 * 4096);
  });

  it('counts GQA key/value projections at kv_heads × head_dim (Llama-3-8B)', () => {
    const { config } = transformerConfigFromHf(PUBLISHED[1]?.json, 'config.json');
    assert.equal(transformerParameters(config).perBlock.attention, 2 * 4096 * 4096 + 2 * 4096 * 1024);
  });

  it('counts only the routed experts as active in Mixtral (published: 12.9 B with the whole embedding)', () => {
    const { config } = transformerConfigFromHf(PUBLISHED[3]?.json, 'config.json');
    const p = transformerParameters(config);
    // activePerToken reads one embedding row; the published figure counts the whole matrix.
    assert.equal(p.activePerToken - 4096 + p.embedding, 12_879_925_248);
  });

  it('ties GPT-2 embeddings by default and unties when the file says so', () => {
    const gpt2 = PUBLISHED.find((m) => m.name === 'GPT-2 small');
    assert.ok(gpt2);
    const untied = transformerConfigFromHf({ ...gpt2.json, tie_word_embeddings: false }, 'config.json').config;
    assert.equal(transformerParameters(untied).total, gpt2.params + 50257 * 768);
  });

  it('reads the language model of a multimodal wrapper from text_config', () => {
    const wrapped = { model_type: 'llava', text_config: PUBLISHED[0]?.json };
    assert.equal(transformerParameters(transformerConfigFromHf(wrapped, 'config.json').config).total, 6_738_415_616);
  });

  it('warns on an unknown family and rejects absurd or inconsistent fields', () => {
    const base = PUBLISHED[0]?.json ?? {};
    assert.equal(transformerConfigFromHf({ ...base, model_type: 'mystery' }, 'c').warnings.length, 1);
    assert.throws(() => transformerConfigFromHf({ ...base, num_hidden_layers: 1e12 }, 'c'), ModelFormatError);
    assert.throws(() => transformerConfigFromHf({ ...base, num_hidden_layers: -1 }, 'c'), ModelFormatError);
    assert.throws(() => transformerConfigFromHf({ ...base, hidden_size: '4096' }, 'c'), ModelFormatError);
    assert.throws(() => transformerConfigFromHf({ ...base, num_key_value_heads: 5 }, 'c'), ModelFormatError);
    assert.throws(() => transformerConfigFromHf({ model_type: 'llama' }, 'c'), ModelFormatError);
    assert.throws(() => transformerConfigFromHf([1, 2], 'c'), ModelFormatError);
  });
});
