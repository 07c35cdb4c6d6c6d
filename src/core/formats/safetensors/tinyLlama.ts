/**
 * A small Llama-style checkpoint in Hugging Face naming (model.layers.N.self_attn.q_proj.weight...)
 * with its config.json, for fixtures and tests: the tensors match the config exactly, so the
 * parameter formula can be checked against a file.
 */
import type { SafetensorsTensorSpec } from './writer';

export interface TinyHfLlama {
  readonly config: Readonly<Record<string, unknown>>;
  readonly tensors: readonly SafetensorsTensorSpec[];
}

export function tinyHfLlama(options: { layers?: number; hidden?: number; heads?: number; kvHeads?: number; ff?: number; vocab?: number; tied?: boolean } = {}): TinyHfLlama {
  const layers = options.layers ?? 2;
  const h = options.hidden ?? 64;
  const heads = options.heads ?? 4;
  const kvHeads = options.kvHeads ?? 2;
  const ff = options.ff ?? 172;
  const vocab = options.vocab ?? 128;
  const tied = options.tied ?? false;
  const kv = (h / heads) * kvHeads;
  const t = (name: string, shape: number[]): SafetensorsTensorSpec => ({ name, dtype: 'BF16', shape });
  const tensors: SafetensorsTensorSpec[] = [t('model.embed_tokens.weight', [vocab, h])];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`;
    tensors.push(
      t(`${p}.input_layernorm.weight`, [h]),
      t(`${p}.self_attn.q_proj.weight`, [h, h]),
      t(`${p}.self_attn.k_proj.weight`, [kv, h]),
      t(`${p}.self_attn.v_proj.weight`, [kv, h]),
      t(`${p}.self_attn.o_proj.weight`, [h, h]),
      t(`${p}.post_attention_layernorm.weight`, [h]),
      t(`${p}.mlp.gate_proj.weight`, [ff, h]),
      t(`${p}.mlp.up_proj.weight`, [ff, h]),
      t(`${p}.mlp.down_proj.weight`, [h, ff]),
    );
  }
  tensors.push(t('model.norm.weight', [h]));
  if (!tied) tensors.push(t('lm_head.weight', [vocab, h]));
  return {
    config: {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: h,
      intermediate_size: ff,
      num_attention_heads: heads,
      num_hidden_layers: layers,
      num_key_value_heads: kvHeads,
      vocab_size: vocab,
      max_position_embeddings: 512,
      tie_word_embeddings: tied,
      torch_dtype: 'bfloat16',
    },
    tensors,
  };
}
