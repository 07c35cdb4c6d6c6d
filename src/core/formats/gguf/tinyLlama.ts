/**
 * A GGUF spec of a small Llama-style model with llama.cpp tensor names, for fixtures and tests:
 * architecture metadata, a tokenizer vocabulary, and tensors in the quantized types asked for.
 */
import type { GgufSpec, GgufTensorSpec, GgufWriteValue } from './writer';

export interface TinyLlamaShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ff: number;
  readonly vocab: number;
  readonly context: number;
}

export interface TinyLlamaTypes {
  /** Attention and MLP matrices. */
  readonly matrix: string;
  readonly embedding: string;
  /** Output projection; undefined ties it to the embedding (no output.weight). */
  readonly output?: string;
}

export const TINY_LLAMA: TinyLlamaShape = { layers: 2, hidden: 256, heads: 4, kvHeads: 2, ff: 512, vocab: 320, context: 2048 };

const u32 = (value: number): GgufWriteValue => ({ type: 'UINT32', value });

export function tinyLlamaGgufSpec(
  shape: TinyLlamaShape = TINY_LLAMA,
  types: TinyLlamaTypes = { matrix: 'Q4_K', embedding: 'Q6_K', output: 'Q8_0' },
  version: 2 | 3 = 3,
): GgufSpec {
  const { hidden: h, ff, vocab } = shape;
  const headDim = h / shape.heads;
  const kv = shape.kvHeads * headDim;
  const tensors: GgufTensorSpec[] = [{ name: 'token_embd.weight', type: types.embedding, ne: [h, vocab] }];
  for (let l = 0; l < shape.layers; l++) {
    const b = `blk.${l}`;
    tensors.push(
      { name: `${b}.attn_norm.weight`, type: 'F32', ne: [h] },
      { name: `${b}.attn_q.weight`, type: types.matrix, ne: [h, h] },
      { name: `${b}.attn_k.weight`, type: types.matrix, ne: [h, kv] },
      { name: `${b}.attn_v.weight`, type: types.matrix, ne: [h, kv] },
      { name: `${b}.attn_output.weight`, type: types.matrix, ne: [h, h] },
      { name: `${b}.ffn_norm.weight`, type: 'F32', ne: [h] },
      { name: `${b}.ffn_gate.weight`, type: types.matrix, ne: [h, ff] },
      { name: `${b}.ffn_up.weight`, type: types.matrix, ne: [h, ff] },
      { name: `${b}.ffn_down.weight`, type: types.matrix, ne: [ff, h] },
    );
  }
  tensors.push({ name: 'output_norm.weight', type: 'F32', ne: [h] });
  if (types.output) tensors.push({ name: 'output.weight', type: types.output, ne: [h, vocab] });
  const vocabulary = Array.from({ length: vocab }, (_, i): GgufWriteValue => ({ type: 'STRING', value: i < 256 ? `<0x${i.toString(16).padStart(2, '0')}>` : `tok${i}` }));
  return {
    version,
    metadata: [
      ['general.architecture', { type: 'STRING', value: 'llama' }],
      ['general.name', { type: 'STRING', value: 'joule tiny llama' }],
      ['general.file_type', u32(15)],
      ['llama.block_count', u32(shape.layers)],
      ['llama.context_length', u32(shape.context)],
      ['llama.embedding_length', u32(h)],
      ['llama.feed_forward_length', u32(ff)],
      ['llama.attention.head_count', u32(shape.heads)],
      ['llama.attention.head_count_kv', u32(shape.kvHeads)],
      ['llama.attention.layer_norm_rms_epsilon', { type: 'FLOAT32', value: 1e-5 }],
      ['llama.rope.freq_base', { type: 'FLOAT32', value: 10000 }],
      ['tokenizer.ggml.model', { type: 'STRING', value: 'llama' }],
      ['tokenizer.ggml.tokens', { type: 'ARRAY', elementType: 'STRING', values: vocabulary }],
      ['tokenizer.ggml.scores', { type: 'ARRAY', elementType: 'FLOAT32', values: vocabulary.map((_, i) => ({ type: 'FLOAT32', value: -i })) }],
      ['tokenizer.ggml.bos_token_id', u32(1)],
    ],
    tensors,
  };
}
