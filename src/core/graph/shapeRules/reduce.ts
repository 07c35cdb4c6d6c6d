/** Reductions (Reduce*, ArgMax/ArgMin) and TopK. */
import type { Dim } from '../ir';
import { axis, type OutputInfo, type RuleContext, type RuleTable, tensor, unknown } from './ruleTypes';

const REDUCE = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

function reduce(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const keep = (ctx.int('keepdims') ?? 1) === 1;
  let axes: readonly number[] | undefined;
  if (ctx.has(1)) {
    axes = ctx.values(1);
    if (!axes) return [tensor(ctx.dtype(0), keep ? x.map(() => undefined) : undefined)];
  } else axes = ctx.ints('axes');
  if (!axes || axes.length === 0) {
    if (ctx.int('noop_with_empty_axes') === 1) return [tensor(ctx.dtype(0), x)];
    axes = x.map((_, i) => i);
  }
  const set = new Set(axes.map((a) => axis(a, x.length)));
  const out: Dim[] = [];
  x.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return [tensor(ctx.dtype(0), out)];
}

function argReduce(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const a = axis(ctx.int('axis') ?? 0, x.length);
  const keep = (ctx.int('keepdims') ?? 1) === 1;
  return [tensor('int64', keep ? x.map((d, i) => (i === a ? 1 : d)) : x.filter((_, i) => i !== a))];
}

export const reduceRules: RuleTable = {
  ArgMax: argReduce,
  ArgMin: argReduce,
  TopK: (ctx) => {
    const x = ctx.shape(0);
    if (!x) return [unknown('input shape unknown'), unknown('input shape unknown')];
    const a = axis(ctx.int('axis') ?? -1, x.length);
    const k = ctx.opset < 10 ? ctx.int('k') : ctx.values(1)?.[0];
    const shape = x.map((d, i) => (i === a ? k : d));
    return [tensor(ctx.dtype(0), shape), tensor('int64', shape)];
  },
};
for (const op of REDUCE) reduceRules[op] = reduce;
