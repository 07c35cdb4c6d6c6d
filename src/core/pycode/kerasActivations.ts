/**
 * Keras activations by name, priced as the ONNX ops a converter emits for them (cost/pointwiseFormulas.ts),
 * so `Dense(64, activation="relu")` costs what Gemm + Relu cost.
 */
import { ELEMENTWISE_WORK, type PerElementWork, SILU, softmaxFlops } from '../cost/formulas';
import type { LayerArgs } from './layerArgs';

const onnx = (op: string): PerElementWork => ELEMENTWISE_WORK[op]!;
const NONE: PerElementWork = { e: 0, t: 0 };
const sm = softmaxFlops(1);

const BY_NAME: Readonly<Record<string, PerElementWork>> = {
  linear: NONE, relu: onnx('Relu'), relu6: onnx('Clip'), leaky_relu: onnx('LeakyRelu'), elu: onnx('Elu'), selu: onnx('Selu'),
  sigmoid: onnx('Sigmoid'), hard_sigmoid: onnx('HardSigmoid'), tanh: onnx('Tanh'), softplus: onnx('Softplus'),
  softsign: onnx('Softsign'), swish: SILU, silu: SILU, hard_swish: onnx('HardSwish'), hard_silu: onnx('HardSwish'),
  gelu: onnx('Gelu'), mish: onnx('Mish'), exponential: onnx('Exp'),
  softmax: { e: sm.elementwise, t: sm.transcendental },
};

/** Work per element of an activation name; an unknown or unresolved activation counts one op per element. */
export function kerasActivationWork(name: string | undefined): PerElementWork {
  if (name === undefined) return NONE;
  return BY_NAME[name] ?? { e: 1, t: 0 };
}

/** The `activation` argument of a layer: None → nothing, a name → its work, anything else → one op. */
export function activationArgWork(args: LayerArgs, argument = 'activation'): PerElementWork {
  if (args.isNone(argument)) return NONE;
  return kerasActivationWork(args.string(argument, '?'));
}
