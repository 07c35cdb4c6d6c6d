/** NodeProto and AttributeProto -> Node with typed attributes (subgraphs decoded recursively). */
import type { Attribute, Graph, Node, TensorType, WeightRef } from '../graph/ir';
import { AttributeField, AttributeType, NodeField } from './protoFields';
import { decodeSparseTensor, decodeTensor, type TensorDecodeContext } from './tensorDecoder';
import { decodeType } from './typeDecoder';
import { Wire, type WireReader } from './wireReader';

const MAX_LIST = 1 << 20;

export interface NodeDecodeContext extends TensorDecodeContext {
  /** Decodes a GraphProto payload ending at `end` (one level deeper). */
  decodeSubgraph(end: number): Graph;
}

export function decodeNode(ctx: NodeDecodeContext, end: number, index: number): Node {
  const r: WireReader = ctx.reader;
  const inputs: string[] = [];
  const outputs: string[] = [];
  let name = '';
  let opType = '';
  let domain = '';
  const attributes = new Map<string, Attribute>();
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    const expectBytes = (what: string): void => r.expectWire(wire, Wire.Bytes, `NodeProto.${what}`);
    if (field === NodeField.input) { expectBytes('input'); inputs.push(r.string(end)); }
    else if (field === NodeField.output) { expectBytes('output'); outputs.push(r.string(end)); }
    else if (field === NodeField.name) { expectBytes('name'); name = r.string(end); }
    else if (field === NodeField.opType) { expectBytes('op_type'); opType = r.string(end); }
    else if (field === NodeField.domain) { expectBytes('domain'); domain = r.string(end); }
    else if (field === NodeField.attribute) {
      expectBytes('attribute');
      const [key, value] = decodeAttribute(ctx, r.lengthDelimited(end));
      if (value) attributes.set(key, value);
    } else r.skip(wire, end);
  }
  if (opType === '') r.fail(r.pos, `an op_type in node #${index}${name ? ` '${name}'` : ''}`);
  if (domain === 'ai.onnx') domain = '';
  return { name: name || `${opType}_${index}`, opType, domain, inputs, outputs, attributes };
}

interface RawAttribute {
  name: string;
  type: number;
  ref?: string;
  f?: number;
  i?: number;
  s?: string;
  t?: WeightRef;
  g?: Graph;
  tp?: TensorType;
  floats: number[];
  ints: number[];
  strings: string[];
  tensors: WeightRef[];
  graphs: Graph[];
  sparse?: WeightRef;
}

function decodeAttribute(ctx: NodeDecodeContext, end: number): [string, Attribute | undefined] {
  const r: WireReader = ctx.reader;
  const a: RawAttribute = { name: '', type: 0, floats: [], ints: [], strings: [], tensors: [], graphs: [] };
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    const bytes = (what: string): number => {
      r.expectWire(wire, Wire.Bytes, `AttributeProto.${what}`);
      return r.lengthDelimited(end);
    };
    switch (field) {
      case AttributeField.name: a.name = r.string(end); break;
      case AttributeField.type: r.expectWire(wire, Wire.Varint, 'AttributeProto.type'); a.type = r.varint(end); break;
      case AttributeField.refAttrName: a.ref = r.string(end); break;
      case AttributeField.f: r.expectWire(wire, Wire.Fixed32, 'AttributeProto.f'); a.f = r.float(end); break;
      case AttributeField.i: r.expectWire(wire, Wire.Varint, 'AttributeProto.i'); a.i = r.varint(end); break;
      case AttributeField.s: a.s = r.string(end); break;
      case AttributeField.t: a.t = decodeTensor(ctx, bytes('t')).ref; break;
      case AttributeField.g: a.g = ctx.decodeSubgraph(bytes('g')); break;
      case AttributeField.sparseTensor: a.sparse = decodeSparseTensor(ctx, bytes('sparse_tensor')).ref; break;
      case AttributeField.tp: a.tp = decodeType(r, bytes('tp'), 0).type; break;
      case AttributeField.floats: r.repeatedFloats(wire, end, a.floats, MAX_LIST, 'AttributeProto.floats'); break;
      case AttributeField.ints: r.repeatedVarints(wire, end, a.ints, MAX_LIST, 'AttributeProto.ints'); break;
      case AttributeField.strings:
        if (a.strings.length >= MAX_LIST) r.fail(r.pos, `at most ${MAX_LIST} strings`);
        a.strings.push(r.string(end));
        break;
      case AttributeField.tensors: a.tensors.push(decodeTensor(ctx, bytes('tensors')).ref); break;
      case AttributeField.graphs: a.graphs.push(ctx.decodeSubgraph(bytes('graphs'))); break;
      default: r.skip(wire, end);
    }
  }
  return [a.name, toAttribute(a)];
}

/** Uses the declared type; files from old exporters omit it, so fall back to the field present. */
function toAttribute(a: RawAttribute): Attribute | undefined {
  if (a.ref !== undefined) return { type: 'ref', value: a.ref };
  const T = AttributeType;
  const type = a.type !== T.UNDEFINED ? a.type
    : a.f !== undefined ? T.FLOAT : a.i !== undefined ? T.INT : a.s !== undefined ? T.STRING
      : a.t ? T.TENSOR : a.g ? T.GRAPH : a.sparse ? T.SPARSE_TENSOR : a.tp ? T.TYPE_PROTO
        : a.floats.length ? T.FLOATS : a.ints.length ? T.INTS : a.strings.length ? T.STRINGS
          : a.tensors.length ? T.TENSORS : a.graphs.length ? T.GRAPHS : T.UNDEFINED;
  switch (type) {
    case T.FLOAT: return { type: 'float', value: a.f ?? 0 };
    case T.INT: return { type: 'int', value: a.i ?? 0 };
    case T.STRING: return { type: 'string', value: a.s ?? '' };
    case T.TENSOR: return a.t ? { type: 'tensor', value: a.t } : undefined;
    case T.GRAPH: return a.g ? { type: 'graph', value: a.g } : undefined;
    case T.SPARSE_TENSOR: return a.sparse ? { type: 'sparse_tensor', value: a.sparse } : undefined;
    case T.TYPE_PROTO: return a.tp ? { type: 'type_proto', value: a.tp } : undefined;
    case T.FLOATS: return { type: 'floats', value: a.floats };
    case T.INTS: return { type: 'ints', value: a.ints };
    case T.STRINGS: return { type: 'strings', value: a.strings };
    case T.TENSORS: return { type: 'tensors', value: a.tensors };
    case T.GRAPHS: return { type: 'graphs', value: a.graphs };
    default: return undefined;
  }
}
