/**
 * Turns a rule's arithmetic (MACs, FLOPs) into a full OpCost: bytes of weights, activations in and
 * out, parameters, precision and confidence. Rules describe only what differs from the default.
 */
import { BITS_PER_ELEMENT, type Node } from '../graph/ir';
import { precisionOf } from './precision';
import type { CostContext } from './context';
import type { OpCost, Precision } from './types';

export interface Arithmetic {
  readonly macs?: number;
  readonly elementwise?: number;
  readonly transcendental?: number;
  readonly gemm?: OpCost['gemm'];
  readonly precision?: Precision;
  /** Reasons some arithmetic could not be counted (shape unknown...): makes the cost 'partial'. */
  readonly missing?: readonly string[];
  /** Explanations that do not lower confidence. */
  readonly notes?: readonly string[];
}

/** How one input's bytes are counted when the default (whole tensor, once) is wrong. */
export interface InputOverride {
  readonly bytes: number;
  readonly kind: 'weights' | 'inputs';
  readonly params?: number;
}

export interface ByteOptions {
  /** The op only changes metadata (Reshape, Squeeze...): no bytes move. */
  readonly metadataOnly?: boolean;
  /** Inputs read as small control tensors (shapes, axes, indices of Slice): no bytes, no params. */
  readonly controlInputs?: readonly number[];
  /** Per input index, bytes counted differently (a Gather reads only the rows it picks). */
  readonly overrides?: ReadonlyMap<number, InputOverride>;
  /** Parameters counted by the rule instead of the constant inputs' elements (packed int4 weights). */
  readonly params?: number;
}

/**
 * Precision of a node: its first floating-point input (conditions, indices and shapes are not what the
 * op computes on), else its first input or output with a known type; fp32 when none is known.
 */
export function nodePrecision(node: Node, ctx: CostContext): Precision {
  let fallback: Precision | undefined;
  for (const name of node.inputs) {
    if (!name) continue;
    const p = precisionOf(ctx.dataType(name));
    if (p && FLOAT_PRECISIONS.has(p)) return p;
    fallback ??= p;
  }
  if (fallback) return fallback;
  for (const name of node.outputs) {
    if (!name) continue;
    const p = precisionOf(ctx.dataType(name));
    if (p) return p;
  }
  return 'fp32';
}

const FLOAT_PRECISIONS: ReadonlySet<Precision> = new Set(['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8']);

/** Bytes of a value from its resolved shape and type; undefined when either is unknown. */
export function valueBytes(ctx: CostContext, name: string): number | undefined {
  const constant = ctx.constant(name);
  if (constant) return constant.byteLength;
  const shape = ctx.numericShape(name);
  const type = ctx.dataType(name);
  if (!shape || !type) return undefined;
  let n = 1;
  for (const d of shape) n *= d;
  return Math.ceil((n * BITS_PER_ELEMENT[type]) / 8);
}

/** Elements of a value's resolved shape; undefined when unknown. */
export function valueElements(ctx: CostContext, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const shape = ctx.numericShape(name);
  if (!shape) return undefined;
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Parameters a constant contributes: int64 constants are shapes, axes and indices, not weights. */
function paramElements(ctx: CostContext, name: string): number {
  const c = ctx.constant(name);
  if (!c || c.dataType === 'int64') return 0;
  let n = 1;
  for (const d of c.dims) n *= d;
  return n;
}

export function assembleCost(node: Node, ctx: CostContext, arith: Arithmetic, options: ByteOptions = {}): OpCost {
  // Hot path (every node): no allocation beyond the result unless something is missing.
  let missing: string[] | undefined = arith.missing && arith.missing.length > 0 ? [...arith.missing] : undefined;
  let weights = 0;
  let inputs = 0;
  let outputs = 0;
  let params = 0;
  if (!options.metadataOnly) {
    const inputNames = node.inputs;
    for (let i = 0; i < inputNames.length; i++) {
      const name = inputNames[i]!;
      if (!name || options.controlInputs?.includes(i)) continue;
      const override = options.overrides?.get(i);
      if (override) {
        if (override.kind === 'weights') weights += override.bytes;
        else inputs += override.bytes;
        params += override.params ?? 0;
        continue;
      }
      const bytes = valueBytes(ctx, name);
      if (bytes === undefined) {
        (missing ??= []).push(`bytes of input '${name}' unknown (shape not inferred)`);
      } else if (ctx.constant(name)) {
        weights += bytes;
        params += paramElements(ctx, name);
      } else {
        inputs += bytes;
      }
    }
    for (const name of node.outputs) {
      if (!name) continue;
      const bytes = valueBytes(ctx, name);
      if (bytes === undefined) (missing ??= []).push(`bytes of output '${name}' unknown (shape not inferred)`);
      else outputs += bytes;
    }
  }
  const macs = arith.macs ?? 0;
  const cost: Mutable<OpCost> = {
    macs,
    flops: { mac: 2 * macs, elementwise: arith.elementwise ?? 0, transcendental: arith.transcendental ?? 0 },
    params: options.params ?? params,
    bytes: { weights, inputs, outputs },
    precision: arith.precision ?? nodePrecision(node, ctx),
    confidence: missing ? 'partial' : 'exact',
  };
  const notes = missing ? (arith.notes ? [...missing, ...arith.notes] : missing) : arith.notes;
  if (notes && notes.length > 0) cost.note = notes.join('; ');
  if (arith.gemm) cost.gemm = arith.gemm;
  return cost;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Missing-shape message for a rule that cannot count its arithmetic. */
export function shapeUnknown(node: Node, what: string): string {
  return `${node.opType} arithmetic not counted: ${what} unknown`;
}

/**
 * A constant table read only in part (embedding rows picked by a Gather): bytes are the rows read,
 * capped at the whole table; parameters are the whole table.
 */
export function tableReadOverride(ctx: CostContext, table: string, rowsRead: number): InputOverride | undefined {
  const c = ctx.constant(table);
  if (!c || c.dims.length === 0) return undefined;
  let elements = 1;
  for (const d of c.dims) elements *= d;
  const rowBytes = c.byteLength / c.dims[0]!;
  return { kind: 'weights', bytes: Math.min(c.byteLength, rowsRead * rowBytes), params: c.dataType === 'int64' ? 0 : elements };
}

/**
 * Dims of a value known statically: its inferred shape, else its constant's dims, else (through a
 * DequantizeLinear or Cast of a constant) the source constant's dims.
 */
export function staticDims(ctx: CostContext, name: string | undefined): readonly number[] | undefined {
  if (!name) return undefined;
  const shape = ctx.numericShape(name) ?? ctx.constant(name)?.dims;
  if (shape) return shape;
  const producer = ctx.producer(name);
  if (producer && (producer.opType === 'DequantizeLinear' || producer.opType === 'Cast') && producer.inputs[0]) {
    return ctx.constant(producer.inputs[0])?.dims;
  }
  return undefined;
}
