/** Matrix products: MatMul (batched, broadcast), Gemm, Einsum, and their quantized/contrib forms. */
import type { DataType, Dim } from '../ir';
import { broadcastDim, broadcastShapes } from './broadcast';
import { type OutputInfo, type RuleContext, type RuleTable, type Shape, tensor, unknown } from './ruleTypes';

export function matmulShape(a: Shape, b: Shape, transA = false, transB = false): Shape {
  if (a.length === 0 || b.length === 0) throw new Error('MatMul of a scalar');
  let left = a.length === 1 ? [1, a[0]] : [...a];
  let right = b.length === 1 ? [b[0], 1] : [...b];
  if (transA) left = [...left.slice(0, -2), left.at(-1), left.at(-2)];
  if (transB) right = [...right.slice(0, -2), right.at(-1), right.at(-2)];
  broadcastDim(left.at(-1), right.at(-2)); // inner dimensions must agree
  const batch = broadcastShapes([left.slice(0, -2), right.slice(0, -2)]);
  const out: Dim[] = [...batch];
  if (a.length !== 1) out.push(left.at(-2));
  if (b.length !== 1) out.push(right.at(-1));
  return out;
}

function matmul(ctx: RuleContext, ai: number, bi: number, dtype: DataType | undefined, transA = false, transB = false): OutputInfo[] {
  const a = ctx.shape(ai);
  const b = ctx.shape(bi);
  if (!a || !b) return [unknown('input shape unknown')];
  return [tensor(dtype, matmulShape(a, b, transA, transB))];
}

function gemm(ctx: RuleContext, ai: number, bi: number, dtype: DataType | undefined): OutputInfo[] {
  const a = ctx.shape(ai);
  const b = ctx.shape(bi);
  if (!a || !b) return [unknown('input shape unknown')];
  const m = ctx.int('transA') ? a[1] : a[0];
  const n = ctx.int('transB') ? b[0] : b[1];
  return [tensor(dtype, [m, n])];
}

/** Einsum output shape from its equation (explicit or implicit output, with ellipsis). */
export function einsumShape(equation: string, shapes: readonly Shape[]): Shape {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) throw new Error(`einsum equation has ${terms.length} operands, got ${shapes.length}`);
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: Shape = [];
  terms.forEach((term, t) => {
    const shape = shapes[t]!;
    const [before, after] = term.includes('...') ? term.split('...') as [string, string] : [term, undefined];
    const ellRank = after === undefined ? 0 : shape.length - before.length - after.length;
    if (after !== undefined) ellipsis = broadcastShapes([ellipsis, shape.slice(before.length, before.length + ellRank)]);
    const letters = after === undefined ? before : before + after;
    [...letters].forEach((c, k) => {
      const d = shape[k < before.length ? k : k + ellRank];
      sizes.set(c, sizes.has(c) ? broadcastDim(sizes.get(c), d) : d);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    });
  });
  const output = rhs ?? `...${[...counts.keys()].filter((c) => counts.get(c) === 1).sort().join('')}`;
  const [before, after] = output.includes('...') ? output.split('...') as [string, string] : [output, undefined];
  const dims = (s: string): Dim[] => [...s].map((c) => sizes.get(c));
  return after === undefined ? dims(before) : [...dims(before), ...ellipsis, ...dims(after)];
}

export const linearRules: RuleTable = {
  MatMul: (ctx) => matmul(ctx, 0, 1, ctx.dtype(0)),
  MatMulInteger: (ctx) => matmul(ctx, 0, 1, 'int32'),
  QLinearMatMul: (ctx) => matmul(ctx, 0, 3, ctx.dtype(7)),
  Gemm: (ctx) => gemm(ctx, 0, 1, ctx.dtype(0)),
  'com.microsoft:QGemm': (ctx) => gemm(ctx, 0, 3, ctx.has(8) ? ctx.dtype(8) : 'float32'),
  'com.microsoft:FusedGemm': (ctx) => gemm(ctx, 0, 1, ctx.dtype(0)),
  'com.microsoft:FusedMatMul': (ctx) => matmul(ctx, 0, 1, ctx.dtype(0), ctx.int('transA') === 1, ctx.int('transB') === 1),
  'com.microsoft:TransposeMatMul': (ctx) => matmul(ctx, 0, 1, ctx.dtype(0), ctx.int('transA') === 1, ctx.int('transB') === 1),
  'com.microsoft:MatMulIntegerToFloat': (ctx) => matmul(ctx, 0, 1, ctx.dtype(2)),
  'com.microsoft:DynamicQuantizeMatMul': (ctx) => matmul(ctx, 0, 1, ctx.dtype(0)),
  'com.microsoft:MatMulFpQ4': (ctx) => {
    const a = ctx.shape(0);
    const shape = ctx.values(2);
    if (!a || !shape) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), [...a.slice(0, -1), shape.at(-1)])];
  },
  'com.microsoft:MatMulNBits': (ctx) => {
    const a = ctx.shape(0);
    if (!a) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), [...a.slice(0, -1), ctx.int('N')])];
  },
  'com.microsoft:MatMulBnb4': (ctx) => {
    const a = ctx.shape(0);
    if (!a) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), [...a.slice(0, -1), ctx.int('N')])];
  },
  Einsum: (ctx) => {
    const equation = ctx.string('equation');
    const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i));
    if (!equation) return [unknown('Einsum without an equation')];
    if (shapes.some((s) => !s)) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), einsumShape(equation, shapes as Shape[]))];
  },
};
