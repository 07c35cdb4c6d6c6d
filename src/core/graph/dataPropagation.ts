/**
 * Data propagation: the values of small shape tensors (Shape -> Gather -> Unsqueeze -> Concat ->
 * Reshape), computed at analysis time so Reshape, Expand, Slice and ConstantOfShape get real shapes.
 */
import type { DataType, Dim } from './ir';
import { broadcastIndex } from './shapeRules/broadcast';
import { axis, type OutputInfo, product, type RuleContext } from './shapeRules/ruleTypes';
import { sliceSpec } from './shapeRules/tensorOps';
import { maxOf, minOf } from '../extent';

/** Tensors up to this many elements carry values through propagation. */
export const MAX_KNOWN_VALUES = 1024;

type Compute = (ctx: RuleContext, out: readonly number[]) => readonly number[] | undefined;

const isInt = (t: DataType | undefined): boolean => t !== undefined && /int|bool/.test(t);

function binary(f: (a: number, b: number, int: boolean) => number): Compute {
  return (ctx, out) => {
    const [a, b, sa, sb] = [ctx.values(0), ctx.values(1), ctx.shape(0), ctx.shape(1)];
    if (!a || !b || !numeric(sa) || !numeric(sb)) return undefined;
    const int = isInt(ctx.dtype(0));
    const n = product(out) ?? 0;
    return Array.from({ length: n }, (_, i) => f(a[broadcastIndex(out, sa, i)]!, b[broadcastIndex(out, sb, i)]!, int));
  };
}

function unary(f: (a: number) => number): Compute {
  return (ctx) => ctx.values(0)?.map(f);
}

const passThrough: Compute = (ctx) => ctx.values(0);
const bool = (x: boolean): number => (x ? 1 : 0);

function numeric(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

function reduce(f: (values: readonly number[]) => number): Compute {
  return (ctx, out) => {
    const v = ctx.values(0);
    if (!v || (product(out) ?? 0) !== 1) return undefined; // full reductions only: enough for shape math
    return [f(v)];
  };
}

const COMPUTE: Record<string, Compute> = {
  Identity: passThrough, Reshape: passThrough, Flatten: passThrough, Squeeze: passThrough, Unsqueeze: passThrough,
  Shape: (ctx) => {
    const x = ctx.shape(0);
    if (!numeric(x)) return undefined;
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + x.length : v, 0), x.length);
    return x.slice(clamp(ctx.int('start') ?? 0), clamp(ctx.int('end') ?? x.length));
  },
  Size: (ctx) => {
    const n = product(ctx.shape(0) ?? [undefined]);
    return n === undefined ? undefined : [n];
  },
  Cast: (ctx) => {
    const v = ctx.values(0);
    const to = ctx.int('to');
    if (!v) return undefined;
    if (to === 9) return v.map((x) => bool(x !== 0));
    return [2, 3, 4, 5, 6, 7, 12, 13].includes(to ?? 0) ? v.map(Math.trunc) : v;
  },
  Gather: (ctx, out) => {
    const [data, indices, shape] = [ctx.values(0), ctx.values(1), ctx.shape(0)];
    if (!data || !indices || !numeric(shape)) return undefined;
    const a = axis(ctx.int('axis') ?? 0, shape.length);
    const inner = product(shape.slice(a + 1)) ?? 1;
    const outer = product(shape.slice(0, a)) ?? 1;
    const dim = shape[a]!;
    const result: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (const raw of indices) {
        const idx = raw < 0 ? raw + dim : raw;
        if (idx < 0 || idx >= dim) return undefined;
        for (let k = 0; k < inner; k++) result.push(data[(o * dim + idx) * inner + k]!);
      }
    }
    return result.length === (product(out) ?? -1) ? result : undefined;
  },
  Concat: (ctx) => {
    const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i));
    const first = shapes[0];
    if (!first || (first.length > 1 && axis(ctx.int('axis') ?? 0, first.length) !== 0)) return undefined;
    const parts = ctx.node.inputs.map((_, i) => (ctx.has(i) ? ctx.values(i) : []));
    return parts.every(Boolean) ? parts.flatMap((p) => [...p!]) : undefined; // axis 0: flat concatenation
  },
  Slice: (ctx) => {
    const [v, shape] = [ctx.values(0), ctx.shape(0)];
    if (!v || !numeric(shape) || shape.length !== 1) return undefined;
    const spec = sliceSpec(ctx, 1);
    if (!spec || spec.starts.length !== 1) return undefined;
    const [start, end, step, n] = [spec.starts[0]!, spec.ends[0]!, spec.steps[0]!, shape[0]!];
    let s = start < 0 ? start + n : start;
    let e = end < 0 ? end + n : end;
    const result: number[] = [];
    if (step > 0) {
      s = Math.min(Math.max(s, 0), n); e = Math.min(Math.max(e, 0), n);
      for (let i = s; i < e; i += step) result.push(v[i]!);
    } else {
      s = Math.min(Math.max(s, 0), n - 1); e = Math.min(Math.max(e, -1), n - 1);
      for (let i = s; i > e; i += step) result.push(v[i]!);
    }
    return result;
  },
  Expand: (ctx, out) => {
    const [v, shape] = [ctx.values(0), ctx.shape(0)];
    if (!v || !numeric(shape)) return undefined;
    return Array.from({ length: product(out) ?? 0 }, (_, i) => v[broadcastIndex(out, shape, i)]!);
  },
  Tile: (ctx, out) => {
    const [v, shape] = [ctx.values(0), ctx.shape(0)];
    if (!v || !numeric(shape) || shape.length !== 1) return undefined;
    return Array.from({ length: out[0]! }, (_, i) => v[i % shape[0]!]!);
  },
  ConstantOfShape: (ctx, out) => {
    const fill = ctx.tensorAttr('value')?.values?.[0] ?? 0;
    return new Array<number>(product(out) ?? 0).fill(fill);
  },
  Range: (ctx, out) => {
    const [start, delta] = [ctx.values(0)?.[0], ctx.values(2)?.[0]];
    if (start === undefined || delta === undefined) return undefined;
    return Array.from({ length: out[0] ?? 0 }, (_, i) => start + i * delta);
  },
  Where: (ctx, out) => {
    const [c, a, b] = [ctx.values(0), ctx.values(1), ctx.values(2)];
    const [sc, sa, sb] = [ctx.shape(0), ctx.shape(1), ctx.shape(2)];
    if (!c || !a || !b || !numeric(sc) || !numeric(sa) || !numeric(sb)) return undefined;
    return Array.from({ length: product(out) ?? 0 }, (_, i) => (c[broadcastIndex(out, sc, i)] ? a[broadcastIndex(out, sa, i)]! : b[broadcastIndex(out, sb, i)]!));
  },
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b, int) => (int ? Math.trunc(a / b) : a / b)),
  Mod: binary((a, b) => a - b * Math.floor(a / b)),
  Pow: binary((a, b) => a ** b),
  Max: binary((a, b) => Math.max(a, b)),
  Min: binary((a, b) => Math.min(a, b)),
  Equal: binary((a, b) => bool(a === b)),
  Less: binary((a, b) => bool(a < b)),
  LessOrEqual: binary((a, b) => bool(a <= b)),
  Greater: binary((a, b) => bool(a > b)),
  GreaterOrEqual: binary((a, b) => bool(a >= b)),
  And: binary((a, b) => bool(a !== 0 && b !== 0)),
  Or: binary((a, b) => bool(a !== 0 || b !== 0)),
  Not: unary((a) => bool(a === 0)),
  Neg: unary((a) => -a),
  Abs: unary(Math.abs),
  Ceil: unary(Math.ceil),
  Floor: unary(Math.floor),
  Round: unary((a) => (Math.abs(a % 1) === 0.5 ? 2 * Math.round(a / 2) : Math.round(a))),
  Sqrt: unary(Math.sqrt),
  Sign: unary(Math.sign),
  Relu: unary((a) => Math.max(0, a)),
  ReduceProd: reduce((v) => v.reduce((x, y) => x * y, 1)),
  ReduceSum: reduce((v) => v.reduce((x, y) => x + y, 0)),
  ReduceMax: reduce((v) => maxOf(v)),
  ReduceMin: reduce((v) => minOf(v)),
};

/** Adds values to output 0 when the op is covered, its output is small and its inputs' values are known. */
export function propagateValues(ctx: RuleContext, outputs: OutputInfo[]): OutputInfo[] {
  const first = outputs[0];
  if (!first?.type?.shape || first.values || ctx.node.domain !== '') return outputs;
  const shape = first.type.shape;
  const count = product(shape);
  if (count === undefined || count > MAX_KNOWN_VALUES) return outputs;
  const compute = COMPUTE[ctx.node.opType];
  if (!compute) return outputs;
  const values = compute(ctx, shape as number[]);
  if (!values || values.length !== count || values.some((v) => !Number.isFinite(v))) return outputs;
  return [{ ...first, values }, ...outputs.slice(1)];
}
