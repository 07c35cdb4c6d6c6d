/**
 * Energy per token of LLM inference on a hardware profile: the prefill and decode steps
 * (tokenLayers.ts) priced by the energy model's `estimate`, divided by the tokens each step produces.
 * Decode at batch 1 reads every weight per token, so on most profiles it comes out memory-bound;
 * the `bound` field reports what the roofline says: the bound of the layers that take most of the
 * step's latency (compute, memory, or per-kernel overhead for small models).
 */
import type { Bound, EnergyBreakdown } from '../energy/analysis';
import { estimate, type EstimateSettings } from '../energy/estimate';
import type { HardwareProfile } from '../energy/profileSchema';
import type { Model, ModelFormat } from '../graph/ir';
import { llmPrecisionOf, storedWeights, transformerConfigOf } from './modelLlm';
import { transformerParameters } from './parameters';
import { kvCacheBytesPerToken, DEFAULT_CONTEXTS } from './tokenCost';
import { DEFAULT_PRECISION, type LlmPrecisionSettings, type LlmStep, transformerStepLayers } from './tokenLayers';
import type { TransformerConfig } from './transformerConfig';

export interface TokenEnergyPoint {
  readonly phase: 'prefill' | 'decode';
  /** Prompt tokens (prefill) or context length (decode). */
  readonly tokens: number;
  readonly energyPerTokenJ: number;
  readonly energyPer1kTokensJ: number;
  /** Energy of one token split like every other estimate. */
  readonly breakdownPerToken: EnergyBreakdown;
  readonly latencyPerTokenS: number;
  readonly tokensPerS: number;
  readonly co2eGramsPer1kTokens: number;
  /** What limits the step, by latency: 'memory' when memory-bound layers take most of the time. */
  readonly bound: Bound;
  /** Share of the step's latency spent in memory-bound layers, 0..1. */
  readonly memoryBoundShare: number;
  readonly macsPerToken: number;
  readonly bytesPerToken: number;
}

export interface LlmTokenEnergy {
  readonly profile: { readonly id: string; readonly name: string };
  readonly params: number;
  readonly weightBytes: number;
  readonly kvCacheBytesPerToken: number;
  readonly batch: number;
  readonly prefill: TokenEnergyPoint;
  readonly decode: readonly TokenEnergyPoint[];
  readonly warnings: readonly string[];
}

export interface LlmTokenEnergyOptions {
  readonly precision?: LlmPrecisionSettings;
  readonly promptTokens?: number;
  readonly contexts?: readonly number[];
  /** Sequences decoded together (weights are read once per step for all of them). */
  readonly batch?: number;
  /** Stored weight bytes from the file (GGUF/safetensors); else parameters × bytes per weight. */
  readonly weightBytes?: number;
  readonly format?: ModelFormat;
  readonly path?: string;
  readonly settings?: EstimateSettings;
}

function point(
  config: TransformerConfig, step: LlmStep, tokens: number, produced: number, profile: HardwareProfile,
  precision: LlmPrecisionSettings, model: { path: string; format: ModelFormat; params: number; weightBytes: number },
  settings: EstimateSettings, warnings: Set<string>,
): TokenEnergyPoint {
  const layers = transformerStepLayers(config, step, precision);
  const analysis = estimate({ model, layers, unknownOps: [], warnings: [], dims: {}, batch: step.batch ?? 1 }, profile, settings);
  for (const w of analysis.warnings) warnings.add(w);
  const byBound: Record<Bound, number> = { compute: 0, memory: 0, overhead: 0, unknown: 0 };
  let bytes = 0;
  for (const l of analysis.layers) {
    byBound[l.bound] += l.latencyS;
    bytes += l.bytes.weights + l.bytes.inputs + l.bytes.outputs;
  }
  const latency = analysis.totals.latencyS;
  const memoryBoundShare = latency > 0 ? byBound.memory / latency : 0;
  const candidates: Bound[] = ['memory', 'compute', 'overhead'];
  const bound = latency > 0 ? candidates.reduce((best, b) => (byBound[b] > byBound[best] ? b : best)) : 'unknown';
  const e = analysis.totals.energy;
  const per = (j: number): number => j / produced;
  const energyPerTokenJ = per(e.totalJ);
  return {
    phase: step.phase,
    tokens,
    energyPerTokenJ,
    energyPer1kTokensJ: energyPerTokenJ * 1000,
    breakdownPerToken: { computeJ: per(e.computeJ), onChipJ: per(e.onChipJ), offChipJ: per(e.offChipJ), staticJ: per(e.staticJ), totalJ: energyPerTokenJ },
    latencyPerTokenS: latency / produced,
    tokensPerS: latency > 0 ? produced / latency : 0,
    co2eGramsPer1kTokens: (analysis.totals.co2eGrams / produced) * 1000,
    bound,
    memoryBoundShare,
    macsPerToken: analysis.totals.macs / produced,
    bytesPerToken: bytes / produced,
  };
}

/** Energy per token and per 1k tokens, prefill and decode at several contexts, on one profile. */
export function llmTokenEnergy(config: TransformerConfig, profile: HardwareProfile, options: LlmTokenEnergyOptions = {}): LlmTokenEnergy {
  const precision = options.precision ?? DEFAULT_PRECISION;
  const batch = options.batch ?? 1;
  const promptTokens = options.promptTokens ?? 512;
  const params = transformerParameters(config).total;
  const weightBytes = options.weightBytes ?? params * precision.weightBytesPerParam;
  const model = { path: options.path ?? '', format: options.format ?? 'hf-config', params, weightBytes };
  const settings = options.settings ?? {};
  const warnings = new Set<string>();
  const prefill = point(config, { phase: 'prefill', tokens: promptTokens, batch }, promptTokens, promptTokens * batch, profile, precision, model, settings, warnings);
  const decode = (options.contexts ?? DEFAULT_CONTEXTS)
    .filter((c) => c >= 1)
    .map((context) => point(config, { phase: 'decode', context, batch }, context, batch, profile, precision, model, settings, warnings));
  if (config.maxContext > 0) {
    const beyond = (options.contexts ?? DEFAULT_CONTEXTS).filter((c) => c > config.maxContext);
    if (beyond.length > 0) warnings.add(`Contexts ${beyond.join(', ')} exceed the model's trained context of ${config.maxContext} tokens.`);
  }
  return {
    profile: { id: profile.id, name: profile.name },
    params,
    weightBytes,
    kvCacheBytesPerToken: kvCacheBytesPerToken(config, precision.kvBytesPerElement),
    batch,
    prefill,
    decode,
    warnings: [...warnings],
  };
}

/**
 * llmTokenEnergy for a model read from a file: its TransformerConfig from metadata, bytes per weight
 * measured from its stored tensors, and its exact weight bytes. Undefined when the model is no LLM.
 */
export function llmTokenEnergyOfModel(model: Model, profile: HardwareProfile, options: Omit<LlmTokenEnergyOptions, 'format' | 'path'> = {}): LlmTokenEnergy | undefined {
  const config = transformerConfigOf(model);
  if (!config) return undefined;
  const stored = storedWeights(model);
  return llmTokenEnergy(config, profile, {
    precision: llmPrecisionOf(model),
    ...(stored.bytes > 0 ? { weightBytes: stored.bytes } : {}),
    ...options,
    format: model.format,
    path: model.path,
  });
}
