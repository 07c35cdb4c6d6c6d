/**
 * Binds the symbolic dimensions of a graph's inputs (batch, sequence...) to numbers for one
 * analysis: user settings first, else defaults by name, all listed in the result so reports can
 * say what was assumed.
 */
import type { Dim, Graph, TensorType } from './ir';

export interface DimOptions {
  /** Values for named dimensions, e.g. { sequence: 512 }. */
  readonly dims?: Readonly<Record<string, number>>;
  /** Value of batch-like dimensions (default 1). */
  readonly batch?: number;
}

export const DEFAULT_SEQUENCE = 128;
export const DEFAULT_IMAGE_SIDE = 224;

const BATCH = /batch|^n$|^b$|^bs$|^num_images$/i;
const SEQUENCE = /seq|length|len$|token|^s$|^t$|^l$|time|step|past|total|context|position|frames/i;
const SPATIAL = /height|width|^h$|^w$|^img|^image/i;

/** The default for a dimension name: batch-like -> batch (1), sequence-like -> 128, image sides -> 224, else 1. */
export function defaultDimValue(name: string, options: DimOptions = {}): number {
  if (BATCH.test(name)) return options.batch ?? 1;
  if (SEQUENCE.test(name)) return DEFAULT_SEQUENCE;
  if (SPATIAL.test(name)) return DEFAULT_IMAGE_SIDE;
  return 1;
}

/** Name given to an input dimension that has neither a value nor a name in the file. */
export function anonymousDimName(input: string, axis: number): string {
  return `${input}[${axis}]`;
}

export function bindInputDims(graph: Graph, options: DimOptions = {},
  typeOf: (name: string) => TensorType | undefined = (name) => graph.values.get(name)?.type): Map<string, number> {
  const bound = new Map<string, number>();
  const bind = (name: string, axis: number): void => {
    if (bound.has(name)) return;
    const given = options.dims?.[name];
    const value = given ?? (axis === 0 && name.includes('[') ? options.batch ?? 1 : defaultDimValue(name, options));
    bound.set(name, value);
  };
  for (const input of graph.inputs) {
    const shape = typeOf(input)?.shape;
    shape?.forEach((d, axis) => {
      if (typeof d === 'string') bind(d, axis);
      else if (d === undefined) bind(anonymousDimName(input, axis), axis);
    });
  }
  return bound;
}

/** The type with bound names replaced by their values (unbound names become unknown). */
export function substituteDims(type: TensorType | undefined, bound: ReadonlyMap<string, number>, input?: string): TensorType | undefined {
  if (!type?.shape) return type;
  const shape = type.shape.map((d: Dim, axis): Dim => {
    if (typeof d === 'string') return bound.get(d);
    if (d === undefined && input !== undefined) return bound.get(anonymousDimName(input, axis));
    return d;
  });
  return { dataType: type.dataType, shape };
}
