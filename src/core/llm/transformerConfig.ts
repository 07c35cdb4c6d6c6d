/**
 * The shape of a decoder-only transformer, as much as the cost model needs: read from a Hugging Face
 * config.json or from GGUF metadata, validated before any arithmetic so that absurd values from an
 * untrusted file become a ModelFormatError instead of a nonsense estimate.
 */
import { ModelFormatError } from '../errors';

export type NormKind = 'rmsnorm' | 'layernorm';

export interface TransformerConfig {
  /** Family as named by the file (llama, mistral, qwen2, gpt2, gpt_neox, phi, gemma...). */
  readonly architecture: string;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly heads: number;
  /** Key/value heads (GQA/MQA when below `heads`). */
  readonly kvHeads: number;
  /** Per-head dimension; hiddenSize / heads unless the model says otherwise (Gemma). */
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  /** lm_head shares the token embedding matrix. */
  readonly tiedEmbeddings: boolean;
  /** Gated MLP (SwiGLU/GeGLU: gate, up, down = 3 matrices) versus plain (up, down = 2). */
  readonly gatedMlp: boolean;
  readonly norm: NormKind;
  /**
   * Hidden-size norms per block: 2 (pre-attention, pre-MLP), 1 (parallel blocks sharing one norm:
   * phi) or 4 (Gemma 2/3 add post-attention and post-MLP norms).
   */
  readonly normsPerBlock: number;
  /** Per-head RMSNorm on queries and keys (Qwen3, Gemma 3): 2 · head_dim parameters per block. */
  readonly qkNorm?: boolean;
  readonly biases: {
    /** Bias on the q, k and v projections. */
    readonly qkv: boolean;
    readonly attnOut: boolean;
    readonly mlp: boolean;
    readonly lmHead: boolean;
  };
  /** Learned absolute position embeddings (GPT-2) of this many positions; 0 for rotary models. */
  readonly learnedPositions: number;
  /** Context length the model was trained for. */
  readonly maxContext: number;
  /** Mixture of experts: each block has `experts` MLPs and a router; `expertsPerToken` run per token. */
  readonly moe?: { readonly experts: number; readonly expertsPerToken: number };
}

const LIMITS: Readonly<Record<string, number>> = {
  // Each block becomes ~11 costed layers: 10,000 blocks from a 400-byte GGUF cost 9 s and 500 MB.
  // The deepest published LLMs have a few hundred blocks.
  layers: 1_000,
  hiddenSize: 1 << 20,
  heads: 65_536,
  kvHeads: 65_536,
  headDim: 65_536,
  intermediateSize: 1 << 22,
  vocabSize: 1 << 24,
  maxContext: 1 << 28,
  learnedPositions: 1 << 24,
  normsPerBlock: 4,
  experts: 4096,
  expertsPerToken: 4096,
};

function checkCount(file: string, field: string, value: number, min: number): void {
  const max = LIMITS[field] ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ModelFormatError(file, undefined, `${field} to be an integer in [${min}, ${max}], got ${value}`, 'Check the model configuration.');
  }
}

/** Throws ModelFormatError when a field is missing, non-integer, out of range or inconsistent. */
export function validateTransformerConfig(config: TransformerConfig, file: string): TransformerConfig {
  checkCount(file, 'layers', config.layers, 1);
  checkCount(file, 'hiddenSize', config.hiddenSize, 1);
  checkCount(file, 'heads', config.heads, 1);
  checkCount(file, 'kvHeads', config.kvHeads, 1);
  checkCount(file, 'headDim', config.headDim, 1);
  checkCount(file, 'intermediateSize', config.intermediateSize, 1);
  checkCount(file, 'vocabSize', config.vocabSize, 1);
  checkCount(file, 'maxContext', config.maxContext, 0);
  checkCount(file, 'learnedPositions', config.learnedPositions, 0);
  checkCount(file, 'normsPerBlock', config.normsPerBlock, 0);
  if (config.heads % config.kvHeads !== 0) {
    throw new ModelFormatError(file, undefined, `heads (${config.heads}) to be a multiple of key/value heads (${config.kvHeads})`, 'Check the model configuration.');
  }
  if (config.moe) {
    checkCount(file, 'experts', config.moe.experts, 1);
    checkCount(file, 'expertsPerToken', config.moe.expertsPerToken, 1);
    if (config.moe.expertsPerToken > config.moe.experts) {
      throw new ModelFormatError(file, undefined, `experts per token (${config.moe.expertsPerToken}) ≤ experts (${config.moe.experts})`, 'Check the model configuration.');
    }
  }
  return config;
}
