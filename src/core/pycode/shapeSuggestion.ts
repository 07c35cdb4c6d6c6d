/**
 * The `# joule: input=(…)` a model without an input shape should get, fitted to its first layer:
 * token ids for an Embedding, (N, C, H, W) for a Conv2d with its in_channels, (N, in_features) for a
 * Linear, (N, T, features) for a recurrent or attention layer. An image shape for a language model is
 * the mistake this avoids.
 */
import type { SourceFramework, SourceLayer } from './types';

/** The first integer argument, or the one named by `keys` (in_channels=, in_features=...). */
function intArg(args: string, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const named = new RegExp(`\\b${key}\\s*=\\s*(\\d+)`).exec(args);
    if (named) return Number(named[1]);
  }
  const positional = /^\(\s*(\d+)\s*[,)]/.exec(args);
  return positional ? Number(positional[1]) : undefined;
}

export interface ShapeSuggestion {
  /** A Python tuple: `(1, 128)`. */
  readonly shape: string;
  /** What the axes are: `token ids: batch, sequence`. */
  readonly meaning: string;
}

const fit = (shape: string, meaning: string): ShapeSuggestion => ({ shape, meaning });

/** The input shape that fits the first layer's kind and arguments. */
export function suggestInputShape(first: Pick<SourceLayer, 'kind' | 'framework'> | undefined, args: string): ShapeSuggestion {
  const kind = first?.kind ?? '';
  const framework: SourceFramework = first?.framework ?? 'pytorch';
  if (/^Embedding/.test(kind)) return fit('(1, 128)', 'token ids: batch, sequence');
  if (framework === 'keras') {
    if (/^Conv2D|^DepthwiseConv2D|^SeparableConv2D/.test(kind)) return fit('(1, 224, 224, 3)', 'N, H, W, C');
    if (/^Conv1D/.test(kind)) return fit('(1, 1024, 1)', 'N, steps, channels');
    if (/^(LSTM|GRU|SimpleRNN|MultiHeadAttention)/.test(kind)) return fit('(1, 128, 64)', 'N, steps, features');
    return fit('(1, 784)', 'N, features');
  }
  const channels = intArg(args, ['in_channels']) ?? 3;
  if (/^Conv2d|^ConvTranspose2d/.test(kind)) return fit(`(1, ${channels}, 224, 224)`, 'N, C, H, W');
  if (/^Conv1d|^ConvTranspose1d/.test(kind)) return fit(`(1, ${channels}, 1024)`, 'N, C, L');
  if (/^Conv3d/.test(kind)) return fit(`(1, ${channels}, 16, 112, 112)`, 'N, C, D, H, W');
  if (/^(LSTM|GRU|RNN)$/.test(kind)) return fit(`(1, 128, ${intArg(args, ['input_size']) ?? 64})`, 'N, T, features with batch_first=True');
  if (/^(MultiheadAttention|TransformerEncoderLayer|TransformerDecoderLayer|TransformerEncoder|Transformer|LayerNorm)$/.test(kind)) {
    return fit(`(1, 128, ${intArg(args, ['embed_dim', 'd_model', 'normalized_shape']) ?? 512})`, 'N, sequence, features');
  }
  if (/^Linear|^Bilinear/.test(kind)) return fit(`(1, ${intArg(args, ['in_features']) ?? 784})`, 'N, features');
  return fit(`(1, ${channels}, 224, 224)`, 'N, C, H, W');
}

/** The hint text a note shows: "`# joule: input=(1, 128)` (token ids: batch, sequence)". */
export function fittedHintText(first: Pick<SourceLayer, 'kind' | 'framework'> | undefined, args: string): string {
  const { shape, meaning } = suggestInputShape(first, args);
  return `\`# joule: input=${shape}\` (${meaning})`;
}

/** Replaces the generic `# joule: input=(…)` of a note with the fitted one. */
export function fitHintInNote(note: string | undefined, fitted: string): string | undefined {
  return note?.replace(/`# joule: input=\([^`]*\)`/, fitted);
}
