/**
 * Cost rules for TFLite builtin operators (domain 'tflite', from src/core/formats/tflite). TFLite
 * stores every tensor's shape, so the rules read shapes directly: NHWC activations, CONV_2D filters
 * [Cout, KH, KW, Cin], DEPTHWISE_CONV_2D filters [1, KH, KW, C·multiplier], FULLY_CONNECTED weights
 * [units, in]. Fused activations (attribute `fused_activation`) add their elementwise work per output.
 * Every count comes from the shared formulas (cost/formulas.ts), so a TFLite op costs what the
 * matching ONNX op costs: MACs = output elements × Cin/groups × kernel size, and so on.
 */
import type { Node } from '../graph/ir';
import { assembleCost, type ByteOptions, shapeUnknown, valueElements } from './assemble';
import { type CostContext, type OpCostRule, inputAt, intAttr, intsAttr, outputAt, stringAttr } from './context';
import {
  addWork, convTransposeWork, convWork, DEQUANTIZE_WORK, linearWork, logSoftmaxFlops, matMulWork, type OpWork, poolFlops, type PoolKind, product,
  QUANTIZE_WORK, reduceFlops, resizeFlops, softmaxFlops,
} from './formulas';
import { ELEMENTWISE_WORK, type PerElement, perElementCost } from './rules/elementwise';
import { selectionRule } from './rules/shapeOps';
import type { OpCost } from './types';

/** Work per output element of TFLite's fused activation functions, as the ONNX op each one is. */
function fusedActivation(node: Node): PerElement {
  switch (stringAttr(node, 'fused_activation', 'NONE')) {
    case 'NONE': return { e: 0, t: 0 };
    case 'RELU': return onnx('Relu');
    case 'SIGN_BIT': return onnx('Sign');
    case 'RELU6': case 'RELU_N1_TO_1': return onnx('Clip');
    case 'TANH': return onnx('Tanh');
    default: return { e: 1, t: 0 };
  }
}

/** An op's work plus its fused activation over `outElements`. */
function withActivation(node: Node, work: OpWork, outElements: number): OpWork {
  const act = fusedActivation(node);
  return { ...work, elementwise: work.elementwise + act.e * outElements, transcendental: work.transcendental + act.t * outElements };
}

function numericShape(ctx: CostContext, name: string | undefined): readonly number[] | undefined {
  return name ? ctx.numericShape(name) : undefined;
}

/** CONV_2D and DEPTHWISE_CONV_2D: inputs (x NHWC, filter, bias?); depthwise is groups = Cin. */
function convolution(node: Node, ctx: CostContext, depthwise: boolean): OpCost {
  const x = numericShape(ctx, inputAt(node, 0));
  const w = numericShape(ctx, inputAt(node, 1));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!x || !w || !y || x.length !== 4 || w.length !== 4 || y.length !== 4) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'NHWC input, filter or output shape')] });
  }
  const cin = x[3] ?? 0;
  // CONV_2D filters hold Cin/groups on their last axis; a depthwise filter reads one input channel per output.
  const cinPerGroup = depthwise ? 1 : w[3] ?? 0;
  const groups = cinPerGroup > 0 ? Math.max(1, Math.round(cin / cinPerGroup)) : 1;
  const work = convWork({
    batch: y[0] ?? 0, inChannels: cin, outChannels: y[3] ?? 0, kernel: [w[1] ?? 0, w[2] ?? 0],
    inSpatial: x.slice(1, 3), outSpatial: y.slice(1, 3), groups, bias: inputAt(node, 2) !== undefined,
  });
  return assembleCost(node, ctx, withActivation(node, work, product(y)));
}

/** TRANSPOSE_CONV: inputs (output_shape, filter [Cout, KH, KW, Cin], x, bias?): MACs = input elements × KH × KW × Cout. */
const transposeConvRule: OpCostRule = (node, ctx) => {
  const w = numericShape(ctx, inputAt(node, 1));
  const x = numericShape(ctx, inputAt(node, 2));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!w || !x || !y || w.length !== 4 || x.length !== 4 || y.length !== 4) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'filter, input or output shape')] }, { controlInputs: [0] });
  }
  const work = convTransposeWork({
    batch: x[0] ?? 0, inChannels: x[3] ?? 0, outChannels: w[0] ?? 0, kernel: [w[1] ?? 0, w[2] ?? 0],
    inSpatial: x.slice(1, 3), outSpatial: y.slice(1, 3), bias: inputAt(node, 3) !== undefined,
  });
  return assembleCost(node, ctx, withActivation(node, work, product(y)), { controlInputs: [0] });
};

/** FULLY_CONNECTED: inputs (x, weights [units, in], bias?); rows = x elements / in. */
const fullyConnectedRule: OpCostRule = (node, ctx) => {
  const w = numericShape(ctx, inputAt(node, 1));
  const xElements = valueElements(ctx, inputAt(node, 0));
  if (!w || w.length !== 2 || xElements === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or weights shape')] });
  }
  const [units = 0, depth = 0] = w;
  const rows = depth > 0 ? xElements / depth : 0;
  const work = linearWork({ rows, inFeatures: depth, outFeatures: units, bias: inputAt(node, 2) !== undefined });
  return assembleCost(node, ctx, withActivation(node, work, rows * units));
};

/** BATCH_MATMUL: a [..., M, K] (or [..., K, M] with adj_x) times b [..., K, N] (or [..., N, K] with adj_y). */
const batchMatMulRule: OpCostRule = (node, ctx) => {
  const a = numericShape(ctx, inputAt(node, 0));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!a || !y || a.length < 2 || y.length < 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] });
  const k = intAttr(node, 'adj_x', 0) ? a[a.length - 2] ?? 0 : a[a.length - 1] ?? 0;
  const m = y[y.length - 2] ?? 0;
  const n = y[y.length - 1] ?? 0;
  return assembleCost(node, ctx, matMulWork({ batch: product(y.slice(0, -2)), m, n, k }));
};

/** AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D (an Lp pool with p = 2). */
const poolRule = (kind: PoolKind): OpCostRule => (node, ctx) => {
  const out = valueElements(ctx, outputAt(node, 0));
  const kernel = intsAttr(node, 'kernel_shape');
  if (out === undefined || !kernel) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape or filter size')] });
  const f = poolFlops(kind, out, product(kernel));
  return assembleCost(node, ctx, withActivation(node, { macs: 0, ...f }, out));
};

/** The ONNX reduction each TFLite reduction is (REDUCE_ANY/ALL: one logical op per input, as ReduceMax). */
const ONNX_REDUCTION: Readonly<Record<string, string>> = {
  MEAN: 'ReduceMean', SUM: 'ReduceSum', REDUCE_MAX: 'ReduceMax', REDUCE_MIN: 'ReduceMin', REDUCE_PROD: 'ReduceProd',
  REDUCE_ANY: 'ReduceMax', REDUCE_ALL: 'ReduceMin', ARG_MAX: 'ArgMax', ARG_MIN: 'ArgMin',
};

/** Reductions (MEAN, SUM, REDUCE_*, ARG_*): input 1 holds the axes. */
const reduceRule: OpCostRule = (node, ctx) => {
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  if (input === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { controlInputs: [1] });
  return assembleCost(node, ctx, reduceFlops(ONNX_REDUCTION[node.opType] ?? 'ReduceSum', input, out ?? 0), { controlInputs: [1] });
};

/** SOFTMAX and LOG_SOFTMAX over the last axis. */
const softmaxRule: OpCostRule = (node, ctx) => {
  const shape = numericShape(ctx, outputAt(node, 0));
  if (!shape || shape.length === 0) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')] });
  const elements = product(shape);
  const rows = elements / (shape[shape.length - 1] || 1);
  return assembleCost(node, ctx, node.opType === 'LOG_SOFTMAX' ? logSoftmaxFlops(elements, rows) : softmaxFlops(elements));
};

/** RESIZE_BILINEAR: 2 taps per resized axis (inputs x NHWC, size). */
const resizeBilinearRule: OpCostRule = (node, ctx) => {
  const x = numericShape(ctx, inputAt(node, 0));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!x || !y) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] }, { controlInputs: [1] });
  const resized = y.filter((d, i) => d !== x[i]).length;
  return assembleCost(node, ctx, resizeFlops(product(y), 2, resized), { controlInputs: [1] });
};

/** Elementwise ops: per output element work, plus the fused activation where the op has one. */
const elementwise = (work: PerElement, options?: ByteOptions): OpCostRule => (node, ctx) => {
  return perElementCost(node, ctx, addWork(work, fusedActivation(node)), undefined, options);
};

const onnx = (op: string): PerElement => ELEMENTWISE_WORK[op] ?? { e: 1, t: 0 };
const copy = (controlInputs: readonly number[] = []): OpCostRule => elementwise({ e: 0, t: 0 }, { controlInputs });
const metadataOnly: OpCostRule = (node, ctx) => assembleCost(node, ctx, { notes: ['changes only the shape'] }, { metadataOnly: true });

/** Rules by TFLite builtin operator name. */
export function tfliteRules(): Map<string, OpCostRule> {
  const r = new Map<string, OpCostRule>();
  const set = (ops: readonly string[], rule: OpCostRule): void => ops.forEach((op) => r.set(op, rule));
  set(['CONV_2D'], (node, ctx) => convolution(node, ctx, false));
  set(['DEPTHWISE_CONV_2D'], (node, ctx) => convolution(node, ctx, true));
  set(['TRANSPOSE_CONV'], transposeConvRule);
  set(['FULLY_CONNECTED'], fullyConnectedRule);
  set(['BATCH_MATMUL'], batchMatMulRule);
  set(['AVERAGE_POOL_2D'], poolRule('average'));
  set(['MAX_POOL_2D'], poolRule('max'));
  set(['L2_POOL_2D'], poolRule('lp'));
  set(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD', 'REDUCE_ANY', 'REDUCE_ALL', 'ARG_MAX', 'ARG_MIN'], reduceRule);
  set(['SOFTMAX', 'LOG_SOFTMAX'], softmaxRule);
  // Elementwise builtins priced as the ONNX op each one is.
  const AS_ONNX: Readonly<Record<string, string>> = {
    ADD: 'Add', SUB: 'Sub', MUL: 'Mul', ABS: 'Abs', NEG: 'Neg', FLOOR: 'Floor', CEIL: 'Ceil', ROUND: 'Round', RELU: 'Relu',
    LESS: 'Less', GREATER: 'Greater', EQUAL: 'Equal', LESS_EQUAL: 'LessOrEqual', GREATER_EQUAL: 'GreaterOrEqual',
    LOGICAL_AND: 'And', LOGICAL_OR: 'Or', LOGICAL_NOT: 'Not', SELECT: 'Where', SELECT_V2: 'Where', SIGN: 'Sign',
    DIV: 'Div', POW: 'Pow', EXP: 'Exp', LOG: 'Log', SQRT: 'Sqrt', TANH: 'Tanh', SIN: 'Sin', COS: 'Cos',
    RELU6: 'Clip', RELU_N1_TO_1: 'Clip', RELU_0_TO_1: 'Clip', LEAKY_RELU: 'LeakyRelu', PRELU: 'PRelu',
    LOGISTIC: 'Sigmoid', HARD_SWISH: 'HardSwish', ELU: 'Elu', GELU: 'Gelu',
  };
  for (const [op, onnxOp] of Object.entries(AS_ONNX)) r.set(op, elementwise(onnx(onnxOp)));
  // No single ONNX op: a compare, a square or an add per element; a division (with floor) or a reciprocal root.
  set(['MAXIMUM', 'MINIMUM', 'NOT_EQUAL', 'SQUARE', 'ADD_N'], elementwise({ e: 1, t: 0 }));
  set(['FLOOR_DIV', 'FLOOR_MOD', 'RSQRT'], elementwise({ e: 0, t: 1 }));
  // (x − y)²: a subtract and a multiply.
  set(['SQUARED_DIFFERENCE'], elementwise(addWork(onnx('Sub'), onnx('Mul'))));
  set(['DEQUANTIZE'], elementwise(DEQUANTIZE_WORK));
  set(['QUANTIZE'], elementwise(QUANTIZE_WORK));
  set(['CAST'], copy());
  set(['RESIZE_BILINEAR'], resizeBilinearRule);
  set(['RESIZE_NEAREST_NEIGHBOR'], copy([1]));
  set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS'], metadataOnly);
  set(['CONCATENATION', 'PACK', 'UNPACK', 'SPACE_TO_DEPTH', 'DEPTH_TO_SPACE', 'ZEROS_LIKE'], copy());
  // Selections read only what they select (an embedding GATHER reads its rows), as ONNX Gather and Slice.
  set(['GATHER', 'GATHER_ND'], selectionRule());
  set(['TRANSPOSE', 'TILE', 'BROADCAST_TO', 'PAD', 'MIRROR_PAD'], copy([1]));
  set(['PADV2'], copy([1, 2]));
  set(['SLICE'], selectionRule([1, 2]));
  set(['STRIDED_SLICE'], selectionRule([1, 2, 3]));
  set(['SPLIT'], copy([0]));
  set(['SPLIT_V'], copy([1, 2]));
  return r;
}
