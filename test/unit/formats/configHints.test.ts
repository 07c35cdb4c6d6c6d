import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configJsonHints } from '../../../src/core/formats/hfconfig/configHints';
import { formatBytes, formatCount } from '../../../src/core/report/units';

const llama2 = `{
  "architectures": ["LlamaForCausalLM"],
  "hidden_size": 4096,
  "intermediate_size": 11008,
  "max_position_embeddings": 4096,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "num_key_value_heads": 32,
  "tie_word_embeddings": false,
  "torch_dtype": "float16",
  "vocab_size": 32000
}`;

describe('config.json inline hints', () => {
  it('labels the fields that size Llama-2-7B at the end of their lines', () => {
    const { hints, problem } = configJsonHints(llama2);
    assert.equal(problem, undefined);
    const byKey = new Map(hints.map((h) => [h.key, h]));
    assert.equal(byKey.get('model_type')?.label, '6.74 B params · 13.5 GB at float16');
    assert.equal(byKey.get('num_key_value_heads')?.label, 'KV cache 524 kB/token (fp16)');
    assert.equal(byKey.get('max_position_embeddings')?.label, 'KV cache 2.15 GB at full context');
    assert.equal(byKey.get('num_hidden_layers')?.line, 7);
    assert.equal(byKey.get('num_hidden_layers')?.character, '  "num_hidden_layers": 32,'.length);
    assert.ok(byKey.get('intermediate_size')?.label.includes('gated'));
  });

  it('reports why there are no hints', () => {
    assert.match(configJsonHints('{ nope').problem ?? '', /Not valid JSON/);
    assert.ok(configJsonHints('{"model_type": "llama"}').problem);
    assert.equal(configJsonHints('{"model_type": "llama"}').hints.length, 0);
  });

  it('prints counts and bytes in the units reports use (decimal kB/MB, not KiB)', () => {
    assert.equal(formatCount(124_439_808), '124 M');
    assert.equal(formatCount(512), '512');
    assert.equal(formatBytes(524_288), '524 kB');
    assert.equal(formatBytes(100), '100 B');
    const text = configJsonHints(JSON.stringify({ model_type: 'llama', hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 8192 })).hints.map((h) => h.label).join(' ');
    assert.doesNotMatch(text, /iB/);
    assert.match(text, /KV cache [\d.]+ kB\/token/);
  });
});
