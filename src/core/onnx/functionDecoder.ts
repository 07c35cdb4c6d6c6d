/** FunctionProto (model-local functions) -> Graph keyed by `domain:name`. */
import type { Graph, Node, Value } from '../graph/ir';
import { decodeNode, type NodeDecodeContext } from './nodeDecoder';
import { FunctionField } from './protoFields';
import { Wire, type WireReader } from './wireReader';

export interface DecodedFunction {
  readonly key: string;
  readonly graph: Graph;
  /** Attribute names the function declares (callers set them). */
  readonly attributes: readonly string[];
}

export function decodeFunction(ctx: NodeDecodeContext, end: number): DecodedFunction {
  const r: WireReader = ctx.reader;
  let name = '';
  let domain = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: string[] = [];
  const nodes: Node[] = [];
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    switch (field) {
      case FunctionField.name: name = r.string(end); break;
      case FunctionField.domain: domain = r.string(end); break;
      case FunctionField.input: inputs.push(r.string(end)); break;
      case FunctionField.output: outputs.push(r.string(end)); break;
      case FunctionField.attribute: attributes.push(r.string(end)); break;
      case FunctionField.node:
        r.expectWire(wire, Wire.Bytes, 'FunctionProto.node');
        nodes.push(decodeNode(ctx, r.lengthDelimited(end), nodes.length));
        break;
      default: r.skip(wire, end);
    }
  }
  const values = new Map<string, Value>();
  for (const n of [...inputs, ...outputs, ...nodes.flatMap((x) => [...x.inputs, ...x.outputs])]) {
    if (n !== '' && !values.has(n)) values.set(n, { name: n });
  }
  return { key: `${domain}:${name}`, attributes, graph: { name, nodes, values, inputs, outputs, initializers: [] } };
}
