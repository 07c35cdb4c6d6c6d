/**
 * Binds the symbolic dimensions of a graph's inputs (batch, sequence, image sides...) to numbers for
 * one analysis. Each value comes from, in order: the user (`dims` by name, by `input[axis]`, or by
 * role: H, W, sequence), the model's metadata (image size keys), the dimension's name, the input's
 * layout (N×C×H×W, N×T...), then a documented default that is never 1 for a spatial or sequence
 * dimension. Every value not given by the user is listed as an assumption so reports can say so.
 */
import type { Dim, Graph, TensorType } from './ir';
import { imageSideFromMetadata } from './dimMetadata';

export interface DimOptions {
  /** Values for named dimensions, e.g. { sequence: 512 }, by `input[axis]`, or by role (H, W, sequence). */
  readonly dims?: Readonly<Record<string, number>>;
  /** Value of batch-like dimensions (default 1). */
  readonly batch?: number;
}

export const DEFAULT_SEQUENCE = 128;
/** Image side of classifiers (ImageNet's 224). */
export const DEFAULT_IMAGE_SIDE = 224;
/** Image side of dense-prediction models (detectors, segmenters: an output is an image too). */
export const DEFAULT_DENSE_IMAGE_SIDE = 640;

export type DimRole = 'batch' | 'sequence' | 'height' | 'width' | 'other';
/** Where an assumed value came from. */
export type DimSource = 'metadata' | 'name' | 'layout' | 'default';

/** A symbolic dimension whose value the user did not give. */
export interface AssumedDim {
  /** The dimension's name in the file, or `input[axis]` when it has none. */
  readonly name: string;
  readonly value: number;
  readonly role: DimRole;
  readonly source: DimSource;
  /** The first graph input that uses it, and the axis there. */
  readonly input: string;
  readonly axis: number;
}

/** An open input dimension and its value, wherever the value came from (`user` included). */
export interface OpenDim extends Omit<AssumedDim, 'source'> {
  readonly source: DimSource | 'user';
}

export interface DimResolution {
  readonly bound: Map<string, number>;
  /** Every open input dimension, in input order, with its role and source. */
  readonly open: OpenDim[];
  /** Values not given by the user, batch-like dimensions left out (every report shows the batch). */
  readonly assumed: AssumedDim[];
}

const BATCH = /batch|^n$|^b$|^bs$|^num_images$/i;
const SEQUENCE = /seq|length|len$|token|^s$|^t$|^l$|time|step|past|total|context|position|frames|samples/i;
const HEIGHT = /height|^h$/i;
const WIDTH = /width|^w$/i;
const SPATIAL = /^img|^image/i;

/** Keys a user may give for a role instead of the dimension's own name. */
const ROLE_KEYS: Record<DimRole, readonly string[]> = {
  batch: ['batch'],
  sequence: ['sequence', 'seq', 'S', 'T'],
  height: ['H', 'height', 'side'],
  width: ['W', 'width', 'side'],
  other: [],
};

function roleByName(name: string): DimRole | undefined {
  if (BATCH.test(name)) return 'batch';
  if (HEIGHT.test(name)) return 'height';
  if (WIDTH.test(name)) return 'width';
  if (SEQUENCE.test(name)) return 'sequence';
  if (SPATIAL.test(name)) return 'height';
  return undefined;
}

const small = (d: Dim): boolean => typeof d === 'number' && d <= 4;

/** The role of an axis from the input's rank and its fixed dims: N×C×H×W, N×H×W×C, N×C×L, N×T×F, N×T. */
function roleByLayout(type: TensorType, axis: number): DimRole {
  const shape = type.shape ?? [];
  const rank = shape.length;
  if (axis === 0 && rank >= 2) return 'batch';
  if (rank === 4) {
    const channelsLast = small(shape[3]) && !small(shape[1]);
    const [h, w] = channelsLast ? [1, 2] : [2, 3];
    if (axis === h) return 'height';
    if (axis === w) return 'width';
    return 'other';
  }
  if (rank === 3) return axis === (typeof shape[1] === 'number' ? 2 : 1) ? 'sequence' : 'other';
  if (rank === 2) return 'sequence';
  return 'other';
}

/** The default for a dimension name: batch-like -> batch (1), sequence-like -> 128, image sides -> 224, else 1. */
export function defaultDimValue(name: string, options: DimOptions = {}): number {
  const role = roleByName(name);
  if (role === 'batch') return options.batch ?? 1;
  if (role === 'sequence') return DEFAULT_SEQUENCE;
  if (role === 'height' || role === 'width') return DEFAULT_IMAGE_SIDE;
  return 1;
}

/** Name given to an input dimension that has neither a value nor a name in the file. */
export function anonymousDimName(input: string, axis: number): string {
  return `${input}[${axis}]`;
}

/** True when an output is declared with rank 4 (a map, not a vector): the model predicts densely. */
function isDensePrediction(graph: Graph): boolean {
  return graph.outputs.some((o) => graph.values.get(o)?.type?.shape?.length === 4);
}

function userValue(options: DimOptions, name: string, anonymous: string, role: DimRole): number | undefined {
  const dims = options.dims ?? {};
  if (dims[name] !== undefined) return dims[name];
  if (dims[anonymous] !== undefined) return dims[anonymous];
  if (role === 'batch') return options.batch;
  for (const key of ROLE_KEYS[role]) if (dims[key] !== undefined) return dims[key];
  return undefined;
}

/** Binds every symbolic input dimension and lists the ones the user did not give. */
export function resolveInputDims(graph: Graph, options: DimOptions = {},
  typeOf: (name: string) => TensorType | undefined = (name) => graph.values.get(name)?.type,
  metadata: ReadonlyMap<string, string> = new Map()): DimResolution {
  const bound = new Map<string, number>();
  const assumed: AssumedDim[] = [];
  const open: OpenDim[] = [];
  const fromMetadata = imageSideFromMetadata(metadata);
  const side = isDensePrediction(graph) ? DEFAULT_DENSE_IMAGE_SIDE : DEFAULT_IMAGE_SIDE;
  for (const input of graph.inputs) {
    const type = typeOf(input);
    type?.shape?.forEach((d, axis) => {
      if (typeof d === 'number') return;
      const anonymous = anonymousDimName(input, axis);
      const name = d ?? anonymous;
      if (bound.has(name)) return;
      const named = d === undefined ? undefined : roleByName(d);
      const role = named ?? roleByLayout(type, axis);
      const given = userValue(options, name, anonymous, role);
      if (given !== undefined) {
        bound.set(name, given);
        open.push({ name, value: given, role, source: 'user', input, axis });
        return;
      }
      let value = 1;
      let source: DimSource = named ? 'name' : role === 'other' ? 'default' : 'layout';
      if (role === 'batch') value = 1;
      else if (role === 'sequence') value = DEFAULT_SEQUENCE;
      else if (role === 'height' || role === 'width') {
        const meta = fromMetadata?.[role];
        if (meta !== undefined) source = 'metadata';
        value = meta ?? side;
      }
      bound.set(name, value);
      open.push({ name, value, role, source, input, axis });
      if (role !== 'batch') assumed.push({ name, value, role, source, input, axis });
    });
  }
  return { bound, assumed, open };
}

export function bindInputDims(graph: Graph, options: DimOptions = {},
  typeOf: (name: string) => TensorType | undefined = (name) => graph.values.get(name)?.type): Map<string, number> {
  return resolveInputDims(graph, options, typeOf).bound;
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
