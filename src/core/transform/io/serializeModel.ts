/**
 * Writes a WorkingModel as an ONNX ModelProto. Unchanged weights stored as raw bytes in the original
 * file are copied byte for byte, lazily (read only when streamed to disk); other encodings and
 * external data are decoded and embedded as raw_data, so the result is one self-contained file.
 *
 * This is the transform's own minimal writer: it covers what rewrites produce (main graph, plain
 * attributes, tensors) and refuses subgraphs and model-local functions rather than dropping them.
 */
import type { Attribute, DataType, WeightRef } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { valueInfo } from '../../onnx/graphBuilder';
import {
  AttributeField, AttributeType, GraphField, ModelField, NodeField, OperatorSetIdField, StringStringEntryField,
} from '../../onnx/protoFields';
import { readTensorData } from '../../onnx/tensorData';
import { encodeRaw, tensorProto } from '../../onnx/tensorProtoWriter';
import { type Chunk, ProtoWriter } from '../../onnx/wireWriter';
import { TransformError } from '../transformError';
import type { WorkingModel, WorkNode } from '../workingModel';

/** Lowest IR version that carries each default-domain opset (onnx helper VERSION_TABLE). */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 9) return 4;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export function serializeModel(wm: WorkingModel, source: ByteSource): ProtoWriter {
  if (wm.original.functions.size > 0) {
    throw new TransformError('unsupported-model', 'models with local functions are not rewritten yet (the transform writer would drop them)');
  }
  const m = new ProtoWriter();
  const opset = wm.opsets.get('') ?? 1;
  m.varint(ModelField.irVersion, Math.max(wm.original.irVersion ?? 3, irVersionFor(opset)));
  m.string(ModelField.producerName, 'joule-transform');
  m.string(ModelField.producerVersion, '1');
  m.message(ModelField.graph, encodeGraph(wm, source));
  for (const [domain, version] of wm.opsets) {
    m.message(ModelField.opsetImport, new ProtoWriter().string(OperatorSetIdField.domain, domain).varint(OperatorSetIdField.version, version));
  }
  for (const [key, value] of wm.original.metadata) {
    m.message(ModelField.metadataProps, new ProtoWriter().string(StringStringEntryField.key, key).string(StringStringEntryField.value, value));
  }
  return m;
}

function encodeGraph(wm: WorkingModel, source: ByteSource): ProtoWriter {
  const g = new ProtoWriter();
  for (const n of wm.nodes) g.message(GraphField.node, encodeNode(n, source));
  g.string(GraphField.name, wm.original.graph.name || 'main');
  for (const [name, init] of wm.initializers) {
    const t = init.kind === 'new'
      ? tensorProto({ name, dataType: init.data.dataType, dims: init.data.dims, raw: init.data.bytes })
      : tensorProto({ name, dataType: init.ref.dataType, dims: init.ref.dims, raw: originalBytes(source, init.ref) });
    g.message(GraphField.initializer, t);
  }
  for (const input of wm.inputs) {
    const type = wm.types.get(input);
    g.message(GraphField.input, valueInfo(input, type?.dataType, type?.shape));
  }
  for (const output of wm.outputs) {
    const type = wm.types.get(output);
    const known = type && type.dataType !== 'unknown' ? type : undefined;
    g.message(GraphField.output, valueInfo(output, known?.dataType, known?.shape));
  }
  return g;
}

function encodeNode(n: WorkNode, source: ByteSource): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(NodeField.input, i);
  for (const o of n.outputs) w.string(NodeField.output, o);
  w.string(NodeField.name, n.name);
  w.string(NodeField.opType, n.opType);
  if (n.domain) w.string(NodeField.domain, n.domain);
  for (const [key, a] of n.attributes) w.message(NodeField.attribute, encodeAttribute(key, a, n, source));
  return w;
}

function encodeAttribute(name: string, a: Attribute, node: WorkNode, source: ByteSource): ProtoWriter {
  const w = new ProtoWriter().string(AttributeField.name, name);
  switch (a.type) {
    case 'float': return w.float(AttributeField.f, a.value).varint(AttributeField.type, AttributeType.FLOAT);
    case 'int': return w.varint(AttributeField.i, a.value).varint(AttributeField.type, AttributeType.INT);
    case 'string': return w.string(AttributeField.s, a.value).varint(AttributeField.type, AttributeType.STRING);
    case 'floats':
      for (const v of a.value) w.float(AttributeField.floats, v);
      return w.varint(AttributeField.type, AttributeType.FLOATS);
    case 'ints':
      w.repeatedVarints(AttributeField.ints, a.value);
      return w.varint(AttributeField.type, AttributeType.INTS);
    case 'strings':
      for (const v of a.value) w.string(AttributeField.strings, v);
      return w.varint(AttributeField.type, AttributeType.STRINGS);
    case 'tensor':
      w.message(AttributeField.t, tensorProto({ name: '', dataType: a.value.dataType, dims: a.value.dims, raw: originalBytes(source, a.value) }));
      return w.varint(AttributeField.type, AttributeType.TENSOR);
    default:
      throw new TransformError('unsupported-model', `${node.opType} ${node.name} has a ${a.type} attribute '${name}' (subgraphs, sparse tensors), which the transform writer does not rewrite yet`);
  }
}

/** Raw little-endian bytes of an original weight: copied lazily when stored raw, else re-encoded. */
function originalBytes(source: ByteSource, ref: WeightRef): Chunk {
  const loc = ref.location;
  if (loc.kind === 'embedded' && loc.encoding === 'raw') {
    const length = loc.storedLength ?? ref.byteLength;
    return { length, produce: () => source.read(loc.offset, length) };
  }
  if (ref.dataType === 'string') throw new TransformError('unsupported-model', 'string tensors are not rewritten');
  const values = readTensorData(source, ref);
  return encodeRaw(ref.dataType as Exclude<DataType, 'string'>, values as ArrayLike<number>);
}
