/** Elementwise operators: unary maths and activations, broadcasting binary ops, comparisons, Cast. */
import type { DataType } from '../ir';
import { dataTypeFromCode } from '../../onnx/dataTypes';
import { broadcastShapes } from './broadcast';
import { type RuleContext, type RuleTable, type Shape, sameAsInput, tensor, unknown } from './ruleTypes';

const UNARY = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'Ceil', 'Cos', 'Cosh', 'Erf', 'Exp', 'Floor', 'Log',
  'Neg', 'Reciprocal', 'Round', 'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Sqrt', 'Tan', 'Tanh', 'Relu', 'LeakyRelu',
  'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'ThresholdedRelu', 'Shrink', 'Mish',
  'Gelu', 'Clip', 'Identity', 'PRelu', 'BitwiseNot', 'Not', 'Dropout', 'Trilu', 'CumSum', 'ReverseSequence',
  'LpNormalization', 'MeanVarianceNormalization', 'Hardmax', 'Softmax', 'LogSoftmax', 'Swish', 'QuickGelu',
];

const BINARY = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'And', 'Or', 'Xor'];
const COMPARISON = ['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual'];
const VARIADIC = ['Sum', 'Mean', 'Max', 'Min'];

function broadcastAll(ctx: RuleContext, indices: readonly number[], dataType: DataType | undefined) {
  const shapes: Shape[] = [];
  for (const i of indices) {
    const s = ctx.shape(i);
    if (!s) return [dataType ? { type: { dataType } } : unknown('input type unknown')];
    shapes.push(s);
  }
  return [tensor(dataType, broadcastShapes(shapes))];
}

const present = (ctx: RuleContext): number[] => ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));

export const elementwiseRules: RuleTable = {};
for (const op of UNARY) elementwiseRules[op] = (ctx) => {
  const outs = sameAsInput(ctx, ctx.node.outputs.length);
  if (op === 'Dropout' && outs.length > 1 && ctx.shape(0)) outs[1] = tensor('bool', ctx.shape(0));
  return outs;
};
for (const op of ['IsNaN', 'IsInf']) elementwiseRules[op] = (ctx) => [tensor('bool', ctx.shape(0))];
for (const op of BINARY) elementwiseRules[op] = (ctx) => broadcastAll(ctx, [0, 1], ctx.dtype(0));
for (const op of COMPARISON) elementwiseRules[op] = (ctx) => broadcastAll(ctx, [0, 1], 'bool');
for (const op of VARIADIC) elementwiseRules[op] = (ctx) => broadcastAll(ctx, present(ctx), ctx.dtype(0));
elementwiseRules['Where'] = (ctx) => broadcastAll(ctx, [0, 1, 2], ctx.dtype(1));
elementwiseRules['Cast'] = (ctx) => {
  const to = ctx.int('to');
  if (to === undefined) return [unknown('Cast without a "to" attribute')];
  return [tensor(dataTypeFromCode(to), ctx.shape(0))];
};
elementwiseRules['CastLike'] = (ctx) => [tensor(ctx.dtype(1), ctx.shape(0))];
