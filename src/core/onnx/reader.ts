/**
 * readOnnxModel: ModelProto -> Model, lazily. Weights are recorded as WeightRefs (where the bytes
 * are) and never read, except tiny int/float tensors kept for shape arithmetic, so parse time and
 * memory do not grow with weight bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../errors';
import type { Graph, Model } from '../graph/ir';
import type { ByteSource } from '../io/byteSource';
import { resolveExternalLocation } from './externalData';
import { decodeFunction } from './functionDecoder';
import { decodeGraph, type GraphDecodeContext } from './graphDecoder';
import { NodeBudget } from '../graph/nodeBudget';
import type { NodeDecodeContext } from './nodeDecoder';
import { ModelField, OperatorSetIdField } from './protoFields';
import { decodeStringEntry } from './tensorDecoder';
import { Wire, WireReader } from './wireReader';

export interface ReadOnnxOptions {
  /** Folder external data is resolved against (default: the folder of `source.name` when it is a file). */
  readonly baseDir?: string;
  /** Most nodes decoded, all graphs together (default DEFAULT_MAX_GRAPH_NODES); more is refused. */
  readonly maxGraphNodes?: number;
  /** How a refused user raises the limit (default: the analysis' --max-nodes and joule.maxGraphNodes). */
  readonly raiseNodeBudget?: (needed: number) => string;
}

export function readOnnxModel(source: ByteSource, options: ReadOnnxOptions = {}): Model {
  try {
    return decodeModel(source, options);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    // A reader bug or an exotic file must still reach the user as one readable error.
    const message = e instanceof Error ? e.message : String(e);
    throw new ModelFormatError(source.name, undefined, `a readable ONNX model (${message})`);
  }
}

function defaultBaseDir(source: ByteSource): string | undefined {
  try {
    return fs.statSync(source.name).isFile() ? path.dirname(path.resolve(source.name)) : undefined;
  } catch {
    return undefined;
  }
}

function decodeModel(source: ByteSource, options: ReadOnnxOptions): Model {
  const r: WireReader = new WireReader(source);
  const end = source.size;
  if (end === 0) r.fail(0, 'an ONNX ModelProto, got an empty file');
  const baseDir = options.baseDir ?? defaultBaseDir(source);
  const warnings: string[] = [];
  const ctx: NodeDecodeContext & GraphDecodeContext = {
    reader: r,
    warnings,
    nodeBudget: new NodeBudget(options.maxGraphNodes, options.raiseNodeBudget),
    resolveExternal: (location, at) => resolveExternalLocation(source.name, at, baseDir, location),
    decodeSubgraph: (subEnd) => decodeGraph(ctx, subEnd, 1),
  };

  let irVersion: number | undefined;
  let producer: string | undefined;
  let graph: Graph | undefined;
  const opsetImports = new Map<string, number>();
  const metadata = new Map<string, string>();
  const functions = new Map<string, Graph>();
  let first = true;
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag(end);
    if (first && !isModelField(field, wire)) {
      r.fail(at, `an ONNX ModelProto field first, got field ${field}`, 'This does not look like an ONNX model.');
    }
    first = false;
    const payload = (what: string): number => {
      r.expectWire(wire, Wire.Bytes, `ModelProto.${what}`);
      return r.lengthDelimited(end);
    };
    switch (field) {
      case ModelField.irVersion: r.expectWire(wire, Wire.Varint, 'ModelProto.ir_version'); irVersion = r.varint(end); break;
      case ModelField.producerName: producer = r.string(end); break;
      case ModelField.graph:
        if (graph) warnings.push('the model holds more than one graph; the last one is used');
        graph = decodeGraph(ctx, payload('graph'), 0);
        break;
      case ModelField.opsetImport: {
        const [domain, version] = decodeOpset(r, payload('opset_import'));
        opsetImports.set(domain === 'ai.onnx' ? '' : domain, version);
        break;
      }
      case ModelField.metadataProps: {
        const [key, value] = decodeStringEntry(r, payload('metadata_props'));
        metadata.set(key, value);
        break;
      }
      case ModelField.functions: {
        const f = decodeFunction(ctx, payload('functions'));
        functions.set(f.key, f.graph);
        break;
      }
      case ModelField.trainingInfo:
        r.skip(wire, end);
        if (!warnings.includes('training info was skipped')) warnings.push('training info was skipped');
        break;
      default: r.skip(wire, end);
    }
  }
  if (!graph) r.fail(end, 'a graph in the ONNX model', 'The file may be an ONNX fragment (a tensor or a graph alone) or not ONNX at all.');
  if (opsetImports.size === 0) {
    warnings.push('the model declares no opset; ai.onnx opset 1 assumed');
    opsetImports.set('', 1);
  }
  return { format: 'onnx', path: source.name, graph, opsetImports, irVersion, producer, metadata, functions, warnings };
}

/** Fields and wire types a ModelProto may start with (protobuf writers emit fields in any order). */
export function isModelField(field: number, wire: number): boolean {
  if (field === ModelField.irVersion || field === ModelField.modelVersion) return wire === Wire.Varint;
  const bytesFields: number[] = [ModelField.producerName, ModelField.producerVersion, ModelField.domain, ModelField.docString,
    ModelField.graph, ModelField.opsetImport, ModelField.metadataProps, ModelField.trainingInfo, ModelField.functions];
  return bytesFields.includes(field) && wire === Wire.Bytes;
}

function decodeOpset(r: WireReader, end: number): [string, number] {
  let domain = '';
  let version = 0;
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === OperatorSetIdField.domain && wire === Wire.Bytes) domain = r.string(end);
    else if (field === OperatorSetIdField.version && wire === Wire.Varint) version = r.varint(end);
    else r.skip(wire, end);
  }
  return [domain, version];
}
