/**
 * Builds one ONNX GraphProto (the main graph or an If/Loop/Scan body) from TypeScript calls.
 * OnnxBuilder (builder.ts) wraps it with model-level fields and saving.
 */
import type { DataType, Dim } from '../graph/ir';
import { dataTypeCode } from './dataTypes';
import {
  AttributeField, AttributeType, DimensionField, GraphField, NodeField, ShapeField, TensorTypeField, TypeField,
  ValueInfoField,
} from './protoFields';
import { hashString, seededFloats } from './seededWeights';
import { encodeRaw, tensorProto, type TensorPayload, type TensorValues } from './tensorProtoWriter';
import type { Chunk, LazyBytes } from './wireWriter';
import { ProtoWriter } from './wireWriter';

/** A constant tensor given by values (encoded to raw_data) or raw bytes. */
export interface TensorSpec {
  readonly dataType?: DataType;
  readonly dims: readonly number[];
  readonly values?: TensorValues;
  readonly raw?: Chunk;
  readonly strings?: readonly string[];
  /** 'typed' writes float_data/int32_data/int64_data... instead of raw_data (older exporters do). */
  readonly encoding?: 'raw' | 'typed';
}

export type AttrValue =
  | number | boolean | string | readonly number[] | readonly string[]
  | GraphBuilder | readonly GraphBuilder[]
  | { readonly float: number } | { readonly floats: readonly number[] }
  | { readonly int: number | bigint } | { readonly ints: readonly (number | bigint)[] }
  | { readonly tensor: TensorSpec } | { readonly tensors: readonly TensorSpec[] }
  | { readonly ref: string; readonly attrType: keyof typeof AttributeType };

/** Attributes that ONNX types as float even when a caller writes an integer (alpha: 1). */
const FLOAT_ATTRIBUTES = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'spatial_scale', 'bias', 'lambd', 'ratio', 'scale',
  'scales', 'extrapolation_value', 'cubic_coeff_a', 'threshold', 'value_float', 'value_floats',
  'activation_alpha', 'activation_beta', 'clip', 'min', 'max', 'pooled_shape_scale', 'fmod_float',
]);

export interface WeightOptions {
  readonly dataType?: DataType;
  readonly encoding?: 'raw' | 'typed';
}

/** Shared across a model's graphs so generated names never collide. */
export interface NameCounter {
  next: number;
  readonly seed: number;
}

export class GraphBuilder {
  private readonly nodes: ProtoWriter[] = [];
  private readonly initializers: TensorPayload[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private readonly valueInfos: ProtoWriter[] = [];
  /** Domains used by nodes of this graph and its subgraphs (for opset imports). */
  readonly domainsUsed = new Set<string>();

  constructor(
    readonly name: string,
    protected readonly counter: NameCounter,
  ) {}

  /** A graph input; dims may be numbers, symbolic names or undefined (unknown). */
  input(name: string, dataType: DataType, shape?: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, dataType, shape));
    return name;
  }

  /**
   * An initializer. Without values, float weights are seeded pseudo-random and produced lazily when
   * the model is written, so huge models stream to disk.
   */
  weight(name: string, dims: readonly number[], init?: TensorValues | TensorSpec | WeightOptions): string {
    const spec = isTensorSpec(init) ? init : undefined;
    const options: WeightOptions = (init && !ArrayBuffer.isView(init) && !Array.isArray(init) ? init : {}) as WeightOptions;
    const dataType = spec?.dataType ?? options.dataType ?? 'float32';
    if (spec) {
      this.initializers.push(payloadOf(name, { ...spec, dataType }));
    } else if (init && (ArrayBuffer.isView(init) || Array.isArray(init))) {
      this.initializers.push(payloadOf(name, { dataType, dims, values: init as TensorValues, encoding: options.encoding }));
    } else {
      const seed = (hashString(name) ^ this.counter.seed) >>> 0;
      if (options.encoding === 'typed' || dataType !== 'float32') {
        this.initializers.push(payloadOf(name, { dataType, dims, values: seededFloats(dims, seed), encoding: options.encoding }));
      } else {
        this.initializers.push({ name, dataType, dims, raw: lazySeededFloats(dims, seed) });
      }
    }
    return name;
  }

  /** A 1-D int64 initializer (Reshape targets, Slice bounds, axes). */
  ints(name: string, values: readonly (number | bigint)[]): string {
    return this.weight(name, [values.length], { dataType: 'int64', dims: [values.length], values: values as TensorValues });
  }

  /** A float32 scalar initializer. */
  scalar(name: string, value: number, dataType: DataType = 'float32'): string {
    return this.weight(name, [], { dataType, dims: [], values: [value] });
  }

  /**
   * Adds a node; returns its output names. `outputs` may be a count (names generated) or names;
   * an empty string input marks an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttrValue>> = {},
    options: { name?: string; outputs?: number | readonly string[]; domain?: string } = {},
  ): string[] {
    const id = this.counter.next++;
    const nodeName = options.name ?? `${opType}_${id}`;
    const outs = options.outputs ?? 1;
    const outputs = typeof outs === 'number' ? Array.from({ length: outs }, (_, i) => `${nodeName}_out${i}`) : [...outs];
    const w = new ProtoWriter();
    for (const i of inputs) w.string(NodeField.input, i);
    for (const o of outputs) w.string(NodeField.output, o);
    w.string(NodeField.name, nodeName);
    w.string(NodeField.opType, opType);
    if (options.domain) {
      w.string(NodeField.domain, options.domain);
      this.domainsUsed.add(options.domain);
    }
    for (const [key, value] of Object.entries(attributes)) {
      w.message(NodeField.attribute, this.attribute(key, value));
    }
    this.nodes.push(w);
    return outputs;
  }

  /** Declares a graph output; type and shape are optional (ONNX Runtime infers them). */
  output(name: string, dataType?: DataType, shape?: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, dataType, shape));
    return name;
  }

  /** Type information for an intermediate value (value_info). */
  valueInfo(name: string, dataType: DataType, shape?: readonly Dim[]): void {
    this.valueInfos.push(valueInfo(name, dataType, shape));
  }

  /** A nested graph for If/Loop/Scan bodies; it may use this graph's values by name. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(name, this.counter);
  }

  private attribute(name: string, value: AttrValue): ProtoWriter {
    const w = new ProtoWriter().string(AttributeField.name, name);
    const type = (t: number): ProtoWriter => w.varint(AttributeField.type, t);
    if (value instanceof GraphBuilder) {
      this.mergeDomains(value);
      return type(AttributeType.GRAPH).message(AttributeField.g, value.encode());
    }
    if (typeof value === 'boolean') return type(AttributeType.INT).varint(AttributeField.i, value ? 1 : 0);
    if (typeof value === 'string') return type(AttributeType.STRING).string(AttributeField.s, value);
    if (typeof value === 'number') {
      if (Number.isInteger(value) && !FLOAT_ATTRIBUTES.has(name)) return type(AttributeType.INT).varint(AttributeField.i, value);
      return type(AttributeType.FLOAT).float(AttributeField.f, value);
    }
    if (isArray(value)) {
      if (value.length > 0 && value[0] instanceof GraphBuilder) {
        type(AttributeType.GRAPHS);
        for (const g of value as readonly GraphBuilder[]) {
          this.mergeDomains(g);
          w.message(AttributeField.graphs, g.encode());
        }
        return w;
      }
      if (value.length > 0 && typeof value[0] === 'string') {
        type(AttributeType.STRINGS);
        for (const s of value as readonly string[]) w.string(AttributeField.strings, s);
        return w;
      }
      const nums = value as readonly number[];
      if (nums.every(Number.isInteger) && !FLOAT_ATTRIBUTES.has(name)) return type(AttributeType.INTS).repeatedVarints(AttributeField.ints, nums);
      type(AttributeType.FLOATS);
      for (const f of nums) w.float(AttributeField.floats, f);
      return w;
    }
    if ('float' in value) return type(AttributeType.FLOAT).float(AttributeField.f, value.float);
    if ('int' in value) return type(AttributeType.INT).varint(AttributeField.i, value.int);
    if ('floats' in value) {
      type(AttributeType.FLOATS);
      for (const f of value.floats) w.float(AttributeField.floats, f);
      return w;
    }
    if ('ints' in value) return type(AttributeType.INTS).repeatedVarints(AttributeField.ints, value.ints);
    if ('tensor' in value) return type(AttributeType.TENSOR).message(AttributeField.t, tensorProto(payloadOf('', value.tensor)));
    if ('tensors' in value) {
      type(AttributeType.TENSORS);
      for (const t of value.tensors) w.message(AttributeField.tensors, tensorProto(payloadOf('', t)));
      return w;
    }
    return type(AttributeType[value.attrType]).string(AttributeField.refAttrName, value.ref);
  }

  private mergeDomains(g: GraphBuilder): void {
    for (const d of g.domainsUsed) this.domainsUsed.add(d);
  }

  /** The GraphProto. Initializers may be replaced by external references (see builder.save). */
  encode(externalize?: (t: TensorPayload) => TensorPayload): ProtoWriter {
    const w = new ProtoWriter();
    for (const n of this.nodes) w.message(GraphField.node, n);
    w.string(GraphField.name, this.name);
    for (const t of this.initializers) w.message(GraphField.initializer, tensorProto(externalize ? externalize(t) : t));
    for (const i of this.inputs) w.message(GraphField.input, i);
    for (const o of this.outputs) w.message(GraphField.output, o);
    for (const v of this.valueInfos) w.message(GraphField.valueInfo, v);
    return w;
  }

  /** Node messages, for FunctionProto bodies. */
  encodedNodes(): readonly ProtoWriter[] {
    return this.nodes;
  }
}

function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function isTensorSpec(init: unknown): init is TensorSpec {
  return typeof init === 'object' && init !== null && !ArrayBuffer.isView(init) && !Array.isArray(init) && 'dims' in init;
}

function payloadOf(name: string, spec: TensorSpec): TensorPayload {
  const dataType = spec.dataType ?? 'float32';
  if (spec.strings) return { name, dataType: 'string', dims: spec.dims, strings: spec.strings };
  if (spec.raw) return { name, dataType, dims: spec.dims, raw: spec.raw };
  const values = spec.values ?? [];
  if (spec.encoding === 'typed') return { name, dataType, dims: spec.dims, typed: values };
  return { name, dataType, dims: spec.dims, raw: encodeRaw(dataType, values) };
}

function lazySeededFloats(dims: readonly number[], seed: number): LazyBytes {
  const count = dims.reduce((a, b) => a * b, 1);
  return {
    length: count * 4,
    produce: () => {
      const f = seededFloats(dims, seed);
      return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    },
  };
}

export function valueInfo(name: string, dataType?: DataType, shape?: readonly Dim[]): ProtoWriter {
  const w = new ProtoWriter().string(ValueInfoField.name, name);
  if (dataType === undefined) return w;
  return w.message(ValueInfoField.type, typeProto(dataType, shape));
}

/** A TypeProto holding a tensor type; unknown dims are written without value or name. */
export function typeProto(dataType: DataType, shape?: readonly Dim[]): ProtoWriter {
  const tensor = new ProtoWriter().varint(TensorTypeField.elemType, dataTypeCode(dataType));
  if (shape) {
    const s = new ProtoWriter();
    for (const d of shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.varint(DimensionField.dimValue, d);
      else if (typeof d === 'string') dim.string(DimensionField.dimParam, d);
      s.message(ShapeField.dim, dim);
    }
    tensor.message(TensorTypeField.shape, s);
  }
  return new ProtoWriter().message(TypeField.tensorType, tensor);
}
