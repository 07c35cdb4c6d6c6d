/**
 * Hugging Face `config.json` → TransformerConfig. Field names differ by family (GPT-2's n_layer,
 * n_embd, n_head, n_inner; Llama's num_hidden_layers, hidden_size...), and so do conventions that the
 * file leaves implicit (gated MLP, norm kind, biases, tied embeddings default): FAMILIES holds them.
 */
import { ModelFormatError } from '../../errors';
import type { NormKind, TransformerConfig } from '../../llm/transformerConfig';
import { validateTransformerConfig } from '../../llm/transformerConfig';

interface FamilyTraits {
  readonly gatedMlp: boolean;
  readonly norm: NormKind;
  readonly normsPerBlock: number;
  readonly qkNorm?: boolean;
  readonly biases: TransformerConfig['biases'];
  readonly tiedDefault: boolean;
  readonly learnedPositions: boolean;
}

const NO_BIAS = { qkv: false, attnOut: false, mlp: false, lmHead: false } as const;
const ALL_BIAS = { qkv: true, attnOut: true, mlp: true, lmHead: false } as const;
const LLAMA_LIKE: FamilyTraits = { gatedMlp: true, norm: 'rmsnorm', normsPerBlock: 2, biases: NO_BIAS, tiedDefault: false, learnedPositions: false };

/** Conventions per `model_type`, from each family's modeling code in transformers. */
export const FAMILIES: Readonly<Record<string, FamilyTraits>> = {
  llama: LLAMA_LIKE,
  mistral: LLAMA_LIKE,
  mixtral: LLAMA_LIKE,
  qwen2: { ...LLAMA_LIKE, biases: { ...NO_BIAS, qkv: true } },
  qwen3: { ...LLAMA_LIKE, qkNorm: true },
  gemma: { ...LLAMA_LIKE, tiedDefault: true },
  gemma2: { ...LLAMA_LIKE, normsPerBlock: 4, tiedDefault: true },
  gemma3_text: { ...LLAMA_LIKE, normsPerBlock: 4, qkNorm: true, tiedDefault: true },
  phi3: LLAMA_LIKE,
  gpt2: { gatedMlp: false, norm: 'layernorm', normsPerBlock: 2, biases: ALL_BIAS, tiedDefault: true, learnedPositions: true },
  gpt_neox: { gatedMlp: false, norm: 'layernorm', normsPerBlock: 2, biases: ALL_BIAS, tiedDefault: false, learnedPositions: false },
  phi: { gatedMlp: false, norm: 'layernorm', normsPerBlock: 1, biases: { ...ALL_BIAS, lmHead: true }, tiedDefault: false, learnedPositions: false },
};

type Json = Record<string, unknown>;

/** The names each field goes by across families, first match wins. */
export const FIELD_NAMES = {
  layers: ['num_hidden_layers', 'n_layer', 'num_layers'],
  hiddenSize: ['hidden_size', 'n_embd', 'd_model'],
  heads: ['num_attention_heads', 'n_head', 'num_heads'],
  kvHeads: ['num_key_value_heads', 'n_head_kv', 'num_kv_heads'],
  headDim: ['head_dim'],
  intermediateSize: ['intermediate_size', 'n_inner', 'ffn_dim'],
  vocabSize: ['vocab_size'],
  maxContext: ['max_position_embeddings', 'n_positions', 'n_ctx', 'seq_length', 'max_sequence_length'],
  experts: ['num_local_experts', 'num_experts'],
  expertsPerToken: ['num_experts_per_tok', 'num_experts_per_token'],
} as const;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first of `names` present as a number; null/absent fall through to the next name. */
function numberField(json: Json, file: string, names: readonly string[]): number | undefined {
  for (const name of names) {
    const v = json[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ModelFormatError(file, undefined, `"${name}" to be a number, got ${JSON.stringify(v).slice(0, 40)}`, 'Check the model configuration.');
    }
    return v;
  }
  return undefined;
}

function required(json: Json, file: string, names: readonly string[]): number {
  const v = numberField(json, file, names);
  if (v === undefined) throw new ModelFormatError(file, undefined, `one of ${names.map((n) => `"${n}"`).join(', ')}`, 'This config.json does not describe a decoder-only transformer the cost model knows.');
  return v;
}

/** Keys that mark a config.json as a transformer's (used by sniffing). */
export function looksLikeHfTransformerConfig(json: unknown): boolean {
  if (!isObject(json)) return false;
  const has = (names: readonly string[]): boolean => names.some((n) => typeof json[n] === 'number');
  return has(FIELD_NAMES.layers) && has(FIELD_NAMES.hiddenSize) && has(FIELD_NAMES.vocabSize);
}

/** The storage type named by `torch_dtype` (or `dtype`), if any. */
export function hfDtype(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const v = json['torch_dtype'] ?? json['dtype'];
  return typeof v === 'string' ? v : undefined;
}

export interface HfConfigResult {
  readonly config: TransformerConfig;
  readonly warnings: readonly string[];
}

export function transformerConfigFromHf(json: unknown, file: string): HfConfigResult {
  if (!isObject(json)) throw new ModelFormatError(file, 0, 'a JSON object');
  // Multimodal wrappers (Gemma 3, Llava...) keep the language model under text_config.
  const text = isObject(json['text_config']) && looksLikeHfTransformerConfig(json['text_config']) && !looksLikeHfTransformerConfig(json) ? json['text_config'] : json;
  const warnings: string[] = [];
  const modelType = typeof text['model_type'] === 'string' ? text['model_type'] : typeof json['model_type'] === 'string' ? json['model_type'] : 'unknown';
  let traits = FAMILIES[modelType];
  if (!traits) {
    warnings.push(`model_type "${modelType}" is not a known family; assuming a Llama-style block (RMSNorm, gated MLP, no biases).`);
    traits = LLAMA_LIKE;
  }
  const layers = required(text, file, FIELD_NAMES.layers);
  const hiddenSize = required(text, file, FIELD_NAMES.hiddenSize);
  const heads = required(text, file, FIELD_NAMES.heads);
  const kvHeads = numberField(text, file, FIELD_NAMES.kvHeads) ?? heads;
  const headDim = numberField(text, file, FIELD_NAMES.headDim) ?? hiddenSize / heads;
  const intermediateSize = numberField(text, file, FIELD_NAMES.intermediateSize) ?? 4 * hiddenSize;
  const vocabSize = required(text, file, FIELD_NAMES.vocabSize);
  const maxContext = numberField(text, file, FIELD_NAMES.maxContext) ?? 0;
  const tied = text['tie_word_embeddings'] ?? json['tie_word_embeddings'];
  const experts = numberField(text, file, FIELD_NAMES.experts);
  const expertsPerToken = numberField(text, file, FIELD_NAMES.expertsPerToken);
  const config: TransformerConfig = {
    architecture: modelType,
    layers,
    hiddenSize,
    heads,
    kvHeads,
    headDim,
    intermediateSize,
    vocabSize,
    tiedEmbeddings: typeof tied === 'boolean' ? tied : traits.tiedDefault,
    gatedMlp: traits.gatedMlp,
    norm: traits.norm,
    normsPerBlock: traits.normsPerBlock,
    ...(traits.qkNorm ? { qkNorm: true } : {}),
    biases: modelType === 'llama' || modelType === 'mistral' ? { ...traits.biases, qkv: text['attention_bias'] === true, attnOut: text['attention_bias'] === true } : traits.biases,
    learnedPositions: traits.learnedPositions ? maxContext : 0,
    maxContext,
    ...(experts !== undefined && experts > 1 ? { moe: { experts, expertsPerToken: expertsPerToken ?? 2 } } : {}),
  };
  return { config: validateTransformerConfig(config, file), warnings };
}
