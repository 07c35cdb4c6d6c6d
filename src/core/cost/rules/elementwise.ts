/**
 * Elementwise operators: per output element, a fixed count of elementwise and transcendental FLOPs
 * (division, exp, log, tanh, erf, sqrt... count as transcendental, as in cost/types.ts).
 */
import type { Node } from '../../graph/ir';
import { assembleCost, type ByteOptions, shapeUnknown, valueElements } from '../assemble';
import { type CostContext, inputAt, outputAt, stringAttr } from '../context';
import type { OpCost } from '../types';

/** FLOPs per output element. */
export interface PerElement {
  readonly e: number;
  readonly t: number;
}

const E1: PerElement = { e: 1, t: 0 };
const T1: PerElement = { e: 0, t: 1 };

/** Unary and fixed-arity ops. Counts are documented in docs/cost-rules.md. */
export const ELEMENTWISE_WORK: Readonly<Record<string, PerElement>> = {
  // Comparisons, sign games and integer/bit arithmetic: one op each.
  Relu: E1, Abs: E1, Neg: E1, Sign: E1, Floor: E1, Ceil: E1, Round: E1, Not: E1, IsNaN: E1, IsInf: E1,
  ThresholdedRelu: E1, BitwiseNot: E1, Add: E1, Sub: E1, Mul: E1, And: E1, Or: E1, Xor: E1, Equal: E1,
  Less: E1, Greater: E1, LessOrEqual: E1, GreaterOrEqual: E1, BitShift: E1, BitwiseAnd: E1, BitwiseOr: E1,
  BitwiseXor: E1, Mod: E1, Where: E1,
  // Transcendentals (division included).
  Exp: T1, Log: T1, Sqrt: T1, Reciprocal: T1, Erf: T1, Tanh: T1, Sin: T1, Cos: T1, Tan: T1, Asin: T1, Acos: T1,
  Atan: T1, Sinh: T1, Cosh: T1, Asinh: T1, Acosh: T1, Atanh: T1, Div: T1, Pow: T1,
  // Activations: compare/multiply/add pieces plus their transcendentals.
  LeakyRelu: { e: 2, t: 0 }, PRelu: { e: 2, t: 0 }, Clip: { e: 2, t: 0 }, Shrink: { e: 2, t: 0 },
  HardSigmoid: { e: 3, t: 0 }, HardSwish: { e: 4, t: 0 },
  Elu: { e: 2, t: 1 }, Celu: { e: 2, t: 1 }, Selu: { e: 3, t: 1 },
  Sigmoid: { e: 1, t: 2 }, Softplus: { e: 1, t: 2 }, Softsign: { e: 2, t: 1 }, Mish: { e: 2, t: 3 },
  // Gelu, erf form: x·0.5·(1 + erf(x/√2)); tanh form: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
  Gelu: { e: 4, t: 1 },
  // Data conversion, no arithmetic (its bytes are still counted).
  Cast: { e: 0, t: 0 }, CastLike: { e: 0, t: 0 },
};

export const GELU_TANH: PerElement = { e: 8, t: 1 };

/** Elements the op produces (output 0), falling back to input 0 for same-shape ops. */
export function producedElements(node: Node, ctx: CostContext): number | undefined {
  return valueElements(ctx, outputAt(node, 0)) ?? valueElements(ctx, inputAt(node, 0));
}

export function perElementCost(node: Node, ctx: CostContext, work: PerElement, notes?: readonly string[], byteOptions?: ByteOptions): OpCost {
  const elements = producedElements(node, ctx);
  if (elements === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')], notes }, byteOptions);
  return assembleCost(node, ctx, { elementwise: elements * work.e, transcendental: elements * work.t, notes }, byteOptions);
}

/** Clip's min and max are scalar bounds (PyTorch's ReLU6 exports them), not parameters. */
const CLIP_BOUNDS: ByteOptions = { controlInputs: [1, 2] };

export const tableRule = (node: Node, ctx: CostContext): OpCost => {
  let work = ELEMENTWISE_WORK[node.opType] ?? E1;
  if (node.opType === 'Gelu' && stringAttr(node, 'approximate', 'none') === 'tanh') work = GELU_TANH;
  return perElementCost(node, ctx, work, undefined, node.opType === 'Clip' ? CLIP_BOUNDS : undefined);
};

/** Sum/Max/Min/Mean over n inputs: n − 1 ops per output element (Mean: one more to scale). */
export const variadicRule = (node: Node, ctx: CostContext): OpCost => {
  const n = node.inputs.filter((i) => i).length;
  return perElementCost(node, ctx, { e: Math.max(0, n - 1) + (node.opType === 'Mean' ? 1 : 0), t: 0 });
};

// ---- com.microsoft fused activations ----

export const msGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 4, t: 1 });
/** FastGelu: tanh approximation, plus the optional bias add. */
export const fastGeluRule = (node: Node, ctx: CostContext): OpCost =>
  perElementCost(node, ctx, { e: GELU_TANH.e + (inputAt(node, 1) ? 1 : 0), t: GELU_TANH.t });
/** BiasGelu: bias add then erf Gelu. */
export const biasGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 5, t: 1 });
/** QuickGelu: x·sigmoid(αx). */
export const quickGeluRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 3, t: 2 });
/** BiasAdd: x + bias + skip. */
export const biasAddRule = (node: Node, ctx: CostContext): OpCost => perElementCost(node, ctx, { e: 2, t: 0 });
