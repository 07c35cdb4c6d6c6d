/** Convolutions and pooling: spatial output sizes from kernel, stride, dilation, pads and auto_pad. */
import type { Dim } from '../ir';
import { type RuleContext, type RuleTable, tensor, unknown } from './ruleTypes';

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[];
  autoPad: string;
  ceil: boolean;
}

function windowOf(ctx: RuleContext, kernel: readonly number[]): Window {
  const n = kernel.length;
  return {
    kernel,
    strides: ctx.ints('strides') ?? new Array<number>(n).fill(1),
    dilations: ctx.ints('dilations') ?? new Array<number>(n).fill(1),
    pads: ctx.ints('pads') ?? new Array<number>(2 * n).fill(0),
    autoPad: ctx.string('auto_pad') ?? 'NOTSET',
    ceil: ctx.int('ceil_mode') === 1,
  };
}

function spatialOut(size: Dim, i: number, w: Window): Dim {
  if (typeof size !== 'number') return undefined;
  const stride = w.strides[i] ?? 1;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
  const effective = ((w.kernel[i] ?? 1) - 1) * (w.dilations[i] ?? 1) + 1;
  const padded = w.autoPad === 'VALID' ? size : size + (w.pads[i] ?? 0) + (w.pads[i + w.kernel.length] ?? 0);
  const span = padded - effective;
  if (span < 0) throw new Error(`window ${effective} larger than padded input ${padded}`);
  let out = (w.ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // With ceil_mode, the last window must start inside the input or left padding (ONNX and PyTorch agree).
  if (w.ceil && (out - 1) * stride >= size + (w.pads[i] ?? 0)) out--;
  return out;
}

function conv(ctx: RuleContext, weightIndex: number, outDtype = ctx.dtype(0)) {
  const x = ctx.shape(0);
  const w = ctx.shape(weightIndex);
  if (!x) return [unknown('input shape unknown')];
  const spatial = x.length - 2;
  const kernel = ctx.ints('kernel_shape') ?? w?.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
  if (!kernel || kernel.some(Number.isNaN)) return [tensor(outDtype, [x[0], w?.[0], ...new Array<Dim>(spatial)])];
  const win = windowOf(ctx, kernel);
  return [tensor(outDtype, [x[0], w?.[0], ...x.slice(2).map((d, i) => spatialOut(d, i, win))])];
}

function convTranspose(ctx: RuleContext) {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  if (!x || !w) return [unknown('input or weight shape unknown')];
  const group = ctx.int('group') ?? 1;
  const channels = typeof w[1] === 'number' ? w[1] * group : undefined;
  const explicit = ctx.ints('output_shape');
  const spatial = x.length - 2;
  if (explicit) return [tensor(ctx.dtype(0), [x[0], channels, ...explicit.slice(-spatial)])];
  const kernel = ctx.ints('kernel_shape') ?? w.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
  const win = windowOf(ctx, kernel);
  const outputPadding = ctx.ints('output_padding') ?? new Array<number>(spatial).fill(0);
  const dims = x.slice(2).map((d, i): Dim => {
    if (typeof d !== 'number' || Number.isNaN(kernel[i]!)) return undefined;
    const stride = win.strides[i] ?? 1;
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') return d * stride;
    const pads = win.autoPad === 'VALID' ? 0 : (win.pads[i] ?? 0) + (win.pads[i + spatial] ?? 0);
    return stride * (d - 1) + (outputPadding[i] ?? 0) + ((kernel[i]! - 1) * (win.dilations[i] ?? 1) + 1) - pads;
  });
  return [tensor(ctx.dtype(0), [x[0], channels, ...dims])];
}

function pool(ctx: RuleContext) {
  const x = ctx.shape(0);
  const kernel = ctx.ints('kernel_shape');
  if (!x) return [unknown('input shape unknown')];
  if (!kernel) return [unknown('pooling without kernel_shape')];
  const win = windowOf(ctx, kernel);
  const shape = [x[0], x[1], ...x.slice(2).map((d, i) => spatialOut(d, i, win))];
  const outs = [tensor(ctx.dtype(0), shape)];
  if (ctx.node.outputs.length > 1) outs.push(tensor('int64', shape)); // MaxPool indices
  return outs;
}

function globalPool(ctx: RuleContext) {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  return [tensor(ctx.dtype(0), [x[0], x[1], ...x.slice(2).map(() => 1)])];
}

export const convPoolRules: RuleTable = {
  Conv: (ctx) => conv(ctx, 1),
  ConvInteger: (ctx) => conv(ctx, 1, 'int32'),
  DeformConv: (ctx) => conv(ctx, 1),
  QLinearConv: (ctx) => conv(ctx, 3, ctx.dtype(7)),
  'com.microsoft:FusedConv': (ctx) => conv(ctx, 1),
  'com.microsoft:NhwcConv': (ctx) => conv(ctx, 1),
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  'com.microsoft:QLinearAveragePool': pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  'com.microsoft:QLinearGlobalAveragePool': globalPool,
  MaxRoiPool: (ctx) => {
    const x = ctx.shape(0);
    const rois = ctx.shape(1);
    const pooled = ctx.ints('pooled_shape');
    if (!x || !rois || !pooled) return [unknown('input shape or pooled_shape unknown')];
    return [tensor(ctx.dtype(0), [rois[0], x[1], ...pooled])];
  },
  MaxUnpool: (ctx) => {
    const explicit = ctx.has(2) ? ctx.values(2) : undefined;
    if (explicit) return [tensor(ctx.dtype(0), explicit)];
    const x = ctx.shape(0);
    if (ctx.has(2)) return [x ? tensor(ctx.dtype(0), x.map(() => undefined)) : unknown('output_shape unknown')];
    const kernel = ctx.ints('kernel_shape');
    if (!x || !kernel) return [unknown('input shape unknown')];
    const strides = ctx.ints('strides') ?? kernel.map(() => 1);
    const pads = ctx.ints('pads') ?? new Array<number>(2 * kernel.length).fill(0);
    return [tensor(ctx.dtype(0), [x[0], x[1], ...x.slice(2).map((d, i) => (typeof d === 'number'
      ? (d - 1) * strides[i]! + kernel[i]! - pads[i]! - pads[i + kernel.length]! : undefined))])];
  },
};
