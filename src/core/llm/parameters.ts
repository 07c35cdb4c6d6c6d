/**
 * Exact parameter counts of a decoder-only transformer from its configuration (docs/llm-cost-model.md):
 *   embeddings  V·H (+ P·H learned positions)
 *   attention   H·(n_q·d) + 2·H·(n_kv·d) + (n_q·d)·H  (+ biases)
 *   MLP         3·H·I gated (SwiGLU/GeGLU) or 2·H·I plain (+ biases); × experts (+ router H·E) for MoE
 *   norms       H (RMSNorm) or 2·H (LayerNorm) each, per block and once at the end (+ 2·d q/k norms)
 *   lm_head     V·H unless tied to the embeddings (+ V bias)
 */
import type { TransformerConfig } from './transformerConfig';

export interface BlockParameters {
  readonly attention: number;
  /** All experts' MLPs (and the router) for MoE models. */
  readonly mlp: number;
  /** The MLP parameters one token runs through (MoE: expertsPerToken experts plus the router). */
  readonly mlpActive: number;
  readonly norms: number;
  readonly total: number;
}

export interface TransformerParameters {
  readonly embedding: number;
  readonly positionEmbedding: number;
  readonly perBlock: BlockParameters;
  readonly blocks: number;
  readonly finalNorm: number;
  /** 0 when tied to the embeddings. */
  readonly lmHead: number;
  readonly total: number;
  /** Parameters one decoded token touches (MoE: only the routed experts; one embedding row). */
  readonly activePerToken: number;
}

export function normParameters(config: TransformerConfig): number {
  return config.norm === 'rmsnorm' ? config.hiddenSize : 2 * config.hiddenSize;
}

/** Projection widths: query/output (n_q·d) and each of key and value (n_kv·d). */
export function attentionWidths(config: TransformerConfig): { q: number; kv: number } {
  return { q: config.heads * config.headDim, kv: config.kvHeads * config.headDim };
}

function oneMlp(config: TransformerConfig): number {
  const h = config.hiddenSize;
  const i = config.intermediateSize;
  const matrices = config.gatedMlp ? 3 * h * i : 2 * h * i;
  const biases = config.biases.mlp ? (config.gatedMlp ? 2 * i : i) + h : 0;
  return matrices + biases;
}

export function blockParameters(config: TransformerConfig): BlockParameters {
  const h = config.hiddenSize;
  const { q, kv } = attentionWidths(config);
  const attention = h * q + 2 * h * kv + q * h + (config.biases.qkv ? q + 2 * kv : 0) + (config.biases.attnOut ? h : 0);
  const experts = config.moe?.experts ?? 1;
  const router = config.moe ? h * config.moe.experts : 0;
  const mlp = oneMlp(config) * experts + router;
  const mlpActive = oneMlp(config) * (config.moe?.expertsPerToken ?? 1) + router;
  const norms = config.normsPerBlock * normParameters(config) + (config.qkNorm ? 2 * config.headDim : 0);
  return { attention, mlp, mlpActive, norms, total: attention + mlp + norms };
}

export function transformerParameters(config: TransformerConfig): TransformerParameters {
  const h = config.hiddenSize;
  const v = config.vocabSize;
  const embedding = v * h;
  const positionEmbedding = config.learnedPositions * h;
  const perBlock = blockParameters(config);
  const finalNorm = normParameters(config);
  const lmHead = config.tiedEmbeddings ? 0 : v * h + (config.biases.lmHead ? v : 0);
  const total = embedding + positionEmbedding + config.layers * perBlock.total + finalNorm + lmHead;
  // A token reads one embedding row (and one position row), every block's active weights and the
  // full output projection (the embedding matrix itself when tied).
  const outputProjection = v * h + (config.biases.lmHead && !config.tiedEmbeddings ? v : 0);
  const activeBlock = perBlock.attention + perBlock.mlpActive + perBlock.norms;
  const activePerToken = h + (config.learnedPositions > 0 ? h : 0) + config.layers * activeBlock + finalNorm + outputProjection;
  return { embedding, positionEmbedding, perBlock, blocks: config.layers, finalNorm, lmHead, total, activePerToken };
}
