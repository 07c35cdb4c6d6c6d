/** The contract between the shape-inference driver and the per-op shape rules. */
import type { DataType, Dim, Graph, Node, TensorType } from '../ir';

export type Shape = readonly Dim[];

/** What a rule says about one output: its type, its values when computable, or why it is unknown. */
export interface OutputInfo {
  readonly type?: TensorType;
  readonly values?: readonly number[];
  readonly reason?: string;
}

export interface RuleContext {
  readonly node: Node;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** True when input `i` is present (not omitted with ''). */
  has(i: number): boolean;
  type(i: number): TensorType | undefined;
  shape(i: number): Shape | undefined;
  dtype(i: number): DataType | undefined;
  /** Values of input `i` when known (small constants, propagated shape arithmetic). */
  values(i: number): readonly number[] | undefined;
  int(name: string): number | undefined;
  ints(name: string): readonly number[] | undefined;
  float(name: string): number | undefined;
  floats(name: string): readonly number[] | undefined;
  string(name: string): string | undefined;
  graph(name: string): Graph | undefined;
  /** A tensor-valued attribute's type and (small) values. */
  tensorAttr(name: string): { type: TensorType; values?: readonly number[] } | undefined;
  /** Infers a subgraph's values given its formal input types; returns its output types. */
  inferSubgraph(graph: Graph, inputTypes: readonly (TensorType | undefined)[]): (TensorType | undefined)[];
}

export type ShapeRule = (ctx: RuleContext) => OutputInfo[];

export type RuleTable = Record<string, ShapeRule>;

export function tensor(dataType: DataType | undefined, shape: Shape | undefined, values?: readonly number[]): OutputInfo {
  if (!dataType) return { reason: 'input type unknown' };
  return shape ? { type: { dataType, shape }, values } : { type: { dataType } };
}

export function unknown(reason: string): OutputInfo {
  return { reason };
}

/** Normalizes a possibly negative axis; throws when out of range (the driver reports it). */
export function axis(value: number, rank: number): number {
  const a = value < 0 ? value + rank : value;
  if (a < 0 || a >= rank) throw new Error(`axis ${value} out of range for rank ${rank}`);
  return a;
}

/** Attribute ints, or the values of input `i` (operators moved attributes to inputs over opsets). */
export function intsFromInputOrAttr(ctx: RuleContext, i: number, name: string): readonly number[] | undefined {
  if (ctx.has(i)) return ctx.values(i);
  return ctx.ints(name);
}

export function product(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** The same type as input 0 for every output (activations, normalizations...). */
export function sameAsInput(ctx: RuleContext, outputs = 1): OutputInfo[] {
  const t = ctx.type(0);
  return Array.from({ length: outputs }, () => (t ? { type: t } : unknown('input type unknown')));
}

/** Ranks above this are not real tensors: a hostile file must not make a rule allocate from a dim. */
export const MAX_TENSOR_RANK = 64;

/** A shape of `rank` unknown dims, when the rank is known and plausible. */
export function unknownDims(rank: Dim | undefined): Dim[] | undefined {
  return typeof rank === 'number' && rank >= 0 && rank <= MAX_TENSOR_RANK ? new Array<Dim>(rank).fill(undefined) : undefined;
}
