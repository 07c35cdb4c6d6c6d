/**
 * Serializes a Model (read by readOnnxModel, possibly changed) back to ONNX. Unchanged weights are
 * copied from the source file byte for byte, lazily (read only while streaming to disk), never
 * decoded; new or changed tensors come as bytes. Models past 2 GB (protobuf's limit) put their
 * large tensors in an external data file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Attribute, DataType, Graph, Model, Node, TensorType, WeightRef } from '../graph/ir';
import type { ByteSource } from '../io/byteSource';
import { FileByteSource } from '../io/byteSource';
import { typeProto, valueInfo } from './graphBuilder';
import {
  AttributeField, AttributeType, FunctionField, GraphField, ModelField, NodeField, OperatorSetIdField, StringStringEntryField,
  TensorField,
} from './protoFields';
import { encodeRaw, tensorProto, type TensorPayload } from './tensorProtoWriter';
import { type Chunk, ProtoWriter, writeChunk } from './wireWriter';

/** Protobuf messages must stay below 2 GiB; leave room for the graph itself. */
const PROTOBUF_LIMIT = 2 ** 31 - 64 * 1024 * 1024;

export interface NewTensor {
  readonly dataType: DataType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (raw_data layout). */
  readonly bytes: Chunk;
}

export interface WriteOnnxOptions {
  /** The bytes the model was read from: unchanged weights are copied from here. */
  readonly source: ByteSource;
  /** New or changed initializers by value name (they win over the value's WeightRef). */
  readonly tensors?: ReadonlyMap<string, NewTensor>;
  readonly producer?: string;
}

export interface SaveOnnxOptions extends Omit<WriteOnnxOptions, 'source'> {
  readonly source: ByteSource;
  /**
   * 'auto' (default): external data only when the weights pass 2 GB; true: always for tensors over
   * `threshold` bytes (default 1024); false: never.
   */
  readonly externalData?: boolean | 'auto';
  readonly threshold?: number;
  /** Weight bytes above which 'auto' moves tensors out (default: just under protobuf's 2 GiB limit). */
  readonly autoExternalAbove?: number;
}

type Externalize = (payload: TensorPayload) => TensorPayload;

class OnnxEncoder {
  constructor(private readonly options: WriteOnnxOptions, private readonly externalize?: Externalize) {}

  model(model: Model): ProtoWriter {
    const m = new ProtoWriter();
    if (model.irVersion !== undefined) m.varint(ModelField.irVersion, model.irVersion);
    m.string(ModelField.producerName, this.options.producer ?? model.producer ?? 'joule');
    m.message(ModelField.graph, this.graph(model.graph, model.irVersion ?? 8));
    for (const [domain, version] of model.opsetImports) {
      m.message(ModelField.opsetImport, new ProtoWriter().string(OperatorSetIdField.domain, domain).varint(OperatorSetIdField.version, version));
    }
    for (const [key, value] of model.metadata) {
      m.message(ModelField.metadataProps, new ProtoWriter().string(StringStringEntryField.key, key).string(StringStringEntryField.value, value));
    }
    for (const [key, fn] of model.functions) m.message(ModelField.functions, this.function(key, fn, model.opsetImports));
    return m;
  }

  graph(graph: Graph, irVersion: number, topLevel = true): ProtoWriter {
    const g = new ProtoWriter();
    for (const n of graph.nodes) g.message(GraphField.node, this.node(n, irVersion));
    g.string(GraphField.name, graph.name || 'main');
    for (const name of graph.initializers) {
      const replaced = topLevel ? this.options.tensors?.get(name) : undefined;
      const ref = graph.values.get(name)?.constant;
      if (replaced) g.message(GraphField.initializer, tensorProto(this.place({ name, dataType: replaced.dataType, dims: replaced.dims, raw: replaced.bytes })));
      else if (ref) g.message(GraphField.initializer, this.tensor(name, ref));
    }
    const typeOf = (name: string): TensorType | undefined => {
      const v = graph.values.get(name);
      return v?.declaredType ?? v?.type;
    };
    // IR versions before 4 require every initializer to be listed as a graph input too.
    const inputs = irVersion < 4 ? [...graph.inputs, ...graph.initializers] : graph.inputs;
    for (const name of inputs) g.message(GraphField.input, valueInfo(name, typeOf(name)?.dataType, typeOf(name)?.shape));
    for (const name of graph.outputs) g.message(GraphField.output, valueInfo(name, typeOf(name)?.dataType, typeOf(name)?.shape));
    const listed = new Set([...graph.inputs, ...graph.outputs, ...graph.initializers]);
    for (const [name, v] of graph.values) {
      if (!listed.has(name) && v.declaredType && !v.constant) g.message(GraphField.valueInfo, valueInfo(name, v.declaredType.dataType, v.declaredType.shape));
    }
    return g;
  }

  node(n: Node, irVersion: number): ProtoWriter {
    const w = new ProtoWriter();
    for (const i of n.inputs) w.string(NodeField.input, i);
    for (const o of n.outputs) w.string(NodeField.output, o);
    w.string(NodeField.name, n.name);
    w.string(NodeField.opType, n.opType);
    if (n.domain) w.string(NodeField.domain, n.domain);
    for (const [name, a] of n.attributes) w.message(NodeField.attribute, this.attribute(name, a, irVersion));
    return w;
  }

  attribute(name: string, a: Attribute, irVersion: number): ProtoWriter {
    const w = new ProtoWriter().string(AttributeField.name, name);
    const T = AttributeType;
    switch (a.type) {
      case 'float': return w.varint(AttributeField.type, T.FLOAT).float(AttributeField.f, a.value);
      case 'int': return w.varint(AttributeField.type, T.INT).varint(AttributeField.i, a.value);
      case 'string': return w.varint(AttributeField.type, T.STRING).string(AttributeField.s, a.value);
      case 'floats': a.value.forEach((f) => w.float(AttributeField.floats, f)); return w.varint(AttributeField.type, T.FLOATS);
      case 'ints': return w.repeatedVarints(AttributeField.ints, a.value).varint(AttributeField.type, T.INTS);
      case 'strings': a.value.forEach((s) => w.string(AttributeField.strings, s)); return w.varint(AttributeField.type, T.STRINGS);
      case 'tensor': return w.varint(AttributeField.type, T.TENSOR).message(AttributeField.t, this.tensor('', a.value));
      case 'tensors': a.value.forEach((t) => w.message(AttributeField.tensors, this.tensor('', t))); return w.varint(AttributeField.type, T.TENSORS);
      case 'graph': return w.varint(AttributeField.type, T.GRAPH).message(AttributeField.g, this.graph(a.value, irVersion, false));
      case 'graphs': a.value.forEach((g) => w.message(AttributeField.graphs, this.graph(g, irVersion, false))); return w.varint(AttributeField.type, T.GRAPHS);
      case 'sparse_tensor':
        throw new Error(`attribute '${name}' holds a sparse tensor, which the writer does not encode yet`);
      case 'type_proto': return w.varint(AttributeField.type, T.TYPE_PROTO).message(AttributeField.tp, typeProto(a.value.dataType, a.value.shape));
      case 'ref': return w.string(AttributeField.refAttrName, a.value);
    }
  }

  function(key: string, fn: Graph, opsets: ReadonlyMap<string, number>): ProtoWriter {
    const split = key.indexOf(':');
    const w = new ProtoWriter().string(FunctionField.name, key.slice(split + 1)).string(FunctionField.domain, key.slice(0, split));
    fn.inputs.forEach((i) => w.string(FunctionField.input, i));
    fn.outputs.forEach((o) => w.string(FunctionField.output, o));
    const refs = new Set<string>();
    for (const n of fn.nodes) for (const a of n.attributes.values()) if (a.type === 'ref') refs.add(a.value);
    refs.forEach((r) => w.string(FunctionField.attribute, r));
    fn.nodes.forEach((n) => w.message(FunctionField.node, this.node(n, 8)));
    for (const [domain, version] of opsets) {
      w.message(FunctionField.opsetImport, new ProtoWriter().string(OperatorSetIdField.domain, domain).varint(OperatorSetIdField.version, version));
    }
    return w;
  }

  /** A TensorProto for a WeightRef, copying stored bytes without decoding them. */
  tensor(name: string, ref: WeightRef): ProtoWriter {
    if (ref.sparse) throw new Error(`tensor '${name}' is sparse, which the writer does not encode yet`);
    const source = this.options.source;
    const loc = ref.location;
    const lazy = (offset: number, length: number): Chunk => ({ length, produce: () => source.read(offset, length) });
    if (loc.kind === 'inline') {
      if (!ref.values) throw new Error(`tensor '${name}' has no stored bytes and no values to write`);
      return tensorProto({ name, dataType: ref.dataType, dims: ref.dims, raw: encodeRaw(ref.dataType, ref.values) });
    }
    if (loc.kind === 'external') {
      const file = loc.path;
      const chunk: Chunk = { length: ref.byteLength, produce: () => readExternal(file, loc.offset, ref.byteLength) };
      return tensorProto(this.place({ name, dataType: ref.dataType, dims: ref.dims, raw: chunk }));
    }
    const stored = loc.storedLength ?? ref.byteLength;
    switch (loc.encoding) {
      case 'raw':
        return tensorProto(this.place({ name, dataType: ref.dataType, dims: ref.dims, raw: lazy(loc.offset, stored) }));
      case 'tensor-proto': {
        // Re-emit the original message unchanged; only its name may differ from `name`.
        return new ProtoWriter().raw(lazy(loc.offset, stored));
      }
      default: {
        const w = tensorProto({ name, dataType: ref.dataType, dims: ref.dims });
        return w.bytes(typedFieldNumber(loc.encoding, ref.dataType), lazy(loc.offset, stored));
      }
    }
  }

  private place(payload: TensorPayload): TensorPayload {
    return this.externalize ? this.externalize(payload) : payload;
  }
}

function typedFieldNumber(encoding: string, dataType: DataType): number {
  if (encoding === 'float32-list' || encoding === 'fixed32-list') return TensorField.floatData;
  if (encoding === 'float64-list' || encoding === 'fixed64-list') return TensorField.doubleData;
  if (dataType === 'int64') return TensorField.int64Data;
  if (dataType === 'uint32' || dataType === 'uint64') return TensorField.uint64Data;
  return TensorField.int32Data;
}

function readExternal(file: string, offset: number, length: number): Uint8Array {
  const source = new FileByteSource(file);
  try {
    return source.read(offset, length);
  } finally {
    source.close();
  }
}

/** Encodes the model as one protobuf message (weights still lazy until written). */
export function encodeOnnxModel(model: Model, options: WriteOnnxOptions): ProtoWriter {
  return new OnnxEncoder(options).model(model);
}

export function serializeOnnxModel(model: Model, options: WriteOnnxOptions): Uint8Array {
  return encodeOnnxModel(model, options).toBytes();
}

function totalWeightBytes(model: Model, tensors?: ReadonlyMap<string, NewTensor>): number {
  let total = 0;
  for (const name of model.graph.initializers) {
    total += tensors?.get(name)?.bytes.length ?? model.graph.values.get(name)?.constant?.byteLength ?? 0;
  }
  return total;
}

/** Streams the model to `file`; large tensors go to `<file>.data` when asked or past 2 GB. */
export function saveOnnxModel(model: Model, file: string, options: SaveOnnxOptions): void {
  const mode = options.externalData ?? 'auto';
  const external = mode === true || (mode === 'auto' && totalWeightBytes(model, options.tensors) > (options.autoExternalAbove ?? PROTOBUF_LIMIT));
  const chunks: Chunk[] = [];
  let externalize: Externalize | undefined;
  const location = `${path.basename(file)}.data`;
  if (external) {
    const threshold = options.threshold ?? 1024;
    let offset = 0;
    externalize = (p) => {
      if (!p.raw || p.raw.length <= threshold) return p;
      const pad = (4096 - (offset % 4096)) % 4096; // page-aligned, so readers can map tensors
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      chunks.push(p.raw);
      const ref = { location, offset, length: p.raw.length };
      offset += p.raw.length;
      return { name: p.name, dataType: p.dataType, dims: p.dims, external: ref };
    };
  }
  const encoded = new OnnxEncoder(options, externalize).model(model);
  const write = (target: string, fn: (fd: number) => void): void => {
    const temp = `${target}.tmp-${process.pid}`;
    const fd = fs.openSync(temp, 'w');
    try {
      fn(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  };
  // Data first: a reader never sees a model whose external file is missing.
  if (external) write(path.join(path.dirname(file), location), (fd) => chunks.forEach((c) => writeChunk(fd, c)));
  write(file, (fd) => encoded.writeTo(fd));
}
