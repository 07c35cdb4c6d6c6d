/**
 * Attention operators: com.microsoft Attention (with its fused QKV projection), MultiHeadAttention,
 * DecoderMaskedMultiHeadAttention, GroupQueryAttention, and ai.onnx Attention (opset 23). Each costs
 * the QKᵀ and softmax·V products plus scaling, masking and softmax.
 */
import type { Node } from '../../graph/ir';
import { assembleCost, type ByteOptions, shapeUnknown } from '../assemble';
import { precisionOf } from '../precision';
import { type CostContext, inputAt, intAttr, intsAttr } from '../context';
import { type AttentionSpec, attentionCoreFlops, attentionCoreMacs } from '../formulas';
import type { OpCost } from '../types';

function coreCost(node: Node, ctx: CostContext, spec: AttentionSpec, extra: {
  projectionMacs?: number; projectionK?: number; projectionN?: number; elementwise?: number; masked: boolean; notes?: string[];
}, byteOptions?: ByteOptions): OpCost {
  const core = attentionCoreFlops(spec, extra.masked);
  const coreMacs = attentionCoreMacs(spec);
  const projection = extra.projectionMacs ?? 0;
  const rows = spec.batch * spec.seqQ;
  return assembleCost(node, ctx, {
    macs: projection + coreMacs,
    elementwise: core.elementwise + (extra.elementwise ?? 0),
    transcendental: core.transcendental,
    // The dominant product for the tiling model: the projection when fused, else the score product.
    gemm: projection > 0 && extra.projectionK && extra.projectionN
      ? { m: rows, n: extra.projectionN, k: extra.projectionK, batch: 1 }
      : { m: spec.seqQ, n: spec.seqKv, k: spec.headSize, batch: spec.batch * spec.numHeads },
    notes: [
      `${spec.numHeads} heads, head size ${spec.headSize}, ${spec.seqQ} queries over ${spec.seqKv} keys`,
      ...(extra.notes ?? []),
    ],
  }, byteOptions);
}

/** Past sequence length from a past key/value tensor [B, N, P, H] (or [2, B, N, P, H]). */
function pastLength(ctx: CostContext, name: string | undefined, packedKv = false): number {
  const s = name ? ctx.numericShape(name) : undefined;
  if (!s) return 0;
  return (packedKv ? s[3] : s[2]) ?? 0;
}

/** com.microsoft Attention: input·W (QKV projection, weights [in, q+k+v]) then attention. */
export const msAttentionRule = (node: Node, ctx: CostContext): OpCost => fusedProjectionAttention(node, ctx, 4);

/** com.microsoft QAttention: Attention with an int8 projection (past state is input 8). */
export const qAttentionRule = (node: Node, ctx: CostContext): OpCost => ({
  ...fusedProjectionAttention(node, ctx, 8),
  precision: precisionOf(ctx.dataType(inputAt(node, 0) ?? '')) ?? 'int8',
});

function fusedProjectionAttention(node: Node, ctx: CostContext, pastIndex: number): OpCost {
  const x = ctx.numericShape(node.inputs[0] ?? '');
  const w = ctx.numericShape(node.inputs[1] ?? '') ?? ctx.constant(node.inputs[1] ?? '')?.dims;
  const heads = intAttr(node, 'num_heads', 0);
  if (!x || x.length !== 3 || !w || w.length !== 2 || heads <= 0) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input/weight shape or num_heads')] });
  }
  const [batch, seq, inHidden] = x as [number, number, number];
  const total = w[1]!;
  const sizes = intsAttr(node, 'qkv_hidden_sizes') ?? [total / 3, total / 3, total / 3];
  const [q, , v] = sizes as [number, number, number];
  const past = pastLength(ctx, inputAt(node, pastIndex), true);
  const spec: AttentionSpec = { batch, numHeads: heads, seqQ: seq, seqKv: past + seq, headSize: q / heads, vHeadSize: v / heads };
  return coreCost(node, ctx, spec, {
    projectionMacs: batch * seq * inHidden * total, projectionK: inHidden, projectionN: total,
    elementwise: inputAt(node, 2) ? batch * seq * total : 0,
    // Attention: mask_index (3) or attention_bias (5); QAttention: mask_index (5).
    masked: pastIndex === 4 ? inputAt(node, 3) !== undefined || inputAt(node, 5) !== undefined : inputAt(node, 5) !== undefined,
  });
}

/** com.microsoft MultiHeadAttention (projections done outside) and DecoderMaskedMultiHeadAttention. */
export const msMultiHeadAttentionRule = (node: Node, ctx: CostContext): OpCost => {
  const q = ctx.numericShape(node.inputs[0] ?? '');
  const heads = intAttr(node, 'num_heads', 0);
  if (!q || heads <= 0) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'query shape or num_heads')] });
  const batch = q[0]!;
  const seqQ = q[1]!;
  const k = inputAt(node, 1) ? ctx.numericShape(node.inputs[1]!) : undefined;
  const v = inputAt(node, 2) ? ctx.numericShape(node.inputs[2]!) : undefined;
  let headSize: number;
  let seqKv: number;
  let vHeadSize: number | undefined;
  if (q.length === 5) {
    // Packed QKV [B, S, N, 3, H].
    headSize = q[4]!;
    seqKv = seqQ;
  } else if (q.length === 3) {
    headSize = q[2]! / heads;
    if (inputAt(node, 1) && !k) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'key shape')] });
    if (!k) seqKv = seqQ;
    else if (k.length === 3) seqKv = k[1]!;
    else if (k.length === 4) seqKv = k[2]!;
    else seqKv = k[1]!; // packed KV [B, L, N, 2, H]
    if (v?.length === 3) vHeadSize = v[2]! / heads;
    else if (v?.length === 4) vHeadSize = v[3]!;
  } else {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, `query of rank ${q.length}`)] });
  }
  // A 3-D key holds only the new tokens: past keys (input 6) add to the length attended over.
  const keyIsNew = !k || k.length === 3 || k.length === 5;
  const past = keyIsNew ? pastLength(ctx, inputAt(node, 6)) : 0;
  const spec: AttentionSpec = { batch, numHeads: heads, seqQ, seqKv: seqKv + past, headSize, ...(vHeadSize ? { vHeadSize } : {}) };
  const bias = inputAt(node, 3) ? batch * seqQ * heads * headSize * 3 : 0;
  return coreCost(node, ctx, spec, { elementwise: bias, masked: inputAt(node, 4) !== undefined || inputAt(node, 5) !== undefined });
};

/** com.microsoft GroupQueryAttention: N query heads share kv_num_heads key/value heads. */
export const groupQueryAttentionRule = (node: Node, ctx: CostContext): OpCost => {
  const q = ctx.numericShape(node.inputs[0] ?? '');
  const heads = intAttr(node, 'num_heads', 0);
  const kvHeads = intAttr(node, 'kv_num_heads', 0);
  if (!q || q.length !== 3 || heads <= 0 || kvHeads <= 0) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'query shape or head counts')] }, { controlInputs: [5, 6] });
  }
  const [batch, seq, width] = q as [number, number, number];
  const packed = !inputAt(node, 1);
  const headSize = packed ? width / (heads + 2 * kvHeads) : width / heads;
  const totalKnown = ctx.knownValues(inputAt(node, 6) ?? '')?.[0];
  const pastShape = inputAt(node, 3) ? ctx.numericShape(node.inputs[3]!) : undefined;
  const total = totalKnown ?? (pastShape ? (pastShape[2] ?? 0) + seq : seq);
  const notes = totalKnown === undefined && pastShape ? ['total length taken as past buffer + new tokens'] : [];
  const spec: AttentionSpec = { batch, numHeads: heads, seqQ: seq, seqKv: total, headSize };
  const rotary = intAttr(node, 'do_rotary', 0) === 1 ? 3 * batch * seq * (heads + kvHeads) * headSize : 0;
  // seqlens_k and total_sequence_length are control scalars.
  return coreCost(node, ctx, spec, { elementwise: rotary, masked: true, notes }, { controlInputs: [5, 6] });
};

/** ai.onnx Attention (opset 23): Q, K, V as [B, heads, S, H] or [B, S, heads·H]. */
export const onnxAttentionRule = (node: Node, ctx: CostContext): OpCost => {
  const q = ctx.numericShape(node.inputs[0] ?? '');
  const k = ctx.numericShape(node.inputs[1] ?? '');
  const v = ctx.numericShape(node.inputs[2] ?? '');
  if (!q || !k || !v) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'Q, K or V shape')] });
  let spec: AttentionSpec;
  const past = pastLength(ctx, inputAt(node, 4));
  if (q.length === 4) {
    spec = { batch: q[0]!, numHeads: q[1]!, seqQ: q[2]!, seqKv: k[2]! + past, headSize: q[3]!, vHeadSize: v[3]! };
  } else {
    const heads = intAttr(node, 'q_num_heads', 0);
    const kvHeads = intAttr(node, 'kv_num_heads', heads);
    if (heads <= 0) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'q_num_heads')] });
    spec = { batch: q[0]!, numHeads: heads, seqQ: q[1]!, seqKv: k[1]! + past, headSize: q[2]! / heads, vHeadSize: v[2]! / kvHeads };
  }
  return coreCost(node, ctx, spec, { masked: inputAt(node, 3) !== undefined || intAttr(node, 'is_causal', 0) === 1 });
};

/** RotaryEmbedding: per rotated element two multiplies and an add. */
export const rotaryEmbeddingRule = (node: Node, ctx: CostContext): OpCost => {
  const shape = ctx.numericShape(node.inputs[0] ?? '');
  if (!shape) return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'input shape')] }, { controlInputs: [1] });
  let n = 1;
  for (const d of shape) n *= d;
  return assembleCost(node, ctx, { elementwise: 3 * n }, { controlInputs: [1] });
};
