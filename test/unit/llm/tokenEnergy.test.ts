import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transformerConfigFromHf } from '../../../src/core/formats/hfconfig/hfConfig';
import { getProfile, shippedProfiles } from '../../../src/core/energy/profileRegistry';
import { llmTokenEnergy, llmTokenEnergyOfModel } from '../../../src/core/llm/tokenEnergy';
import { readGgufModel } from '../../../src/core/formats/gguf';
import { writeGguf } from '../../fixtures/formats/gguf/writer';
import { tinyLlamaGgufSpec } from '../../fixtures/formats/gguf/tinyLlama';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { PUBLISHED } from './publishedConfigs';

const llama2 = transformerConfigFromHf(PUBLISHED[0]?.json, 'config.json').config;
const small = transformerConfigFromHf({
  model_type: 'llama', hidden_size: 512, intermediate_size: 1376, num_attention_heads: 8, num_hidden_layers: 2,
  num_key_value_heads: 2, vocab_size: 8000, max_position_embeddings: 2048,
}, 'config.json').config;

describe('LLM energy per token', () => {
  it('shows Llama-2-7B decode at batch 1 as memory-bound on an H100, and prefill cheaper per token', () => {
    const h100 = getProfile('h100');
    assert.ok(h100);
    const r = llmTokenEnergy(llama2, h100, { contexts: [128, 4096] });
    const [short, long] = r.decode;
    assert.ok(short && long);
    assert.equal(short.bound, 'memory');
    assert.ok(short.memoryBoundShare > 0.5, `${short.memoryBoundShare}`);
    assert.ok(long.energyPerTokenJ > short.energyPerTokenJ, 'the KV cache read grows with context');
    assert.ok(r.prefill.energyPerTokenJ < short.energyPerTokenJ / 10, 'prefill amortizes weight reads');
    assert.equal(short.energyPer1kTokensJ, short.energyPerTokenJ * 1000);
    assert.equal(r.kvCacheBytesPerToken, 524_288);
    // Batch-1 decode moves at least all fp16 weights per token.
    assert.ok(short.bytesPerToken > 13e9);
    const b = short.breakdownPerToken;
    assert.ok(Math.abs(b.computeJ + b.onChipJ + b.offChipJ + b.staticJ - b.totalJ) < 1e-9 * b.totalJ);
  });

  it('prices every shipped profile with finite, positive energy', () => {
    for (const profile of shippedProfiles()) {
      const r = llmTokenEnergy(small, profile, { contexts: [64, 1024], promptTokens: 64 });
      for (const p of [r.prefill, ...r.decode]) {
        assert.ok(Number.isFinite(p.energyPerTokenJ) && p.energyPerTokenJ > 0, `${profile.id} ${p.phase}`);
        assert.ok(Number.isFinite(p.latencyPerTokenS) && p.latencyPerTokenS > 0, `${profile.id} ${p.phase}`);
      }
    }
  });

  it('batching decode lowers energy per token', () => {
    const h100 = getProfile('h100');
    assert.ok(h100);
    const one = llmTokenEnergy(small, h100, { contexts: [256] }).decode[0];
    const many = llmTokenEnergy(small, h100, { contexts: [256], batch: 16 }).decode[0];
    assert.ok(one && many && many.energyPerTokenJ < one.energyPerTokenJ);
  });

  it('prices a GGUF file with its own bytes per weight', () => {
    const { model } = readGgufModel(new BufferByteSource(writeGguf(tinyLlamaGgufSpec())));
    const profile = getProfile('laptop-x86');
    assert.ok(profile);
    const r = llmTokenEnergyOfModel(model, profile, { contexts: [16] });
    assert.ok(r);
    const stored = model.graph.initializers.reduce((s, n) => s + (model.graph.values.get(n)?.constant?.byteLength ?? 0), 0);
    assert.equal(r.weightBytes, stored);
    assert.ok((r.decode[0]?.energyPerTokenJ ?? 0) > 0);
    assert.equal(llmTokenEnergyOfModel({ ...model, metadata: new Map() }, profile), undefined);
  });
});
