/** com.microsoft contrib operators common in exported transformers (onnxruntime's fusions). */
import type { Dim } from '../ir';
import { broadcastShapes } from './broadcast';
import { type OutputInfo, type RuleContext, type RuleTable, sameAsInput, tensor, unknown } from './ruleTypes';

const div = (a: Dim, b: number): Dim => (typeof a === 'number' && b > 0 ? a / b : undefined);
const add = (a: Dim, b: Dim): Dim => (typeof a === 'number' && typeof b === 'number' ? a + b : undefined);

/** Attention: packed QKV projection inside; present = [2, B, heads, past + S, head size]. */
function attention(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const sizes = ctx.ints('qkv_hidden_sizes');
  const heads = ctx.int('num_heads') ?? 1;
  const vHidden: Dim = sizes ? sizes[2] : div(w?.[1], 3);
  const past = ctx.has(4) ? ctx.shape(4) : undefined;
  const total = add(past?.[3] ?? 0, x[1]);
  const outs = [tensor(ctx.dtype(0), [x[0], x[1], vHidden])];
  if (ctx.node.outputs.length > 1) outs.push(tensor(ctx.dtype(0), [2, x[0], heads, total, div(vHidden, heads)]));
  return outs;
}

function multiHeadAttention(ctx: RuleContext): OutputInfo[] {
  const q = ctx.shape(0);
  if (!q) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const heads = ctx.int('num_heads') ?? 1;
  const v = ctx.has(2) ? ctx.shape(2) : undefined;
  let vHidden: Dim;
  if (q.length === 5) vHidden = typeof q[2] === 'number' && typeof q[4] === 'number' ? q[2] * q[4] : undefined; // packed QKV
  else if (!v) vHidden = q[2];
  else vHidden = v.length === 3 ? v[2] : typeof v[3] === 'number' ? heads * v[3] : undefined;
  const outs = [tensor(ctx.dtype(0), [q[0], q[1], vHidden])];
  const k = ctx.has(1) ? ctx.shape(1) : undefined;
  const pastKey = ctx.has(6) ? ctx.shape(6) : undefined;
  const kvLength = k ? (k.length === 4 ? k[2] : k[1]) : q[1];
  const total = add(pastKey?.[2] ?? 0, kvLength);
  const headSize = div(vHidden, heads);
  while (outs.length < ctx.node.outputs.length) outs.push(tensor(ctx.dtype(0), [q[0], heads, total, headSize]));
  return outs;
}

function groupQueryAttention(ctx: RuleContext): OutputInfo[] {
  const q = ctx.shape(0);
  if (!q) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const heads = ctx.int('num_heads') ?? 1;
  const kvHeads = ctx.int('kv_num_heads') ?? heads;
  const packed = !ctx.has(1);
  const headSize = div(q[2], packed ? heads + 2 * kvHeads : heads);
  const outs = [tensor(ctx.dtype(0), [q[0], q[1], typeof headSize === 'number' ? headSize * heads : undefined])];
  const past = ctx.has(3) ? ctx.shape(3) : undefined;
  const presentLength = past ? past[2] : q[1]; // onnxruntime keeps a shared buffer of the past's length
  while (outs.length < ctx.node.outputs.length) outs.push(tensor(ctx.dtype(0), [q[0], kvHeads, presentLength, headSize]));
  return outs;
}

export const microsoftRules: RuleTable = {
  'com.microsoft:Attention': attention,
  'com.microsoft:MultiHeadAttention': multiHeadAttention,
  'com.microsoft:DecoderMaskedMultiHeadAttention': multiHeadAttention,
  'com.microsoft:GroupQueryAttention': groupQueryAttention,
  'com.microsoft:RotaryEmbedding': (ctx) => sameAsInput(ctx),
  'com.microsoft:Gelu': (ctx) => sameAsInput(ctx),
  'com.microsoft:FastGelu': (ctx) => sameAsInput(ctx),
  'com.microsoft:QuickGelu': (ctx) => sameAsInput(ctx),
  'com.microsoft:BiasGelu': (ctx) => sameAsInput(ctx),
  'com.microsoft:BiasDropout': (ctx) => sameAsInput(ctx, ctx.node.outputs.length),
  'com.microsoft:BiasSoftmax': (ctx) => sameAsInput(ctx),
  'com.microsoft:BiasAdd': (ctx) => sameAsInput(ctx),
  'com.microsoft:Trilu': (ctx) => sameAsInput(ctx),
  'com.microsoft:BiasSplitGelu': (ctx) => {
    const x = ctx.shape(0);
    return [x ? tensor(ctx.dtype(0), [...x.slice(0, -1), div(x.at(-1), 2)]) : unknown('input shape unknown')];
  },
  'com.microsoft:FusedMatMulActivation': (ctx) => sameAsInput(ctx),
  'com.microsoft:GatherBlockQuantized': (ctx) => {
    const data = ctx.shape(0);
    const indices = ctx.shape(1);
    if (!data || !indices) return [unknown('input shape unknown')];
    const bits = ctx.int('bits') ?? 4;
    const last = data.at(-1);
    const unpacked = ctx.dtype(0) === 'uint8' && typeof last === 'number' ? (last * 8) / bits : last;
    return [tensor(ctx.dtype(2) ?? 'float32', [...indices, ...data.slice(1, -1), unpacked])];
  },
  'com.microsoft:Inverse': (ctx) => sameAsInput(ctx),
  'com.microsoft:Sampling': () => [unknown('generated length is data-dependent')],
  'com.microsoft:AddBiasAdd': (ctx) => {
    const shapes = [0, 1, 2].map((i) => ctx.shape(i));
    return [shapes.every(Boolean) ? tensor(ctx.dtype(0), broadcastShapes(shapes as Dim[][])) : unknown('input shape unknown')];
  },
};
