/**
 * Keras sequence layers: LSTM, GRU, SimpleRNN (one bias vector per gate block, unlike PyTorch; GRU's
 * default reset_after=True keeps a second recurrent bias) and MultiHeadAttention.
 */
import { expectShape, formatShape, signature } from './layerArgs';
import type { LayerRule } from './layerRule';

const GATES: Readonly<Record<'LSTM' | 'GRU' | 'SimpleRNN', number>> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

function recurrent(kind: 'LSTM' | 'GRU' | 'SimpleRNN'): LayerRule {
  const gates = GATES[kind];
  const head = kind === 'SimpleRNN'
    ? ['units', ['activation', 'tanh'], ['use_bias', true]] as const
    : ['units', ['activation', 'tanh'], ['recurrent_activation', 'sigmoid'], ['use_bias', true]] as const;
  return {
    signature: signature([...head, ['return_sequences', false], ['return_state', false], ['reset_after', true]]),
    describe(args, inputs) {
      const units = args.int('units');
      const [input] = inputs;
      if (input === undefined) return {};
      const [batch, steps, features] = input;
      expectShape(input.length === 3 && batch !== undefined && steps !== undefined && features !== undefined,
        () => `${kind} expects a 3-d input (batch, time, features), got ${formatShape(input)}`);
      const biasVectors = !args.bool('use_bias') ? 0 : kind === 'GRU' && args.bool('reset_after') ? 2 : 1;
      const params = gates * units * (features + units) + biasVectors * gates * units;
      const output = args.bool('return_sequences') ? [batch, steps, units] : [batch, units];
      const cells = batch * steps * units;
      return {
        params, output, macs: batch * steps * gates * units * (features + units),
        elementwise: cells * (2 * gates + 3), transcendental: cells * (kind === 'LSTM' ? 5 : kind === 'GRU' ? 3 : 1),
        gemm: { m: batch, n: gates * units, k: features + units, batch: steps },
      };
    },
  };
}

function multiHeadAttention(): LayerRule {
  return {
    signature: signature(['num_heads', 'key_dim', ['value_dim', null], ['dropout', 0], ['use_bias', true], ['output_shape', null], ['attention_axes', null]]),
    describe(args, inputs) {
      const heads = args.int('num_heads');
      const keyDim = args.int('key_dim');
      const [query, valueInput, keyInput] = inputs;
      if (query === undefined) return {};
      const valueDim = args.isNone('value_dim') ? keyDim : args.int('value_dim');
      const value = valueInput ?? query;
      const key = keyInput ?? value;
      const [batch, targetLength, queryWidth] = query;
      const [, sourceLength, valueWidth] = value;
      const keyWidth = key[2];
      expectShape(query.length === 3 && value.length === 3 && key.length === 3 && batch !== undefined && targetLength !== undefined
        && queryWidth !== undefined && sourceLength !== undefined && valueWidth !== undefined && keyWidth !== undefined,
      () => `MultiHeadAttention expects 3-d inputs, got ${formatShape(query)}`);
      const outWidth = args.isNone('output_shape') ? queryWidth : args.int('output_shape');
      const bias = args.bool('use_bias');
      const params = (queryWidth + (bias ? 1 : 0)) * heads * keyDim + (keyWidth + (bias ? 1 : 0)) * heads * keyDim
        + (valueWidth + (bias ? 1 : 0)) * heads * valueDim + heads * valueDim * outWidth + (bias ? outWidth : 0);
      const macs = batch * (targetLength * queryWidth * heads * keyDim + sourceLength * keyWidth * heads * keyDim
        + sourceLength * valueWidth * heads * valueDim + targetLength * sourceLength * heads * (keyDim + valueDim)
        + targetLength * heads * valueDim * outWidth);
      const scores = batch * heads * targetLength * sourceLength;
      return {
        params, output: [batch, targetLength, outWidth], macs, transcendental: scores, elementwise: 2 * scores,
        note: valueInput ? undefined : 'self-attention assumed (value = query)',
      };
    },
  };
}

export function kerasSequenceRules(): [string, LayerRule][] {
  return [
    ['LSTM', recurrent('LSTM')], ['GRU', recurrent('GRU')], ['SimpleRNN', recurrent('SimpleRNN')],
    ['MultiHeadAttention', multiHeadAttention()],
  ];
}
