/**
 * The model IR every reader produces and every analysis consumes. It holds structure, types, shapes
 * and where weights live, never the weight values themselves (see WeightRef).
 *
 * This file is a shared contract between readers (src/core/onnx, src/core/formats) and analyses
 * (src/core/cost, src/core/energy, ...): add fields freely, never rename or remove one.
 */

import type { AssumedDim, OpenDim } from './dimBinding';

/** Element types, named after ONNX's TensorProto.DataType (lower case). */
export type DataType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'float8e8m0' | 'float4e2m1'
  | 'int4' | 'uint4' | 'int2' | 'uint2'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'string' | 'complex64' | 'complex128'
  /** Block-quantized storage types of other formats (GGUF Q4_K and friends); bits per element below. */
  | 'quantized'
  | 'unknown';

/** Bits per element of each data type (strings count 0: their size is not known from the shape). */
export const BITS_PER_ELEMENT: Readonly<Record<DataType, number>> = {
  float32: 32, float64: 64, float16: 16, bfloat16: 16,
  float8e4m3fn: 8, float8e4m3fnuz: 8, float8e5m2: 8, float8e5m2fnuz: 8, float8e8m0: 8, float4e2m1: 4,
  int4: 4, uint4: 4, int2: 2, uint2: 2,
  int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64,
  bool: 8, string: 0, complex64: 64, complex128: 128,
  quantized: 0, unknown: 0,
};

/** A dimension: a number when known, a name when symbolic (`batch`, `seq`), undefined when unknown. */
export type Dim = number | string | undefined;

export interface TensorType {
  readonly dataType: DataType;
  /** undefined when even the rank is unknown. */
  readonly shape?: readonly Dim[];
}

/** Where a constant tensor's bytes are, so transforms can read them later; analysis never does. */
export type WeightLocation =
  /** Bytes inside the model file at [offset, offset + byteLength). */
  | {
    readonly kind: 'embedded'; readonly offset: number;
    /** 'tensor-proto': `offset` is the start of the whole TensorProto message (strings, unpacked lists); decode it again. */
    readonly encoding: 'raw' | 'packed-varint' | 'float32-list' | 'float64-list' | 'fixed32-list' | 'fixed64-list' | 'string-list' | 'tensor-proto';
    /** Bytes stored at `offset` (differs from WeightRef.byteLength for varint and list encodings). */
    readonly storedLength?: number;
  }
  /** Bytes in a file beside the model (ONNX external data), path already confined to the model's folder. */
  | { readonly kind: 'external'; readonly path: string; readonly offset: number }
  /** Small tensors decoded while reading (Constant nodes, shape tensors). */
  | { readonly kind: 'inline' };

export interface WeightRef {
  readonly dataType: DataType;
  readonly dims: readonly number[];
  /** Stored bytes of the tensor (for block-quantized types, the real bytes with block scales). */
  readonly byteLength: number;
  readonly location: WeightLocation;
  /**
   * Decoded values of small integer or float tensors (≤ a few KiB), kept for shape computations
   * (Reshape targets, Slice bounds). Large weights never get this.
   */
  readonly values?: readonly number[];
  /**
   * Stored as a sparse tensor (ONNX SparseTensorProto): `dims` is the dense shape, `byteLength` counts
   * values and indices, `location` points at the values only.
   */
  readonly sparse?: boolean;
}

/** A tensor flowing in the graph: a graph input, a node output, an initializer or a constant. */
export interface Value {
  readonly name: string;
  /** Type and shape, from the file or from shape inference. */
  type?: TensorType;
  /**
   * The type exactly as the file declared it (symbolic dims kept), when it declared one; shape
   * inference overwrites `type`, writers use this to write the file's own declarations back.
   */
  declaredType?: TensorType;
  /** Set when the value is a weight (initializer or Constant output). */
  constant?: WeightRef;
  /**
   * Values known at analysis time without reading weights (shape arithmetic: Shape -> Gather ->
   * Concat -> Reshape). Filled by data propagation in shape inference.
   */
  knownValues?: readonly number[];
  /** Why the shape stayed unknown, when it did (op not covered, data-dependent). */
  unknownReason?: string;
}

export type Attribute =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: WeightRef }
  | { readonly type: 'graph'; readonly value: Graph }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensors'; readonly value: readonly WeightRef[] }
  | { readonly type: 'graphs'; readonly value: readonly Graph[] }
  | { readonly type: 'sparse_tensor'; readonly value: WeightRef }
  | { readonly type: 'type_proto'; readonly value: TensorType }
  /** Reference to an attribute of the enclosing function (ONNX functions). */
  | { readonly type: 'ref'; readonly value: string };

export interface Node {
  /** The node's name from the file; readers synthesize `<opType>_<index>` when it is empty. */
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain ('ai.onnx'), else e.g. 'com.microsoft', 'tflite'. */
  readonly domain: string;
  /** Input value names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, Attribute>;
}

export interface Graph {
  readonly name: string;
  /** Nodes in topological order (readers sort files that are not). */
  readonly nodes: readonly Node[];
  /** Every value by name: inputs, outputs, initializers, intermediates. */
  readonly values: Map<string, Value>;
  /** Graph inputs that are not initializers (the tensors a caller feeds). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Names of initializers (weights). */
  readonly initializers: readonly string[];
}

export type ModelFormat = 'onnx' | 'tflite' | 'safetensors' | 'gguf' | 'hf-config' | 'python';

export interface Model {
  readonly format: ModelFormat;
  /** Path of the file read (or a label). */
  readonly path: string;
  readonly graph: Graph;
  /** Operator set version per domain ('' = ai.onnx). */
  readonly opsetImports: ReadonlyMap<string, number>;
  readonly irVersion?: number;
  readonly producer?: string;
  readonly metadata: ReadonlyMap<string, string>;
  /** Model-local functions (ONNX), by `domain:name`. */
  readonly functions: ReadonlyMap<string, Graph>;
  /** Symbolic dimensions and the values they were bound to for this analysis. */
  readonly boundDims?: ReadonlyMap<string, number>;
  /** The bound dims the user did not give (set by loadModel). */
  readonly assumedDims?: readonly AssumedDim[];
  /** Every open input dim with its role and source, user-given ones included (set by loadModel). */
  readonly openDims?: readonly OpenDim[];
  /** Non-fatal problems found while reading (skipped fields, unsorted nodes). */
  readonly warnings: readonly string[];
  /** Values whose shape stayed unknown after shape inference, with the reason (set by loadModel). */
  readonly unknownValues?: readonly { readonly value: string; readonly reason: string }[];
}

/** Number of elements of a fully known shape, else undefined. */
export function elementCount(shape: readonly Dim[] | undefined): number | undefined {
  if (!shape) return undefined;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** Bytes of a tensor of this type and shape, when both are known. */
export function tensorBytes(type: TensorType | undefined): number | undefined {
  if (!type) return undefined;
  const n = elementCount(type.shape);
  if (n === undefined) return undefined;
  return Math.ceil((n * BITS_PER_ELEMENT[type.dataType]) / 8);
}
