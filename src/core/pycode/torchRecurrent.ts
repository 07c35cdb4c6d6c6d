/**
 * PyTorch sequence layers: LSTM, GRU, RNN (and their cells), MultiheadAttention and the Transformer
 * layers. PyTorch keeps two bias vectors per layer and direction (b_ih and b_hh), which Keras does not.
 */
import { expectShape, formatShape, product, signature, type LayerArgs } from './layerArgs';
import type { LayerFacts, LayerRule } from './layerRule';
import type { Shape } from './types';

const DEVICE_DTYPE = [['device', null], ['dtype', null]] as const;
const GATES: Readonly<Record<'LSTM' | 'GRU' | 'RNN', number>> = { LSTM: 4, GRU: 3, RNN: 1 };

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

function recurrent(kind: 'LSTM' | 'GRU' | 'RNN'): LayerRule {
  const gates = GATES[kind];
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
      let macsPerStep = 0;
      for (let layer = 0; layer < layers; layer++) {
        const layerInput = layer === 0 ? inputSize : recurrentSize * directions;
        // W_ih (G·h × in) + W_hh (G·h × r) + b_ih + b_hh (G·h each) + W_hr (r × h) when projecting.
        const perDirection = gates * hidden * (layerInput + recurrentSize) + (bias ? 2 * gates * hidden : 0) + (projection > 0 ? projection * hidden : 0);
        params += directions * perDirection;
        macsPerStep += directions * (gates * hidden * (layerInput + recurrentSize) + (projection > 0 ? projection * hidden : 0));
      }
      const [input] = inputs;
      if (input === undefined) return { params };
      const batchFirst = args.bool('batch_first');
      const { length, batch, features } = sequenceDims(input, batchFirst, kind);
      expectShape(features === inputSize, () => `${kind} expects input_size ${inputSize}, got ${formatShape(input)}`);
      const steps = length * batch;
      const cellsPerStep = layers * directions * hidden;
      return {
        params,
        output: sequenceShape(input, directions * recurrentSize),
        macs: steps * macsPerStep,
        elementwise: steps * cellsPerStep * (2 * gates + 3),
        transcendental: steps * cellsPerStep * (kind === 'LSTM' ? 5 : kind === 'GRU' ? 3 : 1),
        gemm: { m: batch, n: gates * hidden, k: inputSize + recurrentSize, batch: length * layers * directions },
      };
    },
  };
}

function cell(kind: 'LSTM' | 'GRU' | 'RNN'): LayerRule {
  const gates = GATES[kind];
  const entries = kind === 'RNN'
    ? ['input_size', 'hidden_size', ['bias', true], ['nonlinearity', 'tanh'], ...DEVICE_DTYPE] as const
    : ['input_size', 'hidden_size', ['bias', true], ...DEVICE_DTYPE] as const;
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const inputSize = args.int('input_size');
      const hidden = args.int('hidden_size');
      const params = gates * hidden * (inputSize + hidden) + (args.bool('bias') ? 2 * gates * hidden : 0);
      const [input] = inputs;
      if (input === undefined) return { params };
      expectShape(input[input.length - 1] === inputSize, () => `${kind}Cell expects input_size ${inputSize}, got ${formatShape(input)}`);
      const rows = product(input.slice(0, -1));
      return { params, output: [...input.slice(0, -1), hidden], macs: rows * gates * hidden * (inputSize + hidden), gemm: { m: rows, n: gates * hidden, k: inputSize + hidden, batch: 1 } };
    },
  };
}

/** Attention cost for query length L, key length S, batch N, width E (projections + scores + mix). */
function attentionMacs(length: number, keyLength: number, batch: number, embed: number, keyDim: number, valueDim: number): number {
  const projections = length * batch * embed * embed + keyLength * batch * embed * (keyDim + valueDim);
  const scoresAndMix = 2 * batch * length * keyLength * embed;
  const outProjection = length * batch * embed * embed;
  return projections + scoresAndMix + outProjection;
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
        macs: attentionMacs(query.length, key.length, query.batch, embed, keyDim, valueDim),
        transcendental: query.batch * heads * query.length * key.length,
        elementwise: 2 * query.batch * heads * query.length * key.length,
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
  const batchFirst = args.bool('batch_first');
  const target = sequenceDims(input, batchFirst, kind === 'encoder' ? 'TransformerEncoderLayer' : 'TransformerDecoderLayer');
  expectShape(target.features === model, () => `expects d_model ${model}, got ${formatShape(input)}`);
  let macs = attentionMacs(target.length, target.length, target.batch, model, model, model);
  let softmax = target.batch * heads * target.length * target.length;
  let note: string | undefined;
  if (kind === 'decoder') {
    const memory = memoryInput ? sequenceDims(memoryInput, batchFirst, 'TransformerDecoderLayer') : target;
    if (!memoryInput) note = 'memory length assumed equal to target length';
    macs += attentionMacs(target.length, memory.length, target.batch, model, model, model);
    softmax += target.batch * heads * target.length * memory.length;
  }
  macs += 2 * target.length * target.batch * model * feedForward;
  const elements = product(input);
  return { params, output: input, macs, transcendental: softmax, elementwise: 2 * softmax + 12 * elements, note };
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
