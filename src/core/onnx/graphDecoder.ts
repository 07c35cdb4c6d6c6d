/** GraphProto -> Graph: values, initializers, Constant nodes as weights, topological order. */
import type { Graph, Node, TensorType, Value, WeightRef } from '../graph/ir';
import { topologicalOrder } from '../graph/topoSort';
import type { NodeBudget } from '../graph/nodeBudget';
import { decodeNode, type NodeDecodeContext } from './nodeDecoder';
import { GraphField } from './protoFields';
import { decodeSparseTensor, decodeTensor, type DecodedTensor, type TensorDecodeContext } from './tensorDecoder';
import { decodeValueInfo, type DecodedValueInfo } from './typeDecoder';
import { Wire, type WireReader } from './wireReader';

/** If inside Loop inside Scan...: real models nest a few levels; deeper is a hostile file. */
export const MAX_GRAPH_DEPTH = 32;

/** NodeProto fields of the GraphProto from r.pos to `end`, counted by skipping (nothing decoded). */
function countNodes(r: WireReader, end: number): number {
  let count = 0;
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === GraphField.node) count++;
    r.skip(wire, end);
  }
  return count;
}

/** What decoding graphs needs beyond tensors: the file's node budget, shared by all its graphs. */
export interface GraphDecodeContext extends TensorDecodeContext {
  readonly nodeBudget: NodeBudget;
}

export function decodeGraph(ctx: GraphDecodeContext, end: number, depth: number): Graph {
  const r: WireReader = ctx.reader;
  const start = r.pos;
  if (depth > MAX_GRAPH_DEPTH) r.fail(start, `subgraphs nested at most ${MAX_GRAPH_DEPTH} deep`);
  const nodeCount = countNodes(r, end);
  // Counted by a first pass that only skips fields, so an oversized graph is refused before anything is decoded.
  ctx.nodeBudget.take(nodeCount, r.source.name, start);
  r.pos = start;
  const nodeCtx: NodeDecodeContext = { ...ctx, decodeSubgraph: (subEnd) => decodeGraph(ctx, subEnd, depth + 1) };
  let name = '';
  const nodes: Node[] = [];
  const initializers: DecodedTensor[] = [];
  const inputs: DecodedValueInfo[] = [];
  const outputs: DecodedValueInfo[] = [];
  const valueInfos: DecodedValueInfo[] = [];
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    const payload = (what: string): number => {
      r.expectWire(wire, Wire.Bytes, `GraphProto.${what}`);
      return r.lengthDelimited(end);
    };
    switch (field) {
      case GraphField.node: nodes.push(decodeNode(nodeCtx, payload('node'), nodes.length)); break;
      case GraphField.name: name = r.string(end); break;
      case GraphField.initializer: initializers.push(decodeTensor(ctx, payload('initializer'))); break;
      case GraphField.sparseInitializer: initializers.push(decodeSparseTensor(ctx, payload('sparse_initializer'))); break;
      case GraphField.input: inputs.push(decodeValueInfo(r, payload('input'))); break;
      case GraphField.output: outputs.push(decodeValueInfo(r, payload('output'))); break;
      case GraphField.valueInfo: valueInfos.push(decodeValueInfo(r, payload('value_info'))); break;
      default: r.skip(wire, end);
    }
  }

  const graphLabel = name || (depth === 0 ? 'main graph' : 'subgraph');
  const values = new Map<string, Value>();
  const valueOf = (n: string): Value => {
    let v = values.get(n);
    if (!v) {
      v = { name: n };
      values.set(n, v);
    }
    return v;
  };
  const setType = (info: DecodedValueInfo): void => {
    if (info.name === '') return;
    const v = valueOf(info.name);
    if (info.container) return; // sequences, maps, optionals: no tensor type to give
    if (info.type && !v.type) {
      v.type = info.type;
      v.declaredType = info.type;
    }
  };

  const initializerNames = initializers.map((t) => t.name);
  const initializerSet = new Set(initializerNames);
  for (const t of initializers) {
    if (t.name === '') ctx.warnings.push(`${graphLabel}: an initializer has no name`);
    const v = valueOf(t.name);
    v.constant = t.ref;
    v.type = typeOfRef(t.ref);
  }
  inputs.forEach(setType);
  outputs.forEach(setType);
  valueInfos.forEach(setType);

  const produced = new Set<string>();
  for (const node of nodes) {
    for (const i of node.inputs) if (i !== '') valueOf(i);
    for (const o of node.outputs) {
      if (o === '') continue;
      if (produced.has(o) || initializerSet.has(o)) ctx.warnings.push(`${graphLabel}: value '${o}' is produced more than once`);
      produced.add(o);
      valueOf(o);
    }
    if (node.opType === 'Constant' && node.domain === '' && node.outputs[0]) {
      const ref = constantNodeValue(node);
      if (ref) {
        const v = valueOf(node.outputs[0]);
        v.constant = ref;
        v.type = typeOfRef(ref);
      }
    }
  }

  const sorted = topologicalOrder(nodes);
  if (!sorted.ok) {
    r.fail(start, `an acyclic ${graphLabel}, but nodes form a cycle (${sorted.cycle.slice(0, 5).join(', ')}${sorted.cycle.length > 5 ? ', ...' : ''})`,
      'A node depends on its own output through other nodes; the exporter produced an invalid graph.');
  }
  if (!sorted.wasSorted) ctx.warnings.push(`${graphLabel}: nodes were not in topological order; they were sorted`);

  return {
    name,
    nodes: sorted.nodes,
    values,
    inputs: inputs.map((i) => i.name).filter((n) => !initializerSet.has(n)),
    outputs: outputs.map((o) => o.name),
    initializers: initializerNames,
  };
}

export function typeOfRef(ref: WeightRef): TensorType {
  return { dataType: ref.dataType, shape: ref.dims };
}

function inline(dataType: WeightRef['dataType'], dims: number[], values: readonly number[], byteLength: number): WeightRef {
  return { dataType, dims, byteLength, location: { kind: 'inline' }, values };
}

/** A Constant node's value as a weight (value, value_float(s), value_int(s), value_string(s), sparse_value). */
function constantNodeValue(node: Node): WeightRef | undefined {
  for (const [key, a] of node.attributes) {
    if ((key === 'value' && a.type === 'tensor') || (key === 'sparse_value' && a.type === 'sparse_tensor')) return a.value;
    if (key === 'value_float' && a.type === 'float') return inline('float32', [], [a.value], 4);
    if (key === 'value_int' && a.type === 'int') return inline('int64', [], [a.value], 8);
    if (key === 'value_floats' && a.type === 'floats') return inline('float32', [a.value.length], a.value, 4 * a.value.length);
    if (key === 'value_ints' && a.type === 'ints') return inline('int64', [a.value.length], a.value, 8 * a.value.length);
    if (key === 'value_string' && a.type === 'string') return { dataType: 'string', dims: [], byteLength: a.value.length, location: { kind: 'inline' } };
    if (key === 'value_strings' && a.type === 'strings') {
      return { dataType: 'string', dims: [a.value.length], byteLength: a.value.reduce((s, x) => s + x.length, 0), location: { kind: 'inline' } };
    }
  }
  return undefined;
}
