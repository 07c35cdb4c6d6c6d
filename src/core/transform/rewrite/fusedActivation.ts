/**
 * Activations that a quantized output range absorbs: a Relu, or a Clip whose lower bound is 0, that
 * alone reads a layer's output. uint8 with zero point 0 clamps at 0 exactly as Relu does, and the
 * range's top (at most the Clip's upper bound) clamps as Clip does, so onnxruntime's quantizer
 * removes these nodes and QLinearConv writes the activated values directly. Keeping them costs a
 * dequantize-activate-quantize round trip per layer (35 Clips in MobileNetV2).
 */
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrFloat } from '../workingModel';

export interface FusedActivation {
  readonly node: WorkNode;
  /** Upper clamp of the activation (Infinity for Relu). */
  readonly max: number;
}

export function fusedActivation(wm: WorkingModel, layer: WorkNode): FusedActivation | undefined {
  const out = layer.outputs[0]!;
  if (wm.outputs.includes(out)) return undefined;
  const readers = wm.consumers(out);
  if (readers.length !== 1) return undefined;
  const act = readers[0]!;
  if (act.domain !== '' || act.inputs[0] !== out || wm.outputs.includes(act.outputs[0]!)) return undefined;
  if (act.opType === 'Relu') return { node: act, max: Infinity };
  if (act.opType !== 'Clip') return undefined;
  // Opset < 11 keeps the bounds in attributes, later opsets in optional inputs.
  const min = act.inputs.length > 1 ? constantScalar(wm, act.inputs[1]) : attrFloat(act, 'min', -Infinity);
  const max = act.inputs.length > 2 ? constantScalar(wm, act.inputs[2]) : act.inputs.length > 1 ? Infinity : attrFloat(act, 'max', Infinity);
  return min === 0 && max !== undefined && max > 0 ? { node: act, max } : undefined;
}

/** The value of a one-element constant: an initializer or a Constant node's tensor; '' is absent. */
export function constantScalar(wm: WorkingModel, name: string | undefined): number | undefined {
  if (name === undefined || name === '') return undefined;
  if (wm.isInitializer(name)) {
    const v = wm.floatValuesOrUndefined(name);
    return v && v.length === 1 ? v[0] : undefined;
  }
  const producer = wm.producer(name);
  if (producer?.opType !== 'Constant') return undefined;
  const value = producer.attributes.get('value');
  if (value?.type === 'tensor' && value.value.values?.length === 1) return value.value.values[0];
  const f = producer.attributes.get('value_float');
  return f?.type === 'float' ? f.value : undefined;
}
