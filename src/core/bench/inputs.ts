/**
 * Builds benchmark inputs from a model's declared input shapes: symbolic dimensions are bound from
 * the caller's `dims` (1 when unbound), and each element type gets a typed array of deterministic,
 * well-behaved values (small floats, small non-negative integers so index inputs stay in range).
 */
import type { InputElementType, UserInput } from './types';

export interface InputDeclaration {
  readonly name: string;
  /** onnxruntime tensor type name; undefined for non-tensor inputs. */
  readonly type?: string;
  /** Declared shape: numbers, symbolic names, or undefined/-1 for unknown dimensions. */
  readonly shape: readonly (number | string | undefined)[];
}

export type InputArray =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array | Int32Array
  | Uint32Array | BigInt64Array | BigUint64Array;

export interface GeneratedInput {
  readonly name: string;
  readonly type: InputElementType;
  readonly dims: readonly number[];
  readonly data: InputArray;
  readonly origin: 'user' | 'generated';
}

const SUPPORTED = new Set<string>([
  'float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool',
]);

export function isSupportedElementType(type: string): type is InputElementType {
  return SUPPORTED.has(type);
}

/**
 * Concrete dims: symbolic names from `dims`; a leading symbolic dimension not in `dims` takes `batch`
 * (as the analysis binds it); anything else unknown (-1, undefined, unbound name) becomes 1.
 */
export function bindShape(shape: readonly (number | string | undefined)[], dims: Readonly<Record<string, number>>, batch?: number, input?: string): number[] {
  return shape.map((d, axis) => {
    // Unnamed dims are keyed `input[axis]`, as the analysis names them (graph/dimBinding.ts).
    const anonymous = input === undefined ? undefined : dims[`${input}[${axis}]`];
    if (typeof d === 'number') return d >= 0 ? d : anonymous ?? 1;
    if (d === undefined && anonymous !== undefined) return anonymous;
    if (typeof d === 'string' && d.length > 0 && dims[d] !== undefined) return dims[d];
    if (axis === 0 && typeof d === 'string' && batch !== undefined) return batch;
    return 1;
  });
}

function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`dimension ${d} is not a non-negative integer`);
    n *= d;
  }
  return n;
}

/** Deterministic pseudo-random sequence in [0, 1) (mulberry32): same inputs on every run. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** float16 bits of a value in [-1, 1) with 10-bit mantissa rounding toward zero (enough for benchmarks). */
function toHalfBits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const abs = Math.abs(value);
  const exponent = Math.floor(Math.log2(abs));
  if (exponent < -14) return sign; // too small for a normal half: flush to zero
  const mantissa = Math.floor((abs / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | mantissa;
}

export function fillArray(type: InputElementType, count: number, seed = 1): InputArray {
  const next = sequence(seed);
  const signedFloat = (): number => next() * 2 - 1;
  // Integers stay in [0, 8): token ids, indices and sizes must be valid for most models.
  const smallInt = (): number => Math.floor(next() * 8);
  switch (type) {
    case 'float32': return Float32Array.from({ length: count }, signedFloat);
    case 'float64': return Float64Array.from({ length: count }, signedFloat);
    case 'float16': return Uint16Array.from({ length: count }, () => toHalfBits(signedFloat()));
    case 'int8': return Int8Array.from({ length: count }, smallInt);
    case 'uint8': return Uint8Array.from({ length: count }, smallInt);
    case 'int16': return Int16Array.from({ length: count }, smallInt);
    case 'uint16': return Uint16Array.from({ length: count }, smallInt);
    case 'int32': return Int32Array.from({ length: count }, smallInt);
    case 'uint32': return Uint32Array.from({ length: count }, smallInt);
    case 'int64': return BigInt64Array.from({ length: count }, () => BigInt(smallInt()));
    case 'uint64': return BigUint64Array.from({ length: count }, () => BigInt(smallInt()));
    case 'bool': return Uint8Array.from({ length: count }, () => (next() < 0.5 ? 1 : 0));
  }
}

/** Converts a user-supplied JSON input to a typed array, checking its length against its dims. */
export function fromUserInput(name: string, input: UserInput): GeneratedInput {
  if (!isSupportedElementType(input.type)) throw new TypeError(`input '${name}': unsupported type '${String(input.type)}'`);
  const count = elementCount(input.dims);
  if (input.data.length !== count) {
    throw new RangeError(`input '${name}': ${input.data.length} values given, dims [${input.dims.join(', ')}] need ${count}`);
  }
  const data = fillArray(input.type, count);
  input.data.forEach((v, i) => {
    const n = typeof v === 'boolean' ? Number(v) : v;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(Math.trunc(n));
    else if (input.type === 'float16') data[i] = toHalfBits(n);
    else data[i] = n;
  });
  return { name, type: input.type, dims: [...input.dims], data, origin: 'user' };
}

/** Inputs for every declaration: the user's where given, generated from the bound shape otherwise. */
export function buildInputs(
  declarations: readonly InputDeclaration[],
  dims: Readonly<Record<string, number>>,
  user: Readonly<Record<string, UserInput>> = {},
  batch?: number,
): GeneratedInput[] {
  for (const name of Object.keys(user)) {
    if (!declarations.some((d) => d.name === name)) throw new RangeError(`input '${name}' is not an input of the model`);
  }
  return declarations.map((decl, index) => {
    const supplied = user[decl.name];
    if (supplied) return fromUserInput(decl.name, supplied);
    if (decl.type === undefined || !isSupportedElementType(decl.type)) {
      throw new TypeError(`input '${decl.name}' has type '${decl.type ?? 'non-tensor'}', which cannot be generated; supply it with "inputs"`);
    }
    const bound = bindShape(decl.shape, dims, batch, decl.name);
    return { name: decl.name, type: decl.type, dims: bound, data: fillArray(decl.type, elementCount(bound), index + 1), origin: 'generated' };
  });
}
