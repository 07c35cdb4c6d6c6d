/**
 * Inline hints for a Hugging Face config.json open in the editor: next to the fields that size the
 * model, what they cost (parameters, KV cache per token, weight bytes read per decoded token). Pure
 * data with text positions; the extension turns them into inlay hints and hovers.
 */
import { ModelFormatError } from '../../errors';
import { transformerParameters } from '../../llm/parameters';
import { kvCacheBytesPerToken } from '../../llm/tokenCost';
import { FIELD_NAMES, hfDtype, transformerConfigFromHf } from './hfConfig';
import { formatBytes, formatParams } from '../../report/units';

export interface ConfigHint {
  /** The JSON key the hint belongs to. */
  readonly key: string;
  /** 0-based line and character where the hint goes: the end of the key's line. */
  readonly line: number;
  readonly character: number;
  /** Short label shown inline. */
  readonly label: string;
  /** Longer explanation with the formula (hover). */
  readonly tooltip: string;
}

export interface ConfigHintsResult {
  readonly hints: readonly ConfigHint[];
  /** Why no hints were produced (not JSON, not a transformer config, invalid values). */
  readonly problem?: string;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, float16: 2, bfloat16: 2 };

/** Position at the end of the line holding the first `"key":` of the text. */
function positionOf(text: string, key: string): { line: number; character: number } | undefined {
  const match = new RegExp(`"${key}"\\s*:`).exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length - 1;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', match.index);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return { line, character: text.slice(lineStart, end).replace(/\r$/, '').length };
}

export function configJsonHints(text: string, file = 'config.json'): ConfigHintsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { hints: [], problem: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  let config;
  try {
    config = transformerConfigFromHf(json, file).config;
  } catch (e) {
    if (e instanceof ModelFormatError) return { hints: [], problem: e.message };
    throw e;
  }
  const p = transformerParameters(config);
  const dtype = hfDtype(json) ?? 'bfloat16';
  const bytesPerWeight = DTYPE_BYTES[dtype] ?? 2;
  const kv = kvCacheBytesPerToken(config, 2);
  const hints: ConfigHint[] = [];
  const add = (names: readonly string[], label: string, tooltip: string): void => {
    for (const key of names) {
      const at = positionOf(text, key);
      if (at) {
        hints.push({ key, ...at, label, tooltip });
        return;
      }
    }
  };
  add(['model_type'], `${formatParams(p.total)} params · ${formatBytes(p.total * bytesPerWeight)} at ${dtype}`,
    `Parameters = embedding V·H + L·(attention + MLP + norms) + final norm + lm_head${config.tiedEmbeddings ? ' (tied: none)' : ''}. ` +
    `Weights at ${bytesPerWeight} bytes each (${dtype}). See docs/llm-cost-model.md.`);
  add(FIELD_NAMES.layers, `${config.layers} × ${formatParams(p.perBlock.total)} per block`,
    `Each block: attention ${formatParams(p.perBlock.attention)}, MLP ${formatParams(p.perBlock.mlp)}, norms ${formatParams(p.perBlock.norms)}.`);
  add(FIELD_NAMES.heads, `head_dim ${config.headDim} · attention ${formatParams(p.perBlock.attention)}/block`,
    `Attention = H·(n_q·d) + 2·H·(n_kv·d) + (n_q·d)·H with n_q = ${config.heads}, n_kv = ${config.kvHeads}, d = ${config.headDim}.`);
  add(FIELD_NAMES.kvHeads, `KV cache ${formatBytes(kv)}/token (fp16)`,
    `KV cache per token of context = 2 · L · n_kv · d · 2 bytes = 2 · ${config.layers} · ${config.kvHeads} · ${config.headDim} · 2. ` +
    `Decode reads all of it for every new token.`);
  add(FIELD_NAMES.intermediateSize, `MLP ${formatParams(p.perBlock.mlp)}/block (${config.gatedMlp ? 'gated: 3 matrices' : '2 matrices'})`,
    `MLP = ${config.gatedMlp ? '3' : '2'} · H · I${config.moe ? ` × ${config.moe.experts} experts + router` : ''}.`);
  add(FIELD_NAMES.vocabSize, `embedding ${formatParams(p.embedding)}${config.tiedEmbeddings ? ' (shared with lm_head)' : ` + lm_head ${formatParams(p.lmHead)}`}`,
    `V·H = ${config.vocabSize} · ${config.hiddenSize}; decode multiplies by the whole matrix for every token's logits.`);
  if (config.maxContext > 0) {
    add(FIELD_NAMES.maxContext, `KV cache ${formatBytes(kv * config.maxContext)} at full context`,
      `${formatBytes(kv)} per token × ${config.maxContext} tokens, per sequence.`);
  }
  add(['torch_dtype', 'dtype'], `decode reads ≈ ${formatBytes(p.activePerToken * bytesPerWeight)} of weights per token`,
    'At batch 1 every active weight is read once per generated token: decode is memory-bound on most hardware.');
  return { hints };
}
