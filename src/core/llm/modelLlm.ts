/**
 * The bridge between a read Model and the LLM cost model: readers of safetensors (with config.json),
 * GGUF and config.json store the TransformerConfig in `model.metadata['llm.config']`; analyses get it
 * back here, with the storage precision measured from the file's own weights when it has them.
 */
import type { Model } from '../graph/ir';
import { weightComputePrecision } from '../cost/precision';
import type { LayerCost, Precision } from '../cost/types';
import { DEFAULT_PRECISION, type LlmPrecisionSettings, type LlmStep, transformerStepLayers } from './tokenLayers';
import type { TransformerConfig } from './transformerConfig';

export const LLM_CONFIG_KEY = 'llm.config';
/** Storage dtype named by the source (torch_dtype of config.json), used when the file has no weights. */
export const LLM_DTYPE_KEY = 'llm.dtype';

export function withTransformerConfig(metadata: Map<string, string>, config: TransformerConfig, dtype?: string): void {
  metadata.set(LLM_CONFIG_KEY, JSON.stringify(config));
  if (dtype) metadata.set(LLM_DTYPE_KEY, dtype);
}

/** The transformer configuration a reader attached, if the model is a decoder-only LLM. */
export function transformerConfigOf(model: Model): TransformerConfig | undefined {
  const text = model.metadata.get(LLM_CONFIG_KEY);
  if (!text) return undefined;
  return JSON.parse(text) as TransformerConfig;
}

/** Elements and stored bytes of the model's initializers (block scales included for GGUF). */
export function storedWeights(model: Model): { elements: number; bytes: number } {
  let elements = 0;
  let bytes = 0;
  for (const name of model.graph.initializers) {
    const c = model.graph.values.get(name)?.constant;
    if (!c) continue;
    elements += c.dims.reduce((a, b) => a * b, 1);
    bytes += c.byteLength;
  }
  return { elements, bytes };
}

const DTYPE_BYTES: Readonly<Record<string, { bytes: number; precision: Precision }>> = {
  float32: { bytes: 4, precision: 'fp32' },
  float16: { bytes: 2, precision: 'fp16' },
  bfloat16: { bytes: 2, precision: 'bf16' },
};

/**
 * Storage and arithmetic precision for the LLM layers: bytes per weight measured from the file
 * (stored bytes / elements, block scales included) when it has weights, else from the dtype named in
 * config.json (bf16 when none). The precision is that of the type holding most weight elements:
 * block-quantized and 8-bit integer weights compute as int8 (llama.cpp quantizes activations to 8 bits
 * for its quantized dot products), fp8/fp4 as fp8, 16- and 32-bit floats at their own type.
 */
export function llmPrecisionOf(model: Model, overrides: Partial<LlmPrecisionSettings> = {}): LlmPrecisionSettings {
  const { elements, bytes } = storedWeights(model);
  let settings: LlmPrecisionSettings;
  if (elements > 0) {
    const byPrecision = new Map<Precision, number>();
    for (const name of model.graph.initializers) {
      const c = model.graph.values.get(name)?.constant;
      const p = c ? weightComputePrecision(c.dataType) : undefined;
      if (c && p) byPrecision.set(p, (byPrecision.get(p) ?? 0) + c.dims.reduce((a, b) => a * b, 1));
    }
    let precision: Precision = DEFAULT_PRECISION.precision;
    let most = 0;
    for (const [p, n] of byPrecision) {
      if (n > most) {
        most = n;
        precision = p;
      }
    }
    settings = { ...DEFAULT_PRECISION, weightBytesPerParam: bytes / elements, precision };
  } else {
    const named = DTYPE_BYTES[model.metadata.get(LLM_DTYPE_KEY) ?? 'bfloat16'] ?? { bytes: 2, precision: 'bf16' as Precision };
    settings = { ...DEFAULT_PRECISION, weightBytesPerParam: named.bytes, precision: named.precision };
  }
  return { ...settings, ...overrides };
}

/**
 * The LayerCost[] of one LLM step for a model read from a file, at the precision of its stored
 * weights: what an analysis of a weights-only file (GGUF, safetensors + config.json, config.json)
 * prices instead of graph nodes. Undefined when the model carries no transformer configuration.
 */
export function llmStepLayersOfModel(model: Model, step: LlmStep, overrides: Partial<LlmPrecisionSettings> = {}): LayerCost[] | undefined {
  const config = transformerConfigOf(model);
  return config ? transformerStepLayers(config, step, llmPrecisionOf(model, overrides)) : undefined;
}
