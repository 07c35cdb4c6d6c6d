/**
 * Decodes the builtin options of the operators whose cost depends on them into ONNX-like IR
 * attributes: `strides` and `dilations` as [h, w], `kernel_shape` [h, w] for pools, `padding`
 * ('SAME' | 'VALID'), `fused_activation` ('NONE', 'RELU', ...), plus per-op extras.
 */
import type { Attribute } from '../../graph/ir';
import type { FlatTable } from './flatbuffer';
import { ACTIVATIONS, OPTIONS_TYPE, PADDING } from './schema';

type Attributes = Map<string, Attribute>;

const ints = (value: number[]): Attribute => ({ type: 'ints', value });
const int = (value: number): Attribute => ({ type: 'int', value });
const str = (value: string): Attribute => ({ type: 'string', value });

function activation(code: number): Attribute {
  return str(ACTIVATIONS[code] ?? `ACTIVATION_${code}`);
}

function padding(code: number): Attribute {
  return str(PADDING[code] ?? `PADDING_${code}`);
}

/**
 * Fills `into` from the options table `t` of union member `unionType`; returns a warning when the
 * member is not one decoded here (the op keeps its name and shapes, only options are missing).
 */
export function decodeBuiltinOptions(unionType: number, t: FlatTable, into: Attributes): string | undefined {
  switch (unionType) {
    case OPTIONS_TYPE.Conv2DOptions:
      into.set('padding', padding(t.i8(0)));
      into.set('strides', ints([t.i32(2), t.i32(1)]));
      into.set('fused_activation', activation(t.i8(3)));
      into.set('dilations', ints([t.i32(5, 1), t.i32(4, 1)]));
      return undefined;
    case OPTIONS_TYPE.DepthwiseConv2DOptions:
      into.set('padding', padding(t.i8(0)));
      into.set('strides', ints([t.i32(2), t.i32(1)]));
      into.set('depth_multiplier', int(t.i32(3)));
      into.set('fused_activation', activation(t.i8(4)));
      into.set('dilations', ints([t.i32(6, 1), t.i32(5, 1)]));
      return undefined;
    case OPTIONS_TYPE.Pool2DOptions:
      into.set('padding', padding(t.i8(0)));
      into.set('strides', ints([t.i32(2), t.i32(1)]));
      into.set('kernel_shape', ints([t.i32(4), t.i32(3)]));
      into.set('fused_activation', activation(t.i8(5)));
      return undefined;
    case OPTIONS_TYPE.FullyConnectedOptions:
      into.set('fused_activation', activation(t.i8(0)));
      into.set('weights_format', int(t.i8(1)));
      into.set('keep_num_dims', int(t.bool(2) ? 1 : 0));
      return undefined;
    case OPTIONS_TYPE.SoftmaxOptions:
      into.set('beta', { type: 'float', value: t.f32(0) });
      return undefined;
    case OPTIONS_TYPE.ConcatenationOptions:
      into.set('axis', int(t.i32(0)));
      into.set('fused_activation', activation(t.i8(1)));
      return undefined;
    case OPTIONS_TYPE.AddOptions:
    case OPTIONS_TYPE.MulOptions:
    case OPTIONS_TYPE.SubOptions:
    case OPTIONS_TYPE.DivOptions:
      into.set('fused_activation', activation(t.i8(0)));
      return undefined;
    case OPTIONS_TYPE.ReshapeOptions: {
      const shape = t.i32s(0, 'ReshapeOptions.new_shape');
      if (shape) into.set('new_shape', ints(shape));
      return undefined;
    }
    case OPTIONS_TYPE.ReducerOptions:
      into.set('keepdims', int(t.bool(0) ? 1 : 0));
      return undefined;
    case OPTIONS_TYPE.TransposeConvOptions:
      into.set('padding', padding(t.i8(0)));
      into.set('strides', ints([t.i32(2), t.i32(1)]));
      into.set('fused_activation', activation(t.i8(3)));
      return undefined;
    case OPTIONS_TYPE.BatchMatMulOptions:
      into.set('adj_x', int(t.bool(0) ? 1 : 0));
      into.set('adj_y', int(t.bool(1) ? 1 : 0));
      return undefined;
    default:
      return `options of union member ${unionType} not decoded`;
  }
}
