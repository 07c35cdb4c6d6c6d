/**
 * Keras sequence layers: LSTM, GRU, SimpleRNN (one bias vector per gate block, unlike PyTorch; GRU's
 * default reset_after=True keeps a second recurrent bias) and MultiHeadAttention. MACs and FLOPs come
 * from the shared formulas (cost/formulas.ts), as the ONNX LSTM/GRU/RNN a converter emits would cost.
 */
import { attentionCoreWork, linearWork, type RecurrentKind, RECURRENT_GATES, recurrentWork, sumWork } from '../cost/formulas';
import { expectShape, formatShape, signature } from './layerArgs';
import type { LayerRule } from './layerRule';

const ONNX_KIND: Readonly<Record<'LSTM' | 'GRU' | 'SimpleRNN', RecurrentKind>> = { LSTM: 'LSTM', GRU: 'GRU', SimpleRNN: 'RNN' };

function recurrent(kind: 'LSTM' | 'GRU' | 'SimpleRNN'): LayerRule {
  const gates = RECURRENT_GATES[ONNX_KIND[kind]];
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
      const bias = args.bool('use_bias');
      return { params, output, ...recurrentWork({ kind: ONNX_KIND[kind], seqLength: steps, batch, inputSize: features, hiddenSize: units, bias }) };
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
      const queries = batch * targetLength;
      const keys = batch * sourceLength;
      const work = sumWork(
        linearWork({ rows: queries, inFeatures: queryWidth, outFeatures: heads * keyDim, bias }),
        linearWork({ rows: keys, inFeatures: keyWidth, outFeatures: heads * keyDim, bias }),
        linearWork({ rows: keys, inFeatures: valueWidth, outFeatures: heads * valueDim, bias }),
        attentionCoreWork({ batch, numHeads: heads, seqQ: targetLength, seqKv: sourceLength, headSize: keyDim, vHeadSize: valueDim }),
        linearWork({ rows: queries, inFeatures: heads * valueDim, outFeatures: outWidth, bias }),
      );
      return {
        params, output: [batch, targetLength, outWidth], ...work,
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
