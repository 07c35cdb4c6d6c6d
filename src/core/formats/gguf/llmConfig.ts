/**
 * GGUF architecture metadata (`<arch>.block_count`, `<arch>.embedding_length`, ...) → TransformerConfig.
 * What metadata leaves implicit (gated MLP, norm kind, biases, tied output) is read from which tensors
 * exist, using llama.cpp's tensor names (blk.N.ffn_gate, output.weight, ...), so it matches the file.
 */
import { ModelFormatError } from '../../errors';
import { type TransformerConfig, validateTransformerConfig } from '../../llm/transformerConfig';
import { type GgufValue, valueAsNumber, valueAsString } from './metadata';
import type { GgufFile, GgufTensorInfo } from './reader';
import { maxOf } from '../../extent';

/** A number, or the largest entry of a per-layer array (some models vary heads per layer). */
function numberOrMax(v: GgufValue | undefined, key: string, warnings: string[]): number | undefined {
  if (v?.kind === 'array') {
    const numbers = v.values.map(valueAsNumber).filter((n): n is number => n !== undefined);
    if (numbers.length === 0) return undefined;
    if (new Set(numbers).size > 1) warnings.push(`${key} varies per layer; the cost model uses the largest value for every layer.`);
    return maxOf(numbers);
  }
  return valueAsNumber(v);
}

/** The transformer configuration of a GGUF LLM, or undefined (with a warning) when metadata is missing. */
export function transformerConfigFromGguf(file: GgufFile, path: string, warnings: string[]): TransformerConfig | undefined {
  const arch = valueAsString(file.metadata.get('general.architecture'));
  if (!arch) {
    warnings.push('No general.architecture: per-token LLM costs are not available.');
    return undefined;
  }
  const meta = (key: string): number | undefined => numberOrMax(file.metadata.get(`${arch}.${key}`), `${arch}.${key}`, warnings);
  const tensors = new Map<string, GgufTensorInfo>(file.tensors.map((t) => [t.name, t]));
  const has = (name: string): boolean => tensors.has(name);
  const layers = meta('block_count');
  const hiddenSize = meta('embedding_length');
  const heads = meta('attention.head_count');
  const feedForward = meta('feed_forward_length') ?? meta('expert_feed_forward_length');
  if (layers === undefined || hiddenSize === undefined || heads === undefined || feedForward === undefined) {
    warnings.push(`Architecture ${arch} lacks block_count, embedding_length, attention.head_count or feed_forward_length: per-token LLM costs are not available.`);
    return undefined;
  }
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  const embedding = tensors.get('token_embd.weight');
  const vocabSize = meta('vocab_size') ?? (tokens?.kind === 'array' ? tokens.length : undefined) ?? embedding?.ne[1];
  if (vocabSize === undefined) throw new ModelFormatError(path, undefined, 'a vocabulary size (vocab_size, tokenizer.ggml.tokens or token_embd.weight)');
  const headDim = meta('attention.key_length') ?? hiddenSize / heads;
  const up = tensors.get('blk.0.ffn_up.weight');
  const gatedMlp = has('blk.0.ffn_gate.weight') || has('blk.0.ffn_gate_exps.weight') || (up !== undefined && up.ne[1] === 2 * feedForward);
  const norms = ['attn_norm', 'ffn_norm', 'post_attention_norm', 'post_ffw_norm'].filter((n) => has(`blk.0.${n}.weight`)).length;
  const experts = meta('expert_count');
  const position = tensors.get('position_embd.weight');
  const config: TransformerConfig = {
    architecture: arch,
    layers,
    hiddenSize,
    heads,
    kvHeads: meta('attention.head_count_kv') ?? heads,
    headDim,
    intermediateSize: feedForward,
    vocabSize,
    tiedEmbeddings: !has('output.weight'),
    gatedMlp,
    norm: has('blk.0.attn_norm.bias') ? 'layernorm' : 'rmsnorm',
    normsPerBlock: norms,
    ...(has('blk.0.attn_q_norm.weight') ? { qkNorm: true } : {}),
    biases: {
      qkv: has('blk.0.attn_q.bias') || has('blk.0.attn_qkv.bias'),
      attnOut: has('blk.0.attn_output.bias'),
      mlp: has('blk.0.ffn_up.bias') || has('blk.0.ffn_down.bias'),
      lmHead: has('output.bias'),
    },
    learnedPositions: position?.ne[1] ?? 0,
    maxContext: meta('context_length') ?? 0,
    ...(experts !== undefined && experts > 1 ? { moe: { experts, expertsPerToken: meta('expert_used_count') ?? 2 } } : {}),
  };
  return validateTransformerConfig(config, path);
}
