/**
 * The work of one transformer step as LayerCost[] (one entry per block component), so the energy
 * model prices LLM inference exactly like any other graph. A step is either a prefill of `tokens`
 * prompt tokens (causal attention over the prompt) or one decode step at a given context length
 * (each sequence of the batch produces one token and reads the whole KV cache).
 *
 * Bytes: weights once per step (batch 1 decode therefore reads every active weight per token);
 * the KV cache counts as activation input of the attention products; activations at `activationBytes`.
 * MACs and FLOPs come from the shared formulas (cost/formulas.ts), as for an ONNX graph of the same
 * block, except that prefill attention counts only the causal query–key pairs (a kernel that skips
 * the masked ones), where an ONNX graph computes every pair and masks.
 */
import {
  type AttentionSpec, attentionContextMacs, attentionScoreCount, attentionScoresMacs, ELEMENTWISE_WORK, layerNormFlops, linearWork,
  lookupRead, type PerElementWork, SILU, softmaxFlops,
} from '../cost/formulas';
import type { LayerCost, Precision } from '../cost/types';
import { attentionWidths, normParameters } from './parameters';
import type { TransformerConfig } from './transformerConfig';

export const LLM_DOMAIN = 'llm';

export interface LlmPrecisionSettings {
  /** Stored bytes per weight (2 for bf16; 18/32 for GGUF Q4_0; file weight bytes / params on average). */
  readonly weightBytesPerParam: number;
  /** Bytes per cached key or value element (2 for an fp16 KV cache). */
  readonly kvBytesPerElement: number;
  /** Bytes per activation element. */
  readonly activationBytes: number;
  /** Arithmetic precision of the matrix products. */
  readonly precision: Precision;
}

export const DEFAULT_PRECISION: LlmPrecisionSettings = {
  weightBytesPerParam: 2, kvBytesPerElement: 2, activationBytes: 2, precision: 'fp16',
};

export type LlmStep =
  /** Prefill: `tokens` prompt tokens per sequence, attention causal over them. */
  | { readonly phase: 'prefill'; readonly tokens: number; readonly batch?: number }
  /** Decode: one new token per sequence attending to `context` tokens (itself included). */
  | { readonly phase: 'decode'; readonly context: number; readonly batch?: number };

interface StepShape {
  /** Rows of every projection: tokens × batch. */
  readonly rows: number;
  readonly batch: number;
  /** Query positions per sequence. */
  readonly queries: number;
  /** Keys attended per sequence, summed over the query positions (causal for prefill). */
  readonly keyQueryPairs: number;
  /** Longest key length (n of the scores product). */
  readonly keys: number;
  /** Keys (and as many values) read from the KV cache per sequence: the whole prompt once in prefill, the earlier context in decode. */
  readonly cachedKeysRead: number;
}

function stepShape(step: LlmStep): StepShape {
  const batch = step.batch ?? 1;
  if (step.phase === 'prefill') {
    const s = step.tokens;
    return { rows: s * batch, batch, queries: s, keyQueryPairs: (s * (s + 1)) / 2, keys: s, cachedKeysRead: s };
  }
  const c = step.context;
  return { rows: batch, batch, queries: 1, keyQueryPairs: c, keys: c, cachedKeysRead: c - 1 };
}

interface LayerSpec {
  readonly name: string;
  readonly opType: string;
  readonly macs: number;
  readonly elementwise?: number;
  readonly transcendental?: number;
  readonly params: number;
  readonly weightBytes: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly gemm?: { readonly m: number; readonly n: number; readonly k: number; readonly batch: number };
  readonly note?: string;
}

/** The MLP activation: SiLU(gate)·up for gated MLPs (SwiGLU), erf Gelu for plain ones (the config does not say which). */
function mlpActivation(gated: boolean): PerElementWork {
  return gated ? { e: SILU.e + ELEMENTWISE_WORK.Mul!.e, t: SILU.t } : ELEMENTWISE_WORK.Gelu!;
}

function layer(spec: LayerSpec, precision: Precision): LayerCost {
  return {
    name: spec.name,
    opType: spec.opType,
    domain: LLM_DOMAIN,
    macs: spec.macs,
    flops: { mac: 2 * spec.macs, elementwise: spec.elementwise ?? 0, transcendental: spec.transcendental ?? 0 },
    params: spec.params,
    bytes: { weights: spec.weightBytes, inputs: spec.inputBytes, outputs: spec.outputBytes },
    precision,
    confidence: 'exact',
    ...(spec.note ? { note: spec.note } : {}),
    ...(spec.gemm ? { gemm: spec.gemm } : {}),
    inputShapes: spec.inputShapes,
    outputShapes: spec.outputShapes,
    activationInputs: spec.inputs,
    activationOutputs: spec.outputs,
  };
}

/** LayerCost of every component of one step, in execution order. */
export function transformerStepLayers(config: TransformerConfig, step: LlmStep, settings: LlmPrecisionSettings = DEFAULT_PRECISION): LayerCost[] {
  const shape = stepShape(step);
  const { rows, batch } = shape;
  const h = config.hiddenSize;
  const d = config.headDim;
  const { q, kv } = attentionWidths(config);
  const wb = settings.weightBytesPerParam;
  const ab = settings.activationBytes;
  const kvb = settings.kvBytesPerElement;
  const p = settings.precision;
  const normP = normParameters(config);
  const mlpCopies = config.moe?.expertsPerToken ?? 1;
  const upWidth = (config.gatedMlp ? 2 : 1) * config.intermediateSize;
  const hidden = [rows, h];
  // Residual and position-embedding adds: one ONNX Add per hidden element.
  const residualAdds = rows * h * ELEMENTWISE_WORK.Add!.e;
  const out: LayerCost[] = [];

  out.push(layer({
    name: 'token_embd', opType: 'Gather', macs: 0, params: config.vocabSize * h,
    weightBytes: lookupRead(rows * h, config.vocabSize * h) * wb, inputBytes: rows * 4, outputBytes: rows * h * ab,
    inputShapes: [[rows]], outputShapes: [hidden], inputs: ['tokens'], outputs: ['x'],
    note: 'reads one embedding row per token',
  }, p));
  if (config.learnedPositions > 0) {
    out.push(layer({
      name: 'pos_embd', opType: 'Add', macs: 0, elementwise: residualAdds, params: config.learnedPositions * h,
      weightBytes: shape.queries * h * wb, inputBytes: rows * h * ab, outputBytes: rows * h * ab,
      inputShapes: [hidden], outputShapes: [hidden], inputs: ['x'], outputs: ['x'],
    }, p));
  }

  const normFlops = layerNormFlops(rows * h, rows, config.norm === 'rmsnorm');
  const norm = (name: string, input: string, output: string): LayerCost => layer({
    name, opType: config.norm === 'rmsnorm' ? 'RMSNormalization' : 'LayerNormalization',
    macs: 0, ...normFlops, params: normP,
    weightBytes: normP * wb, inputBytes: rows * h * ab, outputBytes: rows * h * ab,
    inputShapes: [hidden], outputShapes: [hidden], inputs: [input], outputs: [output],
  }, p);

  const matmul = (name: string, input: string, output: string, k: number, n: number, params: number, bias: number): LayerCost => layer({
    name, opType: 'MatMul', ...linearWork({ rows, inFeatures: k, outFeatures: n, bias: bias > 0 }), params: params + bias,
    weightBytes: (params + bias) * wb, inputBytes: rows * k * ab, outputBytes: rows * n * ab,
    inputShapes: [[rows, k]], outputShapes: [[rows, n]], inputs: [input], outputs: [output],
  }, p);
  // Per sequence and head: `keyQueryPairs` scores (causal in prefill), head size d.
  const attention: AttentionSpec = { batch, numHeads: config.heads, seqQ: shape.queries, seqKv: shape.keys, headSize: d, pairs: shape.keyQueryPairs };
  const scores = attentionScoreCount(attention);
  const softmax = softmaxFlops(scores);
  const act = mlpActivation(config.gatedMlp);

  for (let l = 0; l < config.layers; l++) {
    const b = `blk.${l}`;
    const attnIn = config.normsPerBlock >= 1 ? `${b}.xn` : 'x';
    if (config.normsPerBlock >= 1) out.push(norm(`${b}.attn_norm`, 'x', attnIn));
    const qkvWidth = q + 2 * kv;
    out.push(matmul(`${b}.attn_qkv`, attnIn, `${b}.qkv`, h, qkvWidth, h * qkvWidth, config.biases.qkv ? qkvWidth : 0));
    if (config.qkNorm) {
      out.push(layer({
        name: `${b}.attn_qk_norm`, opType: 'RMSNormalization', macs: 0,
        ...layerNormFlops(rows * (q + kv), rows * (config.heads + config.kvHeads), true), params: 2 * d,
        weightBytes: 2 * d * wb, inputBytes: rows * (q + kv) * ab, outputBytes: rows * (q + kv) * ab,
        inputShapes: [[rows, q + kv]], outputShapes: [[rows, q + kv]], inputs: [`${b}.qkv`], outputs: [`${b}.qkv`],
      }, p));
    }
    // The new keys and values go to the cache.
    const kvWrite = 2 * batch * shape.queries * kv * kvb;
    const kRead = batch * shape.cachedKeysRead * kv * kvb;
    out.push(layer({
      // QKᵀ and its 1/√d scale, one per score.
      name: `${b}.attn_scores`, opType: 'MatMul', macs: attentionScoresMacs(attention), elementwise: scores, params: 0,
      weightBytes: 0, inputBytes: rows * q * ab + kRead, outputBytes: scores * ab + kvWrite,
      inputShapes: [[batch, config.heads, shape.queries, d], [batch, config.kvHeads, shape.keys, d]],
      outputShapes: [[batch, config.heads, shape.queries, shape.keys]],
      inputs: [`${b}.qkv`, `${b}.k_cache`], outputs: [`${b}.scores`, `${b}.k_cache`],
      gemm: { m: shape.queries, n: shape.keys, k: d, batch: batch * config.heads },
      note: step.phase === 'prefill' ? 'causal: each query attends to the keys up to its position' : `reads ${shape.cachedKeysRead} cached keys per sequence`,
    }, p));
    out.push(layer({
      name: `${b}.attn_softmax`, opType: 'Softmax', macs: 0, ...softmax, params: 0,
      weightBytes: 0, inputBytes: scores * ab, outputBytes: scores * ab,
      inputShapes: [[batch, config.heads, shape.queries, shape.keys]], outputShapes: [[batch, config.heads, shape.queries, shape.keys]],
      inputs: [`${b}.scores`], outputs: [`${b}.probs`],
    }, p));
    out.push(layer({
      name: `${b}.attn_context`, opType: 'MatMul', macs: attentionContextMacs(attention), params: 0,
      weightBytes: 0, inputBytes: scores * ab + batch * shape.cachedKeysRead * kv * kvb, outputBytes: rows * q * ab,
      inputShapes: [[batch, config.heads, shape.queries, shape.keys], [batch, config.kvHeads, shape.keys, d]],
      outputShapes: [[batch, shape.queries, q]],
      inputs: [`${b}.probs`, `${b}.v_cache`], outputs: [`${b}.ctx`],
      gemm: { m: shape.queries, n: d, k: shape.keys, batch: batch * config.heads },
    }, p));
    out.push(matmul(`${b}.attn_output`, `${b}.ctx`, `${b}.attn_out`, q, h, q * h, config.biases.attnOut ? h : 0));
    if (config.normsPerBlock >= 3) out.push(norm(`${b}.attn_post_norm`, `${b}.attn_out`, `${b}.attn_out`));
    out.push(layer({
      name: `${b}.attn_residual`, opType: 'Add', macs: 0, elementwise: residualAdds, params: 0,
      weightBytes: 0, inputBytes: 2 * rows * h * ab, outputBytes: rows * h * ab,
      inputShapes: [hidden, hidden], outputShapes: [hidden], inputs: ['x', `${b}.attn_out`], outputs: ['x'],
    }, p));
    if (config.normsPerBlock >= 2) out.push(norm(`${b}.ffn_norm`, 'x', `${b}.xn2`));
    const mlpIn = config.normsPerBlock >= 2 ? `${b}.xn2` : attnIn;
    if (config.moe) {
      out.push(matmul(`${b}.ffn_router`, mlpIn, `${b}.router`, h, config.moe.experts, h * config.moe.experts, 0));
    }
    const upBias = config.biases.mlp ? upWidth : 0;
    const downBias = config.biases.mlp ? h : 0;
    const up = matmul(`${b}.ffn_up`, mlpIn, `${b}.up`, h, upWidth * mlpCopies, h * upWidth * mlpCopies, upBias * mlpCopies);
    out.push(up);
    const actElements = rows * config.intermediateSize * mlpCopies;
    out.push(layer({
      name: `${b}.ffn_act`, opType: config.gatedMlp ? 'GatedActivation' : 'Gelu', macs: 0,
      elementwise: act.e * actElements, transcendental: act.t * actElements, params: 0,
      weightBytes: 0, inputBytes: rows * upWidth * mlpCopies * ab, outputBytes: actElements * ab,
      inputShapes: [[rows, upWidth * mlpCopies]], outputShapes: [[rows, config.intermediateSize * mlpCopies]],
      inputs: [`${b}.up`], outputs: [`${b}.act`],
    }, p));
    out.push(matmul(`${b}.ffn_down`, `${b}.act`, `${b}.down`, config.intermediateSize * mlpCopies, h, config.intermediateSize * h * mlpCopies, downBias * mlpCopies));
    if (config.normsPerBlock >= 4) out.push(norm(`${b}.ffn_post_norm`, `${b}.down`, `${b}.down`));
    out.push(layer({
      name: `${b}.ffn_residual`, opType: 'Add', macs: 0, elementwise: residualAdds, params: 0,
      weightBytes: 0, inputBytes: 2 * rows * h * ab, outputBytes: rows * h * ab,
      inputShapes: [hidden, hidden], outputShapes: [hidden], inputs: ['x', `${b}.down`], outputs: ['x'],
    }, p));
  }
  out.push(norm('output_norm', 'x', 'xf'));
  // Decode needs logits for the new token only; prefill computes them for the last position only too.
  const logitRows = batch;
  const v = config.vocabSize;
  const headBias = config.biases.lmHead && !config.tiedEmbeddings ? v : 0;
  out.push(layer({
    name: 'output', opType: 'MatMul', ...linearWork({ rows: logitRows, inFeatures: h, outFeatures: v, bias: headBias > 0 }),
    params: config.tiedEmbeddings ? 0 : h * v + headBias,
    weightBytes: (h * v + headBias) * wb, inputBytes: logitRows * h * ab, outputBytes: logitRows * v * ab,
    inputShapes: [[logitRows, h]], outputShapes: [[logitRows, v]], inputs: ['xf'], outputs: ['logits'],
    note: config.tiedEmbeddings ? 'tied to token_embd: the embedding matrix is read again' : 'lm_head',
  }, p));
  return out;
}
