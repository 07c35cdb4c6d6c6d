/** Attention as a single operator: ai.onnx Attention (opset 23) and com.microsoft QAttention. */
import type { Dim } from '../ir';
import { type OutputInfo, type RuleContext, type RuleTable, sameAsInput, tensor, unknown } from './ruleTypes';

const div = (a: Dim, b: number | undefined): Dim => (typeof a === 'number' && b ? a / b : undefined);
const add = (a: Dim, b: Dim): Dim => (typeof a === 'number' && typeof b === 'number' ? a + b : undefined);
const mul = (a: Dim, b: number | undefined): Dim => (typeof a === 'number' && b ? a * b : undefined);

/** Q/K/V are [B, heads, seq, head] (4-D) or [B, seq, heads x head] (3-D, heads from attributes). */
function onnxAttention(ctx: RuleContext): OutputInfo[] {
  const q = ctx.shape(0);
  const k = ctx.shape(1);
  const v = ctx.shape(2);
  if (!q || !k || !v) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const qHeads = q.length === 4 ? (q[1] as number | undefined) : ctx.int('q_num_heads');
  const kvHeads = k.length === 4 ? (k[1] as number | undefined) : ctx.int('kv_num_heads');
  const vHead = v.length === 4 ? v[3] : div(v[2], kvHeads);
  const kHead = k.length === 4 ? k[3] : div(k[2], kvHeads);
  const kvSeq = k.length === 4 ? k[2] : k[1];
  const past = ctx.has(4) ? ctx.shape(4) : undefined;
  const total = add(past?.[2] ?? 0, kvSeq);
  const y = q.length === 4 ? [q[0], q[1], q[2], vHead] : [q[0], q[1], mul(vHead, qHeads)];
  const qSeq = q.length === 4 ? q[2] : q[1];
  const outs = [tensor(ctx.dtype(0), y), tensor(ctx.dtype(1), [q[0], kvHeads, total, kHead]),
    tensor(ctx.dtype(2), [q[0], kvHeads, total, vHead]), tensor(ctx.dtype(0), [q[0], qHeads, qSeq, total])];
  return outs.slice(0, ctx.node.outputs.length);
}

/** QAttention: int8 input and packed QKV weights, float output [B, S, hidden]. */
function qAttention(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  const hidden = div(w?.[1], 3);
  const heads = ctx.int('num_heads') ?? 1;
  const past = ctx.has(8) ? ctx.shape(8) : undefined;
  const dtype = ctx.dtype(3) ?? 'float32';
  const outs = [tensor(dtype, [x[0], x[1], hidden])];
  if (ctx.node.outputs.length > 1) outs.push(tensor(dtype, [2, x[0], heads, add(past?.[3] ?? 0, x[1]), div(hidden, heads)]));
  return outs;
}

export const attentionRules: RuleTable = {
  Attention: onnxAttention,
  RotaryEmbedding: (ctx) => sameAsInput(ctx),
  'com.microsoft:QAttention': qAttention,
  'com.microsoft:GemmFastGelu': (ctx) => {
    const a = ctx.shape(0);
    const b = ctx.shape(1);
    return [a && b ? tensor(ctx.dtype(0), [...a.slice(0, -1), b.at(-1)]) : unknown('input shape unknown')];
  },
  'com.microsoft:CDist': (ctx) => [tensor(ctx.dtype(0), [ctx.shape(0)?.[0], ctx.shape(1)?.[0]])],
  'com.microsoft:SkipGroupNorm': (ctx) => sameAsInput(ctx, ctx.node.outputs.length),
  'com.microsoft:BeamSearch': (ctx) => ctx.node.outputs.map(() => unknown('generated sequence length is data-dependent')),
  'com.microsoft:GreedySearch': (ctx) => ctx.node.outputs.map(() => unknown('generated sequence length is data-dependent')),
};
