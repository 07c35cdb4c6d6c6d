/**
 * Per-token numbers of LLM inference derived from the step layers (tokenLayers.ts), so the summary
 * and the per-layer view can never disagree: prefill MACs/FLOPs/bytes per prompt token, decode
 * MACs/FLOPs/bytes per generated token at several context lengths, and the KV cache footprint.
 */
import type { LayerCost } from '../cost/types';
import { transformerParameters, type TransformerParameters } from './parameters';
import { DEFAULT_PRECISION, type LlmPrecisionSettings, transformerStepLayers } from './tokenLayers';
import type { TransformerConfig } from './transformerConfig';

export interface StepTotals {
  readonly macs: number;
  readonly flops: number;
  readonly weightBytes: number;
  /** Activation and KV-cache bytes read and written. */
  readonly activationBytes: number;
  readonly totalBytes: number;
  /** FLOPs per byte moved (roofline x axis, before any cache reuse). */
  readonly intensity: number;
}

export function stepTotals(layers: readonly LayerCost[]): StepTotals {
  let macs = 0;
  let flops = 0;
  let weightBytes = 0;
  let activationBytes = 0;
  for (const l of layers) {
    macs += l.macs;
    flops += l.flops.mac + l.flops.elementwise + l.flops.transcendental;
    weightBytes += l.bytes.weights;
    activationBytes += l.bytes.inputs + l.bytes.outputs;
  }
  const totalBytes = weightBytes + activationBytes;
  return { macs, flops, weightBytes, activationBytes, totalBytes, intensity: totalBytes > 0 ? flops / totalBytes : 0 };
}

export interface PerTokenCost {
  readonly macs: number;
  readonly flops: number;
  readonly bytes: number;
  readonly weightBytes: number;
  readonly kvCacheReadBytes: number;
  readonly intensity: number;
}

export interface DecodePoint extends PerTokenCost {
  /** Tokens attended, the new one included. */
  readonly context: number;
}

export interface LlmTokenCost {
  readonly parameters: TransformerParameters;
  /** Bytes of K and V cached per token of context: 2 · layers · kv_heads · head_dim · bytes. */
  readonly kvCacheBytesPerToken: number;
  readonly prefill: PerTokenCost & { readonly promptTokens: number };
  readonly decode: readonly DecodePoint[];
}

export interface LlmCostOptions {
  readonly promptTokens?: number;
  /** Context lengths at which decode is evaluated. */
  readonly contexts?: readonly number[];
  readonly precision?: LlmPrecisionSettings;
}

export const DEFAULT_CONTEXTS: readonly number[] = [128, 1024, 4096, 32768];

export function kvCacheBytesPerToken(config: TransformerConfig, kvBytesPerElement: number): number {
  return 2 * config.layers * config.kvHeads * config.headDim * kvBytesPerElement;
}

function perToken(layers: readonly LayerCost[], tokens: number, kvRead: number): PerTokenCost {
  const t = stepTotals(layers);
  return {
    macs: t.macs / tokens,
    flops: t.flops / tokens,
    bytes: t.totalBytes / tokens,
    weightBytes: t.weightBytes / tokens,
    kvCacheReadBytes: kvRead / tokens,
    intensity: t.intensity,
  };
}

export function llmTokenCost(config: TransformerConfig, options: LlmCostOptions = {}): LlmTokenCost {
  const precision = options.precision ?? DEFAULT_PRECISION;
  const promptTokens = options.promptTokens ?? 512;
  const perPosition = kvCacheBytesPerToken(config, precision.kvBytesPerElement);
  const contexts = (options.contexts ?? DEFAULT_CONTEXTS).filter((c) => c >= 1);
  const prefillLayers = transformerStepLayers(config, { phase: 'prefill', tokens: promptTokens }, precision);
  return {
    parameters: transformerParameters(config),
    kvCacheBytesPerToken: perPosition,
    prefill: { promptTokens, ...perToken(prefillLayers, promptTokens, promptTokens * perPosition) },
    decode: contexts.map((context) => ({
      context,
      ...perToken(transformerStepLayers(config, { phase: 'decode', context }, precision), 1, (context - 1) * perPosition),
    })),
  };
}
