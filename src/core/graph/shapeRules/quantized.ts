/** Quantization operators: Quantize/DequantizeLinear, DynamicQuantizeLinear and QLinear* elementwise ops. */
import { dataTypeFromCode } from '../../onnx/dataTypes';
import { broadcastShapes } from './broadcast';
import { type RuleTable, sameAsInput, tensor, unknown } from './ruleTypes';

export const quantizedRules: RuleTable = {
  QuantizeLinear: (ctx) => {
    const declared = ctx.int('output_dtype');
    const dtype = declared ? dataTypeFromCode(declared) : ctx.has(2) ? ctx.dtype(2) : 'uint8';
    return [tensor(dtype, ctx.shape(0))];
  },
  DequantizeLinear: (ctx) => [tensor(ctx.dtype(1) ?? 'float32', ctx.shape(0))],
  DynamicQuantizeLinear: (ctx) => [tensor('uint8', ctx.shape(0)), tensor('float32', []), tensor('uint8', [])],
  'com.microsoft:QuantizeLinear': (ctx) => [tensor(ctx.has(2) ? ctx.dtype(2) : 'uint8', ctx.shape(0))],
  'com.microsoft:DequantizeLinear': (ctx) => [tensor(ctx.dtype(1) ?? 'float32', ctx.shape(0))],
  'com.microsoft:QLinearAdd': (ctx) => {
    const a = ctx.shape(0);
    const b = ctx.shape(3);
    return [a && b ? tensor(ctx.dtype(0), broadcastShapes([a, b])) : unknown('input shape unknown')];
  },
  'com.microsoft:QLinearMul': (ctx) => {
    const a = ctx.shape(0);
    const b = ctx.shape(3);
    return [a && b ? tensor(ctx.dtype(0), broadcastShapes([a, b])) : unknown('input shape unknown')];
  },
  'com.microsoft:QLinearSigmoid': (ctx) => sameAsInput(ctx),
  'com.microsoft:QLinearLeakyRelu': (ctx) => sameAsInput(ctx),
  'com.microsoft:QLinearSoftmax': (ctx) => sameAsInput(ctx),
  'com.microsoft:QLinearConcat': (ctx) => {
    // Inputs: Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) triplets.
    const shapes = [];
    for (let i = 2; i < ctx.node.inputs.length; i += 3) shapes.push(ctx.shape(i));
    if (shapes.length === 0 || shapes.some((s) => !s)) return [unknown('input shape unknown')];
    const first = shapes[0]!;
    const a = (ctx.int('axis') ?? 0) < 0 ? (ctx.int('axis') ?? 0) + first.length : ctx.int('axis') ?? 0;
    const sum = shapes.reduce<number | undefined>((s, x) => (s !== undefined && typeof x![a] === 'number' ? s + (x![a] as number) : undefined), 0);
    return [tensor(ctx.dtype(2), first.map((d, i) => (i === a ? sum : d)))];
  },
};
