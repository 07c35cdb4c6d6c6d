/** Detection and segmentation heads: Resize/Upsample, RoiAlign, and data-dependent selection ops. */
import type { Dim } from '../ir';
import { axis, type OutputInfo, product, type RuleContext, type RuleTable, tensor, unknown } from './ruleTypes';

const DATA_DEPENDENT = 'data-dependent (depends on tensor values at run time)';

function scaled(x: readonly Dim[], scales: readonly number[], axes: readonly number[]): Dim[] {
  const out = [...x];
  axes.forEach((a, i) => {
    const d = out[a];
    out[a] = typeof d === 'number' ? Math.floor(d * scales[i]! + 1e-6) : undefined;
  });
  return out;
}

function resize(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const axes = (ctx.ints('axes') ?? x.map((_, i) => i)).map((a) => axis(a, x.length));
  const scalesIndex = ctx.opset < 11 ? 1 : 2;
  const scales = ctx.has(scalesIndex) ? ctx.values(scalesIndex) : undefined;
  const sizes = ctx.opset >= 11 && ctx.has(3) ? ctx.values(3) : undefined;
  if (sizes && sizes.length > 0) {
    const policy = ctx.string('keep_aspect_ratio_policy') ?? 'stretch';
    if (policy === 'stretch') {
      const out = [...x];
      axes.forEach((a, i) => { out[a] = sizes[i]; });
      return [tensor(ctx.dtype(0), out)];
    }
    const ratios = axes.map((a, i) => (typeof x[a] === 'number' ? sizes[i]! / (x[a] as number) : NaN));
    const r = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
    const out = [...x];
    axes.forEach((a) => { out[a] = typeof x[a] === 'number' && !Number.isNaN(r) ? Math.round(r * (x[a] as number)) : undefined; });
    return [tensor(ctx.dtype(0), out)];
  }
  if (scales && scales.length > 0) return [tensor(ctx.dtype(0), scaled(x, scales, axes))];
  return [tensor(ctx.dtype(0), x.map((d, i) => (axes.includes(i) ? undefined : d)))];
}

export const detectionRules: RuleTable = {
  Resize: resize,
  Upsample: (ctx) => {
    const x = ctx.shape(0);
    const scales = ctx.opset < 9 ? ctx.floats('scales') : ctx.values(1);
    if (!x) return [unknown('input shape unknown')];
    if (!scales) return [tensor(ctx.dtype(0), x.map(() => undefined))];
    return [tensor(ctx.dtype(0), scaled(x, scales, x.map((_, i) => i)))];
  },
  RoiAlign: (ctx) => {
    const x = ctx.shape(0);
    const rois = ctx.shape(1);
    if (!x || !rois) return [unknown('input shape unknown')];
    return [tensor(ctx.dtype(0), [rois[0], x[1], ctx.int('output_height') ?? 1, ctx.int('output_width') ?? 1])];
  },
  NonMaxSuppression: () => [{ type: { dataType: 'int64', shape: [undefined, 3] }, reason: `selected box count is ${DATA_DEPENDENT}` }],
  NonZero: (ctx) => [{ type: { dataType: 'int64', shape: [ctx.shape(0)?.length, undefined] }, reason: `non-zero count is ${DATA_DEPENDENT}` }],
  Compress: (ctx) => {
    const x = ctx.shape(0);
    const a = ctx.int('axis');
    const condition = ctx.values(1);
    if (x && condition) {
      // A known condition (a constant mask) makes the kept count static.
      const kept = (n: Dim): Dim => (typeof n === 'number' ? condition.slice(0, n).filter((c) => c !== 0).length : undefined);
      if (a === undefined) return [tensor(ctx.dtype(0), [kept(product(x))])];
      const k = axis(a, x.length);
      return [tensor(ctx.dtype(0), x.map((d, i) => (i === k ? kept(d) : d)))];
    }
    const shape = x && a !== undefined ? x.map((d, i) => (i === axis(a, x.length) ? undefined : d)) : [undefined];
    return [{ type: { dataType: ctx.dtype(0) ?? 'float32', shape }, reason: `kept element count is ${DATA_DEPENDENT}` }];
  },
  Unique: (ctx) => ctx.node.outputs.map((_, i) => ({
    type: { dataType: i === 0 ? ctx.dtype(0) ?? 'float32' : 'int64', shape: [undefined] }, reason: `unique count is ${DATA_DEPENDENT}`,
  })),
};

