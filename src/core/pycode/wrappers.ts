/**
 * Layers built around another layer: nn.TransformerEncoder/Decoder (deep copies of a template layer,
 * num_layers times) and Keras Bidirectional (a forward and a backward copy) and TimeDistributed (one
 * layer applied at every time step). Their cost is the inner layer's, repeated.
 */
import { expectShape, formatShape, signature } from './layerArgs';
import type { LayerFacts, LayerRule } from './layerRule';
import type { LayerRecord } from './records';
import type { SourceFramework } from './types';

/** Which argument holds the wrapped layer, by wrapper kind. */
export const WRAPPED_ARGUMENT: Readonly<Record<string, { readonly framework: SourceFramework; readonly name: string }>> = {
  TransformerEncoder: { framework: 'pytorch', name: 'encoder_layer' },
  TransformerDecoder: { framework: 'pytorch', name: 'decoder_layer' },
  Bidirectional: { framework: 'keras', name: 'layer' },
  TimeDistributed: { framework: 'keras', name: 'layer' },
};

function innerFacts(inner: LayerRecord, inputs: Parameters<LayerRule['describe']>[1]): LayerFacts {
  if (!inner.rule || !inner.args) return { note: inner.notes[0] ?? `${inner.kind} has no cost rule` };
  return inner.rule.describe(inner.args, inputs);
}

function scaled(facts: LayerFacts, times: number, output = facts.output): LayerFacts {
  const scale = (value: number | undefined): number | undefined => (value === undefined ? undefined : value * times);
  return {
    params: scale(facts.params), buffers: scale(facts.buffers), output, macs: scale(facts.macs),
    elementwise: scale(facts.elementwise), transcendental: scale(facts.transcendental),
    gemm: facts.gemm ? { ...facts.gemm, batch: facts.gemm.batch * times } : undefined,
  };
}

/** The rule of a wrapper, computed from the layer it wraps. */
export function wrapperRule(kind: string, inner: LayerRecord): LayerRule | undefined {
  switch (kind) {
    case 'TransformerEncoder':
    case 'TransformerDecoder':
      return {
        signature: signature([kind === 'TransformerEncoder' ? 'encoder_layer' : 'decoder_layer', 'num_layers', ['norm', null]]),
        describe: (args, inputs) => scaled(innerFacts(inner, inputs), args.int('num_layers')),
      };
    case 'Bidirectional':
      return {
        signature: signature(['layer', ['merge_mode', 'concat'], ['weights', null], ['backward_layer', null]]),
        describe(args, inputs) {
          const facts = innerFacts(inner, inputs);
          const output = facts.output;
          const concat = args.string('merge_mode', 'concat') === 'concat';
          const features = output?.[output.length - 1];
          return scaled(facts, 2, output && concat && features !== undefined ? [...output.slice(0, -1), 2 * features] : output);
        },
      };
    case 'TimeDistributed':
      return {
        signature: signature(['layer']),
        describe(_args, inputs) {
          const [input] = inputs;
          if (input === undefined) return innerFacts(inner, inputs);
          const [batch, steps, ...rest] = input;
          expectShape(batch !== undefined && steps !== undefined && rest.length > 0, () => `TimeDistributed expects (batch, time, ...), got ${formatShape(input)}`);
          const facts = innerFacts(inner, [[batch, ...rest]]);
          const [outBatch, ...outRest] = facts.output ?? [];
          const output = outBatch !== undefined ? [outBatch, steps, ...outRest] : undefined;
          // Parameters are shared across time steps; the arithmetic repeats.
          return { ...scaled(facts, steps, output), params: facts.params, buffers: facts.buffers };
        },
      };
    default:
      return undefined;
  }
}
