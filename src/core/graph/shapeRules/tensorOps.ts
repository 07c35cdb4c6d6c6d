/** Shape-changing tensor operators: Reshape, Transpose, Concat, Split, Slice, Gather, Pad, Tile... */
import type { Dim } from '../ir';
import { dataTypeFromCode } from '../../onnx/dataTypes';
import { broadcastShapes } from './broadcast';
import {
  axis, intsFromInputOrAttr, type OutputInfo, product, type RuleContext, type RuleTable, type Shape, sameAsInput, tensor, unknown, unknownDims,
} from './ruleTypes';

export function reshapeShape(input: Shape | undefined, target: readonly number[], allowZero: boolean): Shape {
  const out: Dim[] = target.map((t, i) => (t === 0 && !allowZero ? input?.[i] : t === -1 ? -1 : t));
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    const total = input ? product(input) : undefined;
    const rest = product(out.filter((_, i) => i !== inferred));
    out[inferred] = total !== undefined && rest !== undefined && rest !== 0 ? total / rest : undefined;
    if (typeof out[inferred] === 'number' && !Number.isInteger(out[inferred])) throw new Error(`cannot reshape ${total} elements to ${JSON.stringify(target)}`);
  }
  return out;
}

/** Length of a Slice along one axis (ONNX clamping rules); undefined when the dimension is unknown. */
export function sliceLength(dim: Dim, start: number, end: number, step: number): Dim {
  if (step === 0) throw new Error('Slice step 0');
  if (typeof dim !== 'number') {
    // Without the dimension, only non-negative, explicit bounds give a length.
    if (step > 0 && start >= 0 && end >= start && end < 2 ** 31) return Math.ceil((end - start) / step);
    return undefined;
  }
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return Math.max(0, Math.ceil((s - e) / -step));
}

export interface SliceSpec { starts: readonly number[]; ends: readonly number[]; axes: readonly number[]; steps: readonly number[] }

export function sliceSpec(ctx: RuleContext, rank: number): SliceSpec | undefined {
  const old = ctx.opset < 10;
  const starts = old ? ctx.ints('starts') : ctx.values(1);
  const ends = old ? ctx.ints('ends') : ctx.values(2);
  if (!starts || !ends) return undefined;
  const axes = (old ? ctx.ints('axes') : ctx.has(3) ? ctx.values(3) : undefined) ?? starts.map((_, i) => i);
  const steps = (!old && ctx.has(4) ? ctx.values(4) : undefined) ?? starts.map(() => 1);
  if (ctx.has(3) && !old && !ctx.values(3)) return undefined;
  if (ctx.has(4) && !ctx.values(4)) return undefined;
  return { starts, ends, axes: axes.map((a) => axis(a, rank)), steps };
}

function slice(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const spec = sliceSpec(ctx, x.length);
  if (!spec) return [tensor(ctx.dtype(0), x.map(() => undefined))];
  const out = [...x];
  spec.axes.forEach((a, i) => { out[a] = sliceLength(x[a], spec.starts[i]!, spec.ends[i]!, spec.steps[i]!); });
  return [tensor(ctx.dtype(0), out)];
}

function split(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  const n = ctx.node.outputs.length;
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const a = axis(ctx.int('axis') ?? 0, x.length);
  const sizes = intsFromInputOrAttr(ctx, 1, 'split');
  const dim = x[a];
  if (ctx.has(1) && !sizes) return ctx.node.outputs.map(() => tensor(ctx.dtype(0), x.map((d, i) => (i === a ? undefined : d))));
  const parts: Dim[] = sizes ? [...sizes] : Array.from({ length: n }, (_, i) => {
    if (typeof dim !== 'number') return undefined;
    const chunk = Math.ceil(dim / n); // opset 18 num_outputs: the last chunk may be smaller
    return Math.max(0, Math.min(chunk, dim - chunk * i));
  });
  return parts.map((p) => tensor(ctx.dtype(0), x.map((d, i) => (i === a ? p : d))));
}

function squeeze(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const axes = intsFromInputOrAttr(ctx, 1, 'axes');
  if (ctx.has(1) && !axes) return [unknown('Squeeze axes unknown')];
  if (!axes) {
    if (x.some((d) => typeof d !== 'number')) return [unknown('Squeeze without axes on a shape with unknown dimensions')];
    return [tensor(ctx.dtype(0), x.filter((d) => d !== 1))];
  }
  const drop = new Set(axes.map((v) => axis(v, x.length)));
  return [tensor(ctx.dtype(0), x.filter((_, i) => !drop.has(i)))];
}

function unsqueeze(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  const axes = intsFromInputOrAttr(ctx, 1, 'axes');
  if (!x) return [unknown('input shape unknown')];
  if (!axes) return [unknown('Unsqueeze axes unknown')];
  const rank = x.length + axes.length;
  const inserted = new Set(axes.map((v) => axis(v, rank)));
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(inserted.has(i) ? 1 : x[k++]);
  return [tensor(ctx.dtype(0), out)];
}

function pad(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const pads = ctx.opset < 11 ? ctx.ints('paddings') ?? ctx.ints('pads') : ctx.values(1);
  if (!pads) return [tensor(ctx.dtype(0), x.map(() => undefined))];
  const axes = (ctx.has(3) ? ctx.values(3) : undefined)?.map((a) => axis(a, x.length)) ?? x.map((_, i) => i);
  const out = [...x];
  axes.forEach((a, i) => {
    const d = out[a];
    out[a] = typeof d === 'number' ? d + pads[i]! + pads[i + axes.length]! : undefined;
  });
  return [tensor(ctx.dtype(0), out)];
}

function gather(ctx: RuleContext): OutputInfo[] {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (!data || !indices) return [unknown('input shape unknown')];
  const a = axis(ctx.int('axis') ?? 0, data.length);
  return [tensor(ctx.dtype(0), [...data.slice(0, a), ...indices, ...data.slice(a + 1)])];
}

export const tensorOpsRules: RuleTable = {
  Reshape: (ctx) => {
    const target = ctx.opset < 5 ? ctx.ints('shape') : ctx.values(1);
    if (!target) {
      const rank = ctx.shape(1)?.[0];
      const dims = unknownDims(rank);
      return [dims ? tensor(ctx.dtype(0), dims) : unknown('Reshape target unknown')];
    }
    return [tensor(ctx.dtype(0), reshapeShape(ctx.shape(0), target, ctx.int('allowzero') === 1))];
  },
  Flatten: (ctx) => {
    const x = ctx.shape(0);
    if (!x) return [unknown('input shape unknown')];
    const a = (ctx.int('axis') ?? 1) < 0 ? (ctx.int('axis') ?? 1) + x.length : ctx.int('axis') ?? 1;
    return [tensor(ctx.dtype(0), [product(x.slice(0, a)), product(x.slice(a))])];
  },
  Transpose: (ctx) => {
    const x = ctx.shape(0);
    if (!x) return [unknown('input shape unknown')];
    const perm = ctx.ints('perm') ?? x.map((_, i) => x.length - 1 - i);
    return [tensor(ctx.dtype(0), perm.map((p) => x[axis(p, x.length)]))];
  },
  Concat: (ctx) => {
    const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i)).filter((_, i) => ctx.has(i));
    if (shapes.some((s) => !s)) return [unknown('input shape unknown')];
    const first = shapes[0]!;
    const a = axis(ctx.int('axis') ?? 0, first.length);
    const total = shapes.reduce<Dim>((sum, s) => (typeof sum === 'number' && typeof s![a] === 'number' ? sum + (s![a] as number) : undefined), 0);
    return [tensor(ctx.dtype(0), first.map((d, i) => (i === a ? total : shapes.find((s) => typeof s![i] === 'number')?.[i] ?? d)))];
  },
  Split: split,
  Slice: slice,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Gather: gather,
  GatherElements: (ctx) => [tensor(ctx.dtype(0), ctx.shape(1))],
  GatherND: (ctx) => {
    const data = ctx.shape(0);
    const indices = ctx.shape(1);
    const last = indices?.at(-1);
    if (!data || !indices || typeof last !== 'number') return [unknown('input shape unknown')];
    const batch = ctx.int('batch_dims') ?? 0;
    return [tensor(ctx.dtype(0), [...indices.slice(0, -1), ...data.slice(batch + last)])];
  },
  ScatterND: (ctx) => sameAsInput(ctx),
  ScatterElements: (ctx) => sameAsInput(ctx),
  Scatter: (ctx) => sameAsInput(ctx),
  Expand: (ctx) => {
    const x = ctx.shape(0);
    const target = ctx.values(1);
    if (!x) return [unknown('input shape unknown')];
    if (!target) {
      const rank = ctx.shape(1)?.[0];
      const dims = unknownDims(typeof rank === 'number' ? Math.max(rank, x.length) : undefined);
      return [dims ? tensor(ctx.dtype(0), dims) : unknown('Expand shape unknown')];
    }
    return [tensor(ctx.dtype(0), broadcastShapes([x, target]))];
  },
  Tile: (ctx) => {
    const x = ctx.shape(0);
    const repeats = ctx.values(1);
    if (!x) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), x.map((d, i) => (typeof d === 'number' && repeats ? d * repeats[i]! : undefined)))];
  },
  Pad: pad,
  Shape: (ctx) => {
    const x = ctx.shape(0);
    if (!x) return [unknown('input shape unknown')];
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + x.length : v, 0), x.length);
    const start = clamp(ctx.int('start') ?? 0);
    const end = clamp(ctx.int('end') ?? x.length);
    return [tensor('int64', [Math.max(0, end - start)])];
  },
  Size: () => [tensor('int64', [])],
  ConstantOfShape: (ctx) => {
    const shape = ctx.values(0);
    const value = ctx.tensorAttr('value');
    const dtype = value?.type.dataType ?? 'float32';
    if (shape) return [tensor(dtype, shape)];
    const rank = ctx.shape(0)?.[0];
    const dims = unknownDims(rank);
    return [dims ? tensor(dtype, dims) : unknown('ConstantOfShape shape unknown')];
  },
  Range: (ctx) => {
    const [start, limit, delta] = [ctx.values(0)?.[0], ctx.values(1)?.[0], ctx.values(2)?.[0]];
    if (start === undefined || limit === undefined || delta === undefined || delta === 0) {
      return [{ type: { dataType: ctx.dtype(0) ?? 'int64', shape: [undefined] }, reason: 'Range bounds unknown (data-dependent)' }];
    }
    return [tensor(ctx.dtype(0), [Math.max(0, Math.ceil((limit - start) / delta))])];
  },
  DepthToSpace: (ctx) => {
    const x = ctx.shape(0);
    const b = ctx.int('blocksize') ?? 1;
    if (!x || x.length !== 4) return [unknown('input shape unknown')];
    const mul = (d: Dim, k: number): Dim => (typeof d === 'number' ? d * k : undefined);
    return [tensor(ctx.dtype(0), [x[0], typeof x[1] === 'number' ? x[1] / (b * b) : undefined, mul(x[2], b), mul(x[3], b)])];
  },
  SpaceToDepth: (ctx) => {
    const x = ctx.shape(0);
    const b = ctx.int('blocksize') ?? 1;
    if (!x || x.length !== 4) return [unknown('input shape unknown')];
    const div = (d: Dim): Dim => (typeof d === 'number' ? Math.floor(d / b) : undefined);
    return [tensor(ctx.dtype(0), [x[0], typeof x[1] === 'number' ? x[1] * b * b : undefined, div(x[2]), div(x[3])])];
  },
  OneHot: (ctx) => {
    const indices = ctx.shape(0);
    const depth = ctx.values(1)?.[0];
    if (!indices) return [unknown('input shape unknown')];
    const rank = indices.length + 1;
    const a = axis(ctx.int('axis') ?? -1, rank);
    const out: Dim[] = [...indices];
    out.splice(a, 0, depth);
    return [tensor(ctx.dtype(2), out)];
  },
  EyeLike: (ctx) => {
    const dt = ctx.int('dtype');
    return [tensor(dt !== undefined ? dataTypeFromCode(dt) : ctx.dtype(0), ctx.shape(0))];
  },
  RandomNormal: (ctx) => [tensor(dataTypeFromCode(ctx.int('dtype') ?? 1), ctx.ints('shape'))],
  RandomUniform: (ctx) => [tensor(dataTypeFromCode(ctx.int('dtype') ?? 1), ctx.ints('shape'))],
  RandomNormalLike: (ctx) => [tensor(ctx.int('dtype') !== undefined ? dataTypeFromCode(ctx.int('dtype')!) : ctx.dtype(0), ctx.shape(0))],
  RandomUniformLike: (ctx) => [tensor(ctx.int('dtype') !== undefined ? dataTypeFromCode(ctx.int('dtype')!) : ctx.dtype(0), ctx.shape(0))],
  Bernoulli: (ctx) => [tensor(ctx.int('dtype') !== undefined ? dataTypeFromCode(ctx.int('dtype')!) : ctx.dtype(0), ctx.shape(0))],
  Multinomial: (ctx) => [tensor(dataTypeFromCode(ctx.int('dtype') ?? 6), [ctx.shape(0)?.[0], ctx.int('sample_size') ?? 1])],
  GridSample: (ctx) => {
    const x = ctx.shape(0);
    const grid = ctx.shape(1);
    if (!x || !grid) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), [x[0], x[1], ...grid.slice(1, -1)])];
  },
  Det: (ctx) => [tensor(ctx.dtype(0), ctx.shape(0)?.slice(0, -2))],
  CenterCropPad: (ctx) => {
    const x = ctx.shape(0);
    const target = ctx.values(1);
    if (!x || !target) return [unknown('input shape or crop size unknown')];
    const axes = (ctx.ints('axes') ?? target.map((_, i) => x.length - target.length + i)).map((a) => axis(a, x.length));
    const out = [...x];
    axes.forEach((a, i) => { out[a] = target[i]; });
    return [tensor(ctx.dtype(0), out)];
  },
  Col2Im: (ctx) => {
    const x = ctx.shape(0);
    const image = ctx.values(1);
    const block = ctx.values(2);
    if (!x || !image || !block) return [unknown('input shape or image/block shape unknown')];
    const blockSize = block.reduce((p, q) => p * q, 1);
    return [tensor(ctx.dtype(0), [x[0], typeof x[1] === 'number' ? x[1] / blockSize : undefined, ...image])];
  },
};
