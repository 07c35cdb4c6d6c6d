/**
 * QDQ format: a Conv/MatMul/Gemm whose inputs come from DequantizeLinear of integer tensors runs as
 * one integer kernel in ONNX Runtime. The compute op is costed at the integer precision and reads
 * the integer tensors; the DequantizeLinear nodes themselves move nothing (see dequantizeRule).
 */
import type { Node } from '../../graph/ir';
import { type InputOverride, valueBytes } from '../assemble';
import { precisionOf } from '../precision';
import { type CostContext, inputAt, outputAt } from '../context';
import type { Precision } from '../types';

/** Ops that ONNX Runtime fuses with DequantizeLinear inputs into one integer kernel (QDQ format). */
export const QDQ_COMPUTE_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);

const INTEGER_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4', 'int32']);

/** A DequantizeLinear of an integer tensor whose every reader is a QDQ compute op. */
export function isFusedDequantize(node: Node, ctx: CostContext): boolean {
  if (node.opType !== 'DequantizeLinear' || node.domain !== '' && node.domain !== 'com.microsoft') return false;
  const input = inputAt(node, 0);
  const out = outputAt(node, 0);
  if (!input || !out || !INTEGER_TYPES.has(ctx.dataType(input) ?? '')) return false;
  const readers = ctx.consumers(out);
  return readers.length > 0 && readers.every((r) => r.domain === '' && QDQ_COMPUTE_OPS.has(r.opType));
}

/** Inputs of a compute op that come from fused DequantizeLinear nodes, read at their integer size. */
export function qdqView(node: Node, ctx: CostContext): { overrides: Map<number, InputOverride>; precision?: Precision; note?: string } {
  const overrides = new Map<number, InputOverride>();
  let activationPrecision: Precision | undefined;
  let weightPrecision: Precision | undefined;
  node.inputs.forEach((name, i) => {
    if (!name) return;
    const dq = ctx.producer(name);
    if (!dq || !isFusedDequantize(dq, ctx)) return;
    const source = dq.inputs[0]!;
    const constant = ctx.constant(source);
    const bytes = valueBytes(ctx, source);
    if (bytes === undefined) return;
    let params = 0;
    if (constant) {
      params = 1;
      for (const d of constant.dims) params *= d;
    }
    overrides.set(i, { kind: constant ? 'weights' : 'inputs', bytes, params });
    const p = precisionOf(ctx.dataType(source));
    if (i === 0) activationPrecision = p;
    else if (i === 1) weightPrecision = p;
  });
  if (overrides.size === 0) return { overrides };
  if (activationPrecision) return { overrides, precision: activationPrecision, note: `QDQ: costed at ${activationPrecision}` };
  if (weightPrecision) return { overrides, precision: weightPrecision, note: `QDQ weights only: costed at the weights' ${weightPrecision}` };
  return { overrides };
}

