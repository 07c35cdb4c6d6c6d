/** Normalizations (batch, layer, instance, group, RMS; com.microsoft skip/embed variants). */
import type { Dim } from '../ir';
import { axis, type OutputInfo, type RuleContext, type RuleTable, sameAsInput, tensor, unknown } from './ruleTypes';

/** LayerNormalization: Y like X; Mean and InvStdDev keep the leading dims and 1 for normalized ones. */
function layerNorm(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const a = axis(ctx.int('axis') ?? -1, x.length);
  const stats = x.map((d, i) => (i < a ? d : 1));
  return [tensor(ctx.dtype(0), x), tensor('float32', stats), tensor('float32', stats)].slice(0, ctx.node.outputs.length);
}

function skipLayerNorm(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const stats: Dim[] = [...x.slice(0, -1), 1];
  return [tensor(ctx.dtype(0), x), tensor('float32', stats), tensor('float32', stats), tensor(ctx.dtype(0), x)].slice(0, ctx.node.outputs.length);
}

export const normalizationRules: RuleTable = {
  BatchNormalization: (ctx) => {
    const x = ctx.shape(0);
    const channels = ctx.shape(1);
    const outs = [tensor(ctx.dtype(0), x)];
    for (let i = 1; i < ctx.node.outputs.length; i++) outs.push(tensor(ctx.dtype(1) ?? ctx.dtype(0), channels ?? [x?.[1]]));
    return outs;
  },
  LayerNormalization: layerNorm,
  SimplifiedLayerNormalization: layerNorm,
  'com.microsoft:SimplifiedLayerNormalization': layerNorm,
  'com.microsoft:LayerNormalization': layerNorm,
  RMSNormalization: (ctx) => sameAsInput(ctx),
  InstanceNormalization: (ctx) => sameAsInput(ctx),
  GroupNormalization: (ctx) => sameAsInput(ctx),
  'com.microsoft:GroupNorm': (ctx) => sameAsInput(ctx),
  LRN: (ctx) => sameAsInput(ctx),
  'com.microsoft:SkipLayerNormalization': skipLayerNorm,
  'com.microsoft:SkipSimplifiedLayerNormalization': skipLayerNorm,
  'com.microsoft:EmbedLayerNormalization': (ctx) => {
    const ids = ctx.shape(0);
    const words = ctx.shape(2);
    if (!ids) return ctx.node.outputs.map(() => unknown('input shape unknown'));
    const out = [tensor(ctx.dtype(2) ?? 'float32', [ids[0], ids[1], words?.[1]]), tensor('int32', [ids[0]])];
    if (ctx.node.outputs.length > 2) out.push(tensor(ctx.dtype(2) ?? 'float32', [ids[0], ids[1], words?.[1]]));
    return out;
  },
};
