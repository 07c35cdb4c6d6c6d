/**
 * Cost rules for TFLite builtin operators (domain 'tflite', from src/core/formats/tflite). TFLite
 * stores every tensor's shape, so the rules read shapes directly: NHWC activations, CONV_2D filters
 * [Cout, KH, KW, Cin], DEPTHWISE_CONV_2D filters [1, KH, KW, C·multiplier], FULLY_CONNECTED weights
 * [units, in]. Fused activations (attribute `fused_activation`) add their elementwise work per output.
 * Conventions as for ONNX (docs/cost-rules.md): MACs = output elements × Cin/groups × kernel size.
 */
import type { Node } from '../graph/ir';
import { assembleCost, type ByteOptions, shapeUnknown, valueElements } from './assemble';
import { type CostContext, type OpCostRule, inputAt, intAttr, intsAttr, outputAt, stringAttr } from './context';
import { product, softmaxFlops } from './formulas';
import { ELEMENTWISE_WORK, type PerElement, perElementCost } from './rules/elementwise';
import type { OpCost } from './types';

/** Work per output element of TFLite's fused activation functions. */
function fusedActivation(node: Node): PerElement {
  switch (stringAttr(node, 'fused_activation', 'NONE')) {
    case 'NONE': return { e: 0, t: 0 };
    case 'RELU': case 'SIGN_BIT': return { e: 1, t: 0 };
    case 'RELU6': case 'RELU_N1_TO_1': return { e: 2, t: 0 };
    case 'TANH': return { e: 0, t: 1 };
    default: return { e: 1, t: 0 };
  }
}

function numericShape(ctx: CostContext, name: string | undefined): readonly number[] | undefined {
  return name ? ctx.numericShape(name) : undefined;
}

/** CONV_2D and DEPTHWISE_CONV_2D: inputs (x NHWC, filter, bias?). */
function convolution(node: Node, ctx: CostContext, depthwise: boolean): OpCost {
  const x = numericShape(ctx, inputAt(node, 0));
  const w = numericShape(ctx, inputAt(node, 1));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!x || !w || !y || x.length !== 4 || w.length !== 4 || y.length !== 4) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'NHWC input, filter or output shape')] });
  }
  const [n = 0, oh = 0, ow = 0, cout = 0] = y;
  const kh = w[1] ?? 0;
  const kw = w[2] ?? 0;
  const outElements = n * oh * ow * cout;
  const act = fusedActivation(node);
  const bias = inputAt(node, 2) ? outElements : 0;
  const cin = x[3] ?? 0;
  if (depthwise) {
    // Each output channel reads one input channel: MACs = outputs × KH × KW.
    const multiplier = cin > 0 ? cout / cin : 1;
    return assembleCost(node, ctx, {
      macs: outElements * kh * kw,
      elementwise: bias + act.e * outElements,
      transcendental: act.t * outElements,
      gemm: { m: n * oh * ow, n: multiplier, k: kh * kw, batch: cin },
    });
  }
  const cinPerGroup = w[3] ?? 0;
  const groups = cinPerGroup > 0 ? Math.max(1, Math.round(cin / cinPerGroup)) : 1;
  return assembleCost(node, ctx, {
    macs: outElements * kh * kw * cinPerGroup,
    elementwise: bias + act.e * outElements,
    transcendental: act.t * outElements,
    gemm: { m: n * oh * ow, n: cout / groups, k: kh * kw * cinPerGroup, batch: groups },
  });
}

/** TRANSPOSE_CONV: inputs (output_shape, filter [Cout, KH, KW, Cin], x, bias?): MACs = input elements × KH × KW × Cout. */
const transposeConvRule: OpCostRule = (node, ctx) => {
  const w = numericShape(ctx, inputAt(node, 1));
  const x = numericShape(ctx, inputAt(node, 2));
  const out = valueElements(ctx, outputAt(node, 0));
  if (!w || !x || w.length !== 4 || out === undefined) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'filter, input or output shape')] }, { controlInputs: [0] });
  }
  const [cout = 0, kh = 0, kw = 0, cin = 0] = w;
  const pixels = product(x) / Math.max(cin, 1);
  const act = fusedActivation(node);
  return assembleCost(node, ctx, {
    macs: product(x) * kh * kw * cout,
    elementwise: (inputAt(node, 3) ? out : 0) + act.e * out,
    transcendental: act.t * out,
    gemm: { m: pixels, n: cout * kh * kw, k: cin, batch: 1 },
  }, { controlInputs: [0] });
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
  const outElements = rows * units;
  const act = fusedActivation(node);
  return assembleCost(node, ctx, {
    macs: rows * units * depth,
    elementwise: (inputAt(node, 2) ? outElements : 0) + act.e * outElements,
    transcendental: act.t * outElements,
    gemm: { m: rows, n: units, k: depth, batch: 1 },
  });
};

/** BATCH_MATMUL: a [..., M, K] (or [..., K, M] with adj_x) times b [..., K, N] (or [..., N, K] with adj_y). */
const batchMatMulRule: OpCostRule = (node, ctx) => {
  const a = numericShape(ctx, inputAt(node, 0));
  const y = numericShape(ctx, outputAt(node, 0));
  if (!a || !y || a.length < 2 || y.length < 2) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input or output shape')] });
  const k = intAttr(node, 'adj_x', 0) ? a[a.length - 2] ?? 0 : a[a.length - 1] ?? 0;
  const m = y[y.length - 2] ?? 0;
  const n = y[y.length - 1] ?? 0;
  const batch = product(y.slice(0, -2));
  return assembleCost(node, ctx, { macs: batch * m * n * k, gemm: { m, n, k, batch } });
};

const poolRule = (average: boolean, l2: boolean): OpCostRule => (node, ctx) => {
  const out = valueElements(ctx, outputAt(node, 0));
  const kernel = intsAttr(node, 'kernel_shape');
  if (out === undefined || !kernel) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape or filter size')] });
  const window = product(kernel);
  const act = fusedActivation(node);
  if (l2) return assembleCost(node, ctx, { elementwise: 2 * out * window + act.e * out, transcendental: out + act.t * out });
  return assembleCost(node, ctx, { elementwise: out * window + (average ? out : 0) + act.e * out, transcendental: act.t * out });
};

/** Reductions (MEAN, SUM, REDUCE_*): one op per input element; input 1 holds the axes. */
const reduceRule: OpCostRule = (node, ctx) => {
  const input = valueElements(ctx, inputAt(node, 0));
  const out = valueElements(ctx, outputAt(node, 0));
  if (input === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { controlInputs: [1] });
  return assembleCost(node, ctx, { elementwise: input + (node.opType === 'MEAN' ? out ?? 0 : 0) }, { controlInputs: [1] });
};

const softmaxRule: OpCostRule = (node, ctx) => {
  const elements = valueElements(ctx, outputAt(node, 0));
  if (elements === undefined) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'output shape')] });
  const f = softmaxFlops(elements);
  return assembleCost(node, ctx, { elementwise: f.elementwise + (node.opType === 'LOG_SOFTMAX' ? elements : 0), transcendental: f.transcendental });
};

/** Elementwise ops: per output element work, plus the fused activation where the op has one. */
const elementwise = (work: PerElement, options?: ByteOptions): OpCostRule => (node, ctx) => {
  const act = fusedActivation(node);
  return perElementCost(node, ctx, { e: work.e + act.e, t: work.t + act.t }, undefined, options);
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
  set(['AVERAGE_POOL_2D'], poolRule(true, false));
  set(['MAX_POOL_2D'], poolRule(false, false));
  set(['L2_POOL_2D'], poolRule(false, true));
  set(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD', 'REDUCE_ANY', 'REDUCE_ALL', 'ARG_MAX', 'ARG_MIN'], reduceRule);
  set(['SOFTMAX', 'LOG_SOFTMAX'], softmaxRule);
  set(['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'ABS', 'NEG', 'FLOOR', 'CEIL', 'ROUND', 'RELU', 'SQUARE',
    'LESS', 'GREATER', 'EQUAL', 'NOT_EQUAL', 'LESS_EQUAL', 'GREATER_EQUAL', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT',
    'SELECT', 'SELECT_V2', 'SIGN', 'ADD_N'], elementwise({ e: 1, t: 0 }));
  set(['DIV', 'FLOOR_DIV', 'FLOOR_MOD', 'POW', 'EXP', 'LOG', 'SQRT', 'RSQRT', 'TANH', 'SIN', 'COS'], elementwise({ e: 0, t: 1 }));
  set(['RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'PRELU', 'SQUARED_DIFFERENCE'], elementwise({ e: 2, t: 0 }));
  set(['LOGISTIC'], elementwise(onnx('Sigmoid')));
  set(['HARD_SWISH'], elementwise(onnx('HardSwish')));
  set(['ELU'], elementwise(onnx('Elu')));
  set(['GELU'], elementwise(onnx('Gelu')));
  // (x − zero point) × scale, or the inverse with rounding and clamping.
  set(['DEQUANTIZE'], elementwise({ e: 2, t: 0 }));
  set(['QUANTIZE'], elementwise({ e: 3, t: 1 }));
  set(['CAST'], copy());
  // Bilinear: 4 taps, 4 multiplies and 3 adds per output element.
  set(['RESIZE_BILINEAR'], elementwise({ e: 7, t: 0 }, { controlInputs: [1] }));
  set(['RESIZE_NEAREST_NEIGHBOR'], copy([1]));
  set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS'], metadataOnly);
  set(['CONCATENATION', 'PACK', 'UNPACK', 'SPACE_TO_DEPTH', 'DEPTH_TO_SPACE', 'GATHER', 'GATHER_ND', 'ZEROS_LIKE'], copy());
  set(['TRANSPOSE', 'TILE', 'BROADCAST_TO', 'PAD', 'MIRROR_PAD'], copy([1]));
  set(['PADV2'], copy([1, 2]));
  set(['SLICE'], copy([1, 2]));
  set(['STRIDED_SLICE'], copy([1, 2, 3]));
  set(['SPLIT'], copy([0]));
  set(['SPLIT_V'], copy([1, 2]));
  return r;
}
