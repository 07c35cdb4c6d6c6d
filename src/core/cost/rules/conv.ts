/** Convolutions: Conv, ConvTranspose and com.microsoft's FusedConv / NhwcConv. */
import type { Node } from '../../graph/ir';
import { type Arithmetic, assembleCost, shapeUnknown, staticDims } from '../assemble';
import { type CostContext, inputAt, intAttr, intsAttr, outputAt, stringAttr } from '../context';
import { convOutputSize, convTransposeWork, convWork, product } from '../formulas';
import type { OpCost, Precision } from '../types';
import { qdqView } from './qdq';

export interface ConvGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly kernel: readonly number[];
  readonly inSpatial: readonly number[];
  readonly outSpatial: readonly number[];
}

/** Output spatial sizes from attributes when shape inference left them unknown. */
function outSpatialFromAttributes(node: Node, inSpatial: readonly number[], kernel: readonly number[]): number[] {
  const rank = inSpatial.length;
  const strides = intsAttr(node, 'strides') ?? new Array<number>(rank).fill(1);
  const dilations = intsAttr(node, 'dilations') ?? new Array<number>(rank).fill(1);
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const pads = intsAttr(node, 'pads') ?? new Array<number>(2 * rank).fill(0);
  return inSpatial.map((size, i) => {
    const stride = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
    return convOutputSize(size, kernel[i] ?? 1, stride, pads[i] ?? 0, pads[i + rank] ?? 0, dilations[i] ?? 1);
  });
}

/** ConvTranspose output sizes from `output_shape`, or stride·(in − 1) + output_padding + dilated kernel − pads. */
function transposedOutSpatial(node: Node, inSpatial: readonly number[], kernel: readonly number[]): number[] {
  const given = intsAttr(node, 'output_shape');
  if (given && given.length >= inSpatial.length) return given.slice(-inSpatial.length);
  const rank = inSpatial.length;
  const strides = intsAttr(node, 'strides') ?? [];
  const dilations = intsAttr(node, 'dilations') ?? [];
  const outputPadding = intsAttr(node, 'output_padding') ?? [];
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const pads = intsAttr(node, 'pads') ?? [];
  return inSpatial.map((size, i) => {
    const stride = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return size * stride;
    const span = ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1;
    return stride * (size - 1) + (outputPadding[i] ?? 0) + span - (pads[i] ?? 0) - (pads[i + rank] ?? 0);
  });
}

/**
 * Reads a convolution's geometry from X, W and Y. `channelsLast` for NHWC layouts. Returns a reason
 * string when a shape needed for the MACs is unknown.
 */
export function convGeometry(node: Node, ctx: CostContext, x: string | undefined, w: string | undefined,
  y: string | undefined, channelsLast = false): ConvGeometry | string {
  const xShape = x ? ctx.numericShape(x) : undefined;
  const wShape = staticDims(ctx, w);
  if (!xShape || xShape.length < 3) return shapeUnknown(node, `input shape of '${x ?? ''}'`);
  if (!wShape || wShape.length < 3) return shapeUnknown(node, `weight shape of '${w ?? ''}'`);
  const groups = intAttr(node, 'group', 1);
  const kernel = wShape.slice(2);
  const batch = xShape[0]!;
  const inChannels = channelsLast ? xShape[xShape.length - 1]! : xShape[1]!;
  const inSpatial = channelsLast ? xShape.slice(1, -1) : xShape.slice(2);
  const transpose = node.opType === 'ConvTranspose';
  const outChannels = transpose ? wShape[1]! * groups : wShape[0]!;
  const yShape = y ? ctx.numericShape(y) : undefined;
  let outSpatial: readonly number[];
  if (yShape && yShape.length === xShape.length) outSpatial = channelsLast ? yShape.slice(1, -1) : yShape.slice(2);
  else outSpatial = transpose ? transposedOutSpatial(node, inSpatial, kernel) : outSpatialFromAttributes(node, inSpatial, kernel);
  return { batch, inChannels, outChannels, groups, kernel, inSpatial, outSpatial };
}

/** MACs and GEMM view of a convolution (docs/architecture.md: output elements × Cin/groups × kernel size). */
export function convArithmetic(g: ConvGeometry, transpose: boolean): Pick<Arithmetic, 'macs' | 'gemm'> & { outElements: number } {
  const work = transpose ? convTransposeWork(g) : convWork(g);
  return { macs: work.macs, gemm: work.gemm, outElements: g.batch * g.outChannels * product(g.outSpatial) };
}

/** Cost of a conv-like node whose X, W, bias and Y sit at the given positions. */
export function convLikeCost(node: Node, ctx: CostContext, layout: {
  x: number; w: number; bias?: number; y?: number; precision?: Precision; extraPerOutput?: { elementwise: number; transcendental: number };
  channelsLast?: boolean; notes?: readonly string[]; overrides?: Parameters<typeof assembleCost>[3];
}): OpCost {
  const g = convGeometry(node, ctx, inputAt(node, layout.x), inputAt(node, layout.w), outputAt(node, layout.y ?? 0), layout.channelsLast);
  if (typeof g === 'string') return assembleCost(node, ctx, { missing: [g], precision: layout.precision, notes: layout.notes }, layout.overrides);
  const arith = convArithmetic(g, node.opType === 'ConvTranspose');
  const hasBias = layout.bias !== undefined && inputAt(node, layout.bias) !== undefined;
  const extra = layout.extraPerOutput ?? { elementwise: 0, transcendental: 0 };
  return assembleCost(node, ctx, {
    macs: arith.macs,
    gemm: arith.gemm,
    elementwise: arith.outElements * ((hasBias ? 1 : 0) + extra.elementwise),
    transcendental: arith.outElements * extra.transcendental,
    precision: layout.precision,
    notes: layout.notes,
  }, layout.overrides);
}

/** Elementwise/transcendental work per element of the activations FusedConv/FusedGemm may apply. */
export function fusedActivationWork(node: Node): { elementwise: number; transcendental: number } {
  switch (stringAttr(node, 'activation', '')) {
    case '': return { elementwise: 0, transcendental: 0 };
    case 'Relu': case 'LeakyRelu': case 'Clip': return { elementwise: 1, transcendental: 0 };
    case 'HardSigmoid': return { elementwise: 3, transcendental: 0 };
    case 'Sigmoid': return { elementwise: 1, transcendental: 2 };
    case 'Tanh': return { elementwise: 0, transcendental: 1 };
    default: return { elementwise: 1, transcendental: 1 };
  }
}

/** Conv and ConvTranspose, at integer precision when fed by DequantizeLinear (QDQ). */
export const convRule = (node: Node, ctx: CostContext): OpCost => {
  const q = qdqView(node, ctx);
  return convLikeCost(node, ctx, {
    x: 0, w: 1, bias: 2, precision: q.precision, notes: q.note ? [q.note] : undefined, overrides: { overrides: q.overrides },
  });
};

export const fusedConvRule = (node: Node, ctx: CostContext): OpCost => {
  const act = fusedActivationWork(node);
  // Optional 4th input Z is added to the result before the activation.
  const sum = inputAt(node, 3) ? 1 : 0;
  return convLikeCost(node, ctx, { x: 0, w: 1, bias: 2, extraPerOutput: { elementwise: act.elementwise + sum, transcendental: act.transcendental } });
};

export const nhwcConvRule = (node: Node, ctx: CostContext): OpCost =>
  convLikeCost(node, ctx, { x: 0, w: 1, bias: 2, channelsLast: true });
