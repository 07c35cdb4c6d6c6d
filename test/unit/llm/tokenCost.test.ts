import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transformerConfigFromHf } from '../../../src/core/formats/hfconfig/hfConfig';
import { kvCacheBytesPerToken, llmTokenCost, stepTotals } from '../../../src/core/llm/tokenCost';
import { transformerStepLayers } from '../../../src/core/llm/tokenLayers';
import { transformerParameters } from '../../../src/core/llm/parameters';
import { PUBLISHED } from './publishedConfigs';

const llama2 = transformerConfigFromHf(PUBLISHED[0]?.json, 'config.json').config;
const gpt2 = transformerConfigFromHf(PUBLISHED.find((m) => m.name === 'GPT-2 small')?.json, 'config.json').config;

// Closed forms for Llama-2-7B (docs/llm-cost-model.md), independent of the layer builder.
const L = 32, H = 4096, I = 11008, V = 32000, heads = 32, d = 128;
const matrixMacsPerToken = L * (4 * H * H + 3 * H * I) + V * H;

describe('LLM per-token cost', () => {
  it('KV cache of Llama-2-7B at fp16 is 512 KiB per token of context', () => {
    assert.equal(kvCacheBytesPerToken(llama2, 2), 524_288);
  });

  it('decode MACs = matrix MACs + 2·L·heads·d·context', () => {
    const cost = llmTokenCost(llama2, { contexts: [1, 4096] });
    assert.equal(cost.decode[0]?.macs, matrixMacsPerToken + 2 * L * heads * d * 1);
    assert.equal(cost.decode[1]?.macs, matrixMacsPerToken + 2 * L * heads * d * 4096);
  });

  it('decode at batch 1 reads every active weight once plus the KV cache, growing with context', () => {
    const cost = llmTokenCost(llama2, { contexts: [1024, 4096] });
    const weights = transformerParameters(llama2).activePerToken * 2;
    assert.equal(cost.decode[0]?.weightBytes, weights);
    assert.equal(cost.decode[0]?.kvCacheReadBytes, 1023 * 524_288);
    const short = cost.decode[0]?.bytes ?? 0;
    const long = cost.decode[1]?.bytes ?? 0;
    // Context 1024 → 4096 adds 3072 tokens of K and V read.
    assert.ok(long - short >= 3072 * 524_288, `${long - short}`);
    assert.ok(short > weights + 1023 * 524_288);
    // ~13.2 GB of weights for ~13.2 GFLOPs: about one FLOP per byte, deeply memory-bound.
    assert.ok((cost.decode[0]?.intensity ?? 0) < 2);
  });

  it('prefill amortizes weights over the prompt: high arithmetic intensity', () => {
    const cost = llmTokenCost(llama2, { promptTokens: 512, contexts: [] });
    // Causal attention: query i attends to i keys, so the average is (S+1)/2.
    const attention = 2 * L * heads * d * (513 / 2);
    const lmHeadShare = (V * H) / 512;
    assert.ok(Math.abs((cost.prefill.macs) - (matrixMacsPerToken - V * H + lmHeadShare + attention)) < 1e-3);
    assert.ok(cost.prefill.intensity > 100, `${cost.prefill.intensity}`);
  });

  it('step layers cover every block component and sum to the same parameters', () => {
    const layers = transformerStepLayers(gpt2, { phase: 'decode', context: 10 });
    assert.equal(layers.filter((l) => l.name.startsWith('blk.0.')).length, 12);
    assert.ok(layers.every((l) => l.domain === 'llm' && l.confidence === 'exact'));
    const qkv = layers.find((l) => l.name === 'blk.0.attn_qkv');
    assert.deepEqual(qkv?.gemm, { m: 1, n: 3 * 768, k: 768, batch: 1 });
    // Tied GPT-2: the output layer owns no parameters but still reads the matrix.
    const output = layers.find((l) => l.name === 'output');
    assert.equal(output?.params, 0);
    assert.equal(output?.bytes.weights, 50257 * 768 * 2);
    const params = layers.reduce((s, l) => s + l.params, 0);
    assert.equal(params, 124_439_808);
  });

  it('batched decode reads the weights once for the whole batch', () => {
    const one = stepTotals(transformerStepLayers(llama2, { phase: 'decode', context: 100, batch: 1 }));
    const eight = stepTotals(transformerStepLayers(llama2, { phase: 'decode', context: 100, batch: 8 }));
    assert.ok(Math.abs(eight.macs - 8 * one.macs) < 1);
    assert.equal(eight.weightBytes - 7 * 4096 * 2, one.weightBytes);
    assert.ok(eight.intensity > 6 * one.intensity);
  });
});
