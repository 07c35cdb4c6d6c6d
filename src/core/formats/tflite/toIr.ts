/**
 * Maps a parsed TFLite model onto the shared IR. Each operator becomes a Node with domain 'tflite'
 * (custom ops: 'tflite.custom') and the builtin name as opType, so the tflite cost rules apply; TFLite
 * stores every tensor's shape, so outputs need no shape inference. Tensors with a non-empty buffer are
 * initializers whose WeightRef points at the buffer's bytes in the file.
 */
import type { Dim, Graph, Model, Node, Value, WeightRef } from '../../graph/ir';
import type { TfliteModel, TfliteSubgraph, TfliteTensor } from './reader';

export const TFLITE_DOMAIN = 'tflite';
export const TFLITE_CUSTOM_DOMAIN = 'tflite.custom';

/** Symbolic name of a -1 dimension: axis 0 is the batch, other axes are named after their tensor. */
function symbolicDim(uniqueName: string, axis: number): string {
  return axis === 0 ? 'batch' : `${uniqueName}:${axis}`;
}

function tensorDims(tensor: TfliteTensor, uniqueName: string): Dim[] {
  const signature = tensor.shapeSignature ?? tensor.shape;
  return signature.map((d, axis) => (d === -1 ? symbolicDim(uniqueName, axis) : d));
}

/** Unique value names: TFLite tensor names are usually unique, but nothing enforces it. */
function uniqueNames(subgraph: TfliteSubgraph): string[] {
  const seen = new Set<string>();
  return subgraph.tensors.map((t) => {
    let name = t.name || `tensor_${t.index}`;
    if (seen.has(name)) name = `${name}#${t.index}`;
    seen.add(name);
    return name;
  });
}

export function subgraphToGraph(model: TfliteModel, subgraph: TfliteSubgraph, warnings: string[]): Graph {
  const names = uniqueNames(subgraph);
  const values = new Map<string, Value>();
  const initializers: string[] = [];
  for (const tensor of subgraph.tensors) {
    const name = names[tensor.index] ?? `tensor_${tensor.index}`;
    const shape = tensorDims(tensor, name);
    const value: Value = { name, type: { dataType: tensor.dataType, shape } };
    const buffer = tensor.buffer > 0 ? model.buffers[tensor.buffer] : undefined;
    if (buffer && buffer.size > 0) {
      const dims = shape.every((d): d is number => typeof d === 'number') ? shape : tensor.shape.map((d) => Math.max(d, 0));
      const weight: WeightRef = {
        dataType: tensor.dataType,
        dims,
        byteLength: buffer.size,
        location: { kind: 'embedded', offset: buffer.offset, encoding: 'raw' },
      };
      value.constant = weight;
      initializers.push(name);
    }
    if (tensor.sparse) warnings.push(`Tensor ${name} is stored sparse; its parameters count the dense shape.`);
    values.set(name, value);
  }
  const nameOf = (i: number): string => (i < 0 ? '' : names[i] ?? '');
  const counts = new Map<string, number>();
  const nodes: Node[] = subgraph.operators.map((op) => {
    const n = counts.get(op.opType) ?? 0;
    counts.set(op.opType, n + 1);
    return {
      name: `${op.opType}_${n}`,
      opType: op.opType,
      domain: op.custom ? TFLITE_CUSTOM_DOMAIN : TFLITE_DOMAIN,
      inputs: op.inputs.map(nameOf),
      outputs: op.outputs.map(nameOf),
      attributes: op.attributes,
    };
  });
  const constant = new Set(initializers);
  return {
    name: subgraph.name || 'main',
    nodes,
    values,
    inputs: subgraph.inputs.map(nameOf).filter((n) => !constant.has(n)),
    outputs: subgraph.outputs.map(nameOf),
    initializers,
  };
}

/** The IR Model of a TFLite file: the first subgraph is the graph analysed. */
export function tfliteToModel(model: TfliteModel, path: string): Model {
  const warnings = [...model.warnings];
  const main = model.subgraphs[0];
  if (!main) throw new Error('a TfliteModel always has a subgraph');
  const graph = subgraphToGraph(model, main, warnings);
  if (model.subgraphs.length > 1) {
    warnings.push(`${model.subgraphs.length - 1} more subgraph(s) (control flow bodies or signatures) are not costed.`);
  }
  const metadata = new Map<string, string>([['tflite.schema_version', String(model.version)]]);
  if (model.description) metadata.set('description', model.description);
  return {
    format: 'tflite',
    path,
    graph,
    opsetImports: new Map([[TFLITE_DOMAIN, model.version]]),
    ...(model.description ? { producer: model.description } : {}),
    metadata,
    functions: new Map(),
    warnings,
  };
}
