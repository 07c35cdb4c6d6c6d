/**
 * PyTorch sequence layers: LSTM, GRU, RNN (and their cells), MultiheadAttention and the Transformer
 * layers. PyTorch keeps two bias vectors per layer and direction (b_ih and b_hh), which Keras does not.
 * MACs and FLOPs come from the shared formulas (cost/formulas.ts): recurrent cells as ONNX LSTM/GRU/RNN,
 * attention as its projections (linear layers) plus the attention core.
 */
import {
  attentionCoreWork, ELEMENTWISE_WORK, layerNormFlops, linearWork, type OpWork, type RecurrentKind, RECURRENT_GATES, recurrentWork, sumWork,
} from '../cost/formulas';
import { expectShape, formatShape, product, signature, type LayerArgs } from './layerArgs';
import type { LayerFacts, LayerRule } from './layerRule';
import type { Shape } from './types';

const DEVICE_DTYPE = [['device', null], ['dtype', null]] as const;

/** Sequence length, batch and feature size of a (L, N, H) / (N, L, H) / unbatched (L, H) input. */
function sequenceDims(input: Shape, batchFirst: boolean, what: string): { length: number; batch: number; features: number } {
  expectShape(input.length === 2 || input.length === 3, () => `${what} expects a 3-d input (L, N, H), got ${formatShape(input)}`);
  if (input.length === 2) return { length: input[0]!, batch: 1, features: input[1]! };
  return batchFirst
    ? { batch: input[0]!, length: input[1]!, features: input[2]! }
    : { length: input[0]!, batch: input[1]!, features: input[2]! };
}

function sequenceShape(input: Shape, features: number): Shape {
  // Sequence and batch keep their places whichever comes first; only the feature size changes.
  return [...input.slice(0, -1), features];
}

function recurrent(kind: RecurrentKind): LayerRule {
  const gates = RECURRENT_GATES[kind];
  const entries = kind === 'RNN'
    ? ['input_size', 'hidden_size', ['num_layers', 1], ['nonlinearity', 'tanh'], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ...DEVICE_DTYPE] as const
    : kind === 'LSTM'
      ? ['input_size', 'hidden_size', ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ['proj_size', 0], ...DEVICE_DTYPE] as const
      : ['input_size', 'hidden_size', ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ...DEVICE_DTYPE] as const;
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const inputSize = args.int('input_size');
      const hidden = args.int('hidden_size');
      const layers = args.int('num_layers');
      const directions = args.bool('bidirectional') ? 2 : 1;
      const projection = kind === 'LSTM' ? args.int('proj_size') : 0;
      const recurrentSize = projection > 0 ? projection : hidden;
      const bias = args.bool('bias');
      let params = 0;
      for (let layer = 0; layer < layers; layer++) {
        const layerInput = layer === 0 ? inputSize : recurrentSize * directions;
        // W_ih (G·h × in) + W_hh (G·h × r) + b_ih + b_hh (G·h each) + W_hr (r × h) when projecting.
        params += directions * (gates * hidden * (layerInput + recurrentSize) + (bias ? 2 * gates * hidden : 0) + (projection > 0 ? projection * hidden : 0));
      }
      const [input] = inputs;
      if (input === undefined) return { params };
      const batchFirst = args.bool('batch_first');
      const { length, batch, features } = sequenceDims(input, batchFirst, kind);
      expectShape(features === inputSize, () => `${kind} expects input_size ${inputSize}, got ${formatShape(input)}`);
      // One ONNX-style recurrent layer per stacked layer, its input the previous layer's output.
      const perLayer = Array.from({ length: layers }, (_, layer) => recurrentWork({
        kind, seqLength: length, batch, inputSize: layer === 0 ? inputSize : recurrentSize * directions, hiddenSize: hidden,
        directions, bias, projSize: projection,
      }));
      const first = perLayer[0]!.gemm!;
      return {
        params,
        output: sequenceShape(input, directions * recurrentSize),
        ...sumWork(...perLayer),
        gemm: { ...first, batch: first.batch * layers },
      };
    },
  };
}

function cell(kind: RecurrentKind): LayerRule {
  const gates = RECURRENT_GATES[kind];
  const entries = kind === 'RNN'
    ? ['input_size', 'hidden_size', ['bias', true], ['nonlinearity', 'tanh'], ...DEVICE_DTYPE] as const
    : ['input_size', 'hidden_size', ['bias', true], ...DEVICE_DTYPE] as const;
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const inputSize = args.int('input_size');
      const hidden = args.int('hidden_size');
      const bias = args.bool('bias');
      const params = gates * hidden * (inputSize + hidden) + (bias ? 2 * gates * hidden : 0);
      const [input] = inputs;
      if (input === undefined) return { params };
      expectShape(input[input.length - 1] === inputSize, () => `${kind}Cell expects input_size ${inputSize}, got ${formatShape(input)}`);
      // One time step of the recurrent layer.
      const work = recurrentWork({ kind, seqLength: 1, batch: product(input.slice(0, -1)), inputSize, hiddenSize: hidden, bias });
      return { params, output: [...input.slice(0, -1), hidden], ...work };
    },
  };
}

interface AttentionDims {
  readonly length: number;
  readonly keyLength: number;
  readonly batch: number;
  readonly embed: number;
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly bias: boolean;
}

/** nn.MultiheadAttention for query length L, key length S, batch N: q, k, v and out projections plus the core. */
function attentionWork(a: AttentionDims): OpWork {
  const queries = a.length * a.batch;
  const keys = a.keyLength * a.batch;
  return sumWork(
    linearWork({ rows: queries, inFeatures: a.embed, outFeatures: a.embed, bias: a.bias }),
    linearWork({ rows: keys, inFeatures: a.keyDim, outFeatures: a.embed, bias: a.bias }),
    linearWork({ rows: keys, inFeatures: a.valueDim, outFeatures: a.embed, bias: a.bias }),
    attentionCoreWork({ batch: a.batch, numHeads: a.heads, seqQ: a.length, seqKv: a.keyLength, headSize: a.embed / a.heads }),
    linearWork({ rows: queries, inFeatures: a.embed, outFeatures: a.embed, bias: a.bias }),
  );
}

function multiheadAttentionParams(embed: number, keyDim: number, valueDim: number, bias: boolean, biasKv: boolean): number {
  return embed * (embed + keyDim + valueDim) + (bias ? 3 * embed : 0) + embed * embed + (bias ? embed : 0) + (biasKv ? 2 * embed : 0);
}

function multiheadAttention(): LayerRule {
  return {
    signature: signature(['embed_dim', 'num_heads', ['dropout', 0], ['bias', true], ['add_bias_kv', false], ['add_zero_attn', false],
      ['kdim', null], ['vdim', null], ['batch_first', false], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const embed = args.int('embed_dim');
      const heads = args.int('num_heads');
      const keyDim = args.isNone('kdim') ? embed : args.int('kdim');
      const valueDim = args.isNone('vdim') ? embed : args.int('vdim');
      const params = multiheadAttentionParams(embed, keyDim, valueDim, args.bool('bias'), args.bool('add_bias_kv'));
      const [input, keyInput] = inputs;
      if (input === undefined) return { params };
      const batchFirst = args.bool('batch_first');
      const query = sequenceDims(input, batchFirst, 'MultiheadAttention');
      expectShape(query.features === embed, () => `MultiheadAttention expects embed_dim ${embed}, got ${formatShape(input)}`);
      const key = keyInput ? sequenceDims(keyInput, batchFirst, 'MultiheadAttention') : query;
      return {
        params,
        output: input,
        ...attentionWork({ length: query.length, keyLength: key.length, batch: query.batch, embed, heads, keyDim, valueDim, bias: args.bool('bias') }),
        note: keyInput ? undefined : 'self-attention assumed (key = query)',
      };
    },
  };
}

const TRANSFORMER_LAYER_ARGS = ['d_model', 'nhead', ['dim_feedforward', 2048], ['dropout', 0.1], ['activation', 'relu'],
  ['layer_norm_eps', 1e-5], ['batch_first', false], ['norm_first', false], ['bias', true], ...DEVICE_DTYPE] as const;

function encoderLayerParams(model: number, feedForward: number, bias: boolean): number {
  const attention = multiheadAttentionParams(model, model, model, bias, false);
  const ffn = 2 * model * feedForward + (bias ? feedForward + model : 0);
  const norms = 2 * model * (bias ? 2 : 1);
  return attention + ffn + norms;
}

function decoderLayerParams(model: number, feedForward: number, bias: boolean): number {
  const attention = 2 * multiheadAttentionParams(model, model, model, bias, false);
  const ffn = 2 * model * feedForward + (bias ? feedForward + model : 0);
  const norms = 3 * model * (bias ? 2 : 1);
  return attention + ffn + norms;
}

function transformerLayer(kind: 'encoder' | 'decoder'): LayerRule {
  return {
    signature: signature(TRANSFORMER_LAYER_ARGS),
    describe(args, inputs) {
      const model = args.int('d_model');
      const feedForward = args.int('dim_feedforward');
      const bias = args.bool('bias');
      const params = kind === 'encoder' ? encoderLayerParams(model, feedForward, bias) : decoderLayerParams(model, feedForward, bias);
      const [input, memory] = inputs;
      if (input === undefined) return { params };
      return transformerLayerFacts(kind, params, args, input, memory);
    },
  };
}

function transformerLayerFacts(kind: 'encoder' | 'decoder', params: number, args: LayerArgs, input: Shape, memoryInput: Shape | undefined): LayerFacts {
  const model = args.int('d_model');
  const feedForward = args.int('dim_feedforward');
  const heads = args.int('nhead');
  const bias = args.bool('bias');
  const batchFirst = args.bool('batch_first');
  const target = sequenceDims(input, batchFirst, kind === 'encoder' ? 'TransformerEncoderLayer' : 'TransformerDecoderLayer');
  expectShape(target.features === model, () => `expects d_model ${model}, got ${formatShape(input)}`);
  const attention = (keyLength: number): OpWork =>
    attentionWork({ length: target.length, keyLength, batch: target.batch, embed: model, heads, keyDim: model, valueDim: model, bias });
  const rows = target.length * target.batch;
  const elements = product(input);
  const parts: OpWork[] = [attention(target.length)];
  let note: string | undefined;
  if (kind === 'decoder') {
    const memory = memoryInput ? sequenceDims(memoryInput, batchFirst, 'TransformerDecoderLayer') : target;
    if (!memoryInput) note = 'memory length assumed equal to target length';
    parts.push(attention(memory.length));
  }
  // Feed-forward: linear1, activation, linear2; then one residual add and one LayerNorm per sub-block.
  const activation = ELEMENTWISE_WORK[args.string('activation', 'relu') === 'gelu' ? 'Gelu' : 'Relu']!;
  parts.push(
    linearWork({ rows, inFeatures: model, outFeatures: feedForward, bias }),
    { macs: 0, elementwise: rows * feedForward * activation.e, transcendental: rows * feedForward * activation.t },
    linearWork({ rows, inFeatures: feedForward, outFeatures: model, bias }),
  );
  const subBlocks = kind === 'decoder' ? 3 : 2;
  const norm = layerNormFlops(elements, rows);
  for (let i = 0; i < subBlocks; i++) parts.push({ macs: 0, elementwise: elements + norm.elementwise, transcendental: norm.transcendental });
  return { params, output: input, ...sumWork(...parts), note };
}

function transformer(): LayerRule {
  return {
    signature: signature([['d_model', 512], ['nhead', 8], ['num_encoder_layers', 6], ['num_decoder_layers', 6], ['dim_feedforward', 2048],
      ['dropout', 0.1], ['activation', 'relu'], ['custom_encoder', null], ['custom_decoder', null], ['layer_norm_eps', 1e-5],
      ['batch_first', false], ['norm_first', false], ['bias', true], ...DEVICE_DTYPE]),
    describe(args) {
      const model = args.int('d_model');
      const feedForward = args.int('dim_feedforward');
      const bias = args.bool('bias');
      const finalNorms = 2 * model * (bias ? 2 : 1);
      const params = args.int('num_encoder_layers') * encoderLayerParams(model, feedForward, bias)
        + args.int('num_decoder_layers') * decoderLayerParams(model, feedForward, bias) + finalNorms;
      return { params, note: 'shapes are not propagated through nn.Transformer (two inputs)' };
    },
  };
}

export function torchRecurrentRules(): [string, LayerRule][] {
  return [
    ['LSTM', recurrent('LSTM')], ['GRU', recurrent('GRU')], ['RNN', recurrent('RNN')],
    ['LSTMCell', cell('LSTM')], ['GRUCell', cell('GRU')], ['RNNCell', cell('RNN')],
    ['MultiheadAttention', multiheadAttention()],
    ['TransformerEncoderLayer', transformerLayer('encoder')],
    ['TransformerDecoderLayer', transformerLayer('decoder')],
    ['Transformer', transformer()],
  ];
}
