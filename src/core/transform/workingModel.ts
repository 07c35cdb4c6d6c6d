/**
 * A mutable copy of a model's main graph that rewrites edit: nodes can be replaced or inserted,
 * initializers replaced by new bytes, while untouched weights stay references to the original file
 * (read only when a rewrite asks for their values, copied byte for byte when the result is written).
 */
import type { Attribute, DataType, Graph, Model, Node, TensorType, Value, WeightRef } from '../graph/ir';
import { encodeRaw } from '../onnx/tensorProtoWriter';
import { TransformError } from './transformError';

/** A tensor whose bytes the transform produced (little-endian raw_data layout). */
export interface TensorData {
  readonly dataType: DataType;
  readonly dims: readonly number[];
  readonly bytes: Uint8Array;
}

export interface WorkNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, Attribute>;
}

/** Either an untouched reference into the original file or new bytes. */
export type Initializer =
  | { readonly kind: 'original'; readonly ref: WeightRef }
  | { readonly kind: 'new'; readonly data: TensorData };

/** Decodes a weight of the original model to float64-safe numbers (float32 precision). */
export type WeightValueReader = (name: string, ref: WeightRef) => Float32Array;

export class WorkingModel {
  nodes: WorkNode[];
  readonly initializers = new Map<string, Initializer>();
  readonly opsets: Map<string, number>;
  /** Types of graph inputs, outputs and intermediates as the original model declared or inferred them. */
  readonly types = new Map<string, TensorType>();
  inputs: string[];
  outputs: string[];
  private counter = 0;

  constructor(
    readonly original: Model,
    private readonly readValues: WeightValueReader,
    /** Types of graph inputs/outputs as the file declared them (before any shape inference). */
    declaredEdgeTypes?: ReadonlyMap<string, TensorType>,
  ) {
    const g = original.graph;
    if (original.format !== 'onnx') throw new TransformError('unsupported-model', `only ONNX models can be transformed, not ${original.format}`);
    this.nodes = g.nodes.map(copyNode);
    this.opsets = new Map(original.opsetImports);
    this.inputs = [...g.inputs];
    this.outputs = [...g.outputs];
    for (const name of g.initializers) {
      const ref = g.values.get(name)?.constant;
      if (!ref) throw new TransformError('missing-weights', `initializer ${name} has no data reference`);
      this.initializers.set(name, { kind: 'original', ref });
    }
    for (const [name, v] of g.values) if (v.type) this.types.set(name, v.type);
    if (declaredEdgeTypes) {
      for (const name of [...this.inputs, ...this.outputs]) {
        const type = declaredEdgeTypes.get(name);
        if (type) this.types.set(name, type);
        else this.types.delete(name);
      }
    }
  }

  /**
   * Values that nested graphs (If/Loop/Scan bodies) read from this graph by name. Rewrites treat them
   * like graph outputs: their names, types and shapes must not change.
   */
  outerScopeReads(): Set<string> {
    const reads = new Set<string>();
    const visit = (g: Graph): void => {
      for (const n of g.nodes) {
        for (const i of n.inputs) if (i && !g.values.get(i)?.constant) reads.add(i);
        for (const a of n.attributes.values()) {
          if (a.type === 'graph') visit(a.value);
          else if (a.type === 'graphs') a.value.forEach(visit);
        }
      }
    };
    for (const n of this.nodes) {
      for (const a of n.attributes.values()) {
        if (a.type === 'graph') visit(a.value);
        else if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
    return reads;
  }

  /** A fresh value or node name with this prefix that collides with nothing in the graph. */
  uniqueName(prefix: string): string {
    for (;;) {
      const name = `${prefix}_${this.counter++}`;
      if (!this.initializers.has(name) && !this.types.has(name) && !this.nodes.some((n) => n.outputs.includes(name) || n.name === name)) {
        this.types.set(name, { dataType: 'unknown' });
        return name;
      }
    }
  }

  isInitializer(name: string): boolean {
    return this.initializers.has(name);
  }

  /** dims and data type of an initializer. */
  initializerInfo(name: string): { dataType: DataType; dims: readonly number[] } | undefined {
    const init = this.initializers.get(name);
    if (!init) return undefined;
    return init.kind === 'original' ? init.ref : init.data;
  }

  /** Float values of a float initializer (original or new). */
  floatValues(name: string): Float32Array {
    const init = this.initializers.get(name);
    if (!init) throw new TransformError('missing-weights', `${name} is not an initializer`);
    if (init.kind === 'new') {
      const { bytes, dataType } = init.data;
      if (dataType !== 'float32') throw new TransformError('unsupported-op', `${name} is ${dataType}, expected float32`);
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    const values = this.readValues(name, init.ref);
    const expected = init.ref.dims.reduce((a, b) => a * b, 1);
    if (values.length !== expected) {
      throw new TransformError('missing-weights', `${name}: read ${values.length} values, expected ${expected}`);
    }
    return values;
  }

  /** Float values of a float32 initializer, or undefined for other types. */
  floatValuesOrUndefined(name: string): Float32Array | undefined {
    return this.initializerInfo(name)?.dataType === 'float32' ? this.floatValues(name) : undefined;
  }

  setInitializer(name: string, dataType: DataType, dims: readonly number[], values: ArrayLike<number> | Uint8Array, raw = false): string {
    const bytes = raw ? (values as Uint8Array) : encodeRaw(dataType, values);
    this.initializers.set(name, { kind: 'new', data: { dataType, dims: [...dims], bytes } });
    this.types.set(name, { dataType, shape: [...dims] });
    return name;
  }

  /** Adds a new initializer under a fresh name. */
  addInitializer(prefix: string, dataType: DataType, dims: readonly number[], values: ArrayLike<number>): string {
    return this.setInitializer(this.uniqueName(prefix), dataType, dims, values);
  }

  /** Nodes that read `value`. */
  consumers(value: string): WorkNode[] {
    return this.nodes.filter((n) => n.inputs.includes(value));
  }

  producer(value: string): WorkNode | undefined {
    return this.nodes.find((n) => n.outputs.includes(value));
  }

  /** Replaces `node` by `replacement` nodes at the same position (keeps topological order). */
  replaceNode(node: WorkNode, replacement: WorkNode[]): void {
    const at = this.nodes.indexOf(node);
    if (at < 0) throw new Error(`node ${node.name} is not in the graph`);
    this.nodes.splice(at, 1, ...replacement);
  }

  /** Inserts nodes right before `before` (or at the start when undefined). */
  insertBefore(before: WorkNode | undefined, inserted: WorkNode[]): void {
    const at = before ? this.nodes.indexOf(before) : 0;
    this.nodes.splice(Math.max(0, at), 0, ...inserted);
  }

  /** Renames every read of `from` (node inputs and graph outputs) to `to`. */
  rewireReaders(from: string, to: string, except?: WorkNode): void {
    for (const n of this.nodes) {
      if (n === except) continue;
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
    }
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
  }

  /** Drops initializers that no node reads any more (replaced weights). */
  removeUnusedInitializers(): void {
    const used = new Set<string>(this.outputs);
    for (const n of this.nodes) for (const i of n.inputs) used.add(i);
    for (const name of [...this.initializers.keys()]) if (!used.has(name)) this.initializers.delete(name);
  }

  /**
   * The IR of the result. New initializers get an 'inline' WeightRef; their bytes are in
   * `newTensors()`, which the writer serializes instead of copying from the original file.
   */
  toModel(): Model {
    // Only the graph's edges keep declared types: rewrites change intermediate types and shapes
    // (pruned channels, float16), and onnxruntime infers them again.
    // Outputs added for calibration or MAC counting get no type: their inferred shapes may be stale.
    const values = new Map<string, Value>();
    for (const n of this.nodes) for (const o of n.outputs) if (o) values.set(o, { name: o });
    const edges = new Set([...this.original.graph.inputs, ...this.original.graph.outputs]);
    for (const name of [...this.inputs, ...this.outputs]) {
      const type = edges.has(name) ? this.types.get(name) : undefined;
      values.set(name, type && type.dataType !== 'unknown' ? { name, type, declaredType: type } : { name });
    }
    for (const [name, init] of this.initializers) {
      const ref: WeightRef = init.kind === 'original' ? init.ref
        : { dataType: init.data.dataType, dims: init.data.dims, byteLength: init.data.bytes.length, location: { kind: 'inline' } };
      values.set(name, { name, type: { dataType: ref.dataType, shape: ref.dims }, constant: ref });
    }
    const graph: Graph = {
      name: this.original.graph.name,
      nodes: this.nodes.map((n): Node => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: new Map(n.attributes) })),
      values,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      initializers: [...this.initializers.keys()],
    };
    return { ...this.original, graph, opsetImports: new Map(this.opsets) };
  }

  /** Bytes of every initializer the transform created or changed. */
  newTensors(): Map<string, TensorData> {
    const out = new Map<string, TensorData>();
    for (const [name, init] of this.initializers) if (init.kind === 'new') out.set(name, init.data);
    return out;
  }

  /** Requires an opset for a domain, raising the default one when an op needs a newer version. */
  requireOpset(domain: string, version: number): void {
    const current = this.opsets.get(domain);
    if (current === undefined || current < version) this.opsets.set(domain, version);
  }
}

export function copyNode(n: Node): WorkNode {
  return { name: n.name, opType: n.opType, domain: n.domain, inputs: [...n.inputs], outputs: [...n.outputs], attributes: new Map(n.attributes) };
}

/** Convenience constructor for new nodes. */
export function makeNode(
  name: string,
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, Attribute> = {},
  domain = '',
): WorkNode {
  return { name, opType, domain, inputs, outputs, attributes: new Map(Object.entries(attributes)) };
}

export const intAttr = (value: number): Attribute => ({ type: 'int', value });
export const intsAttr = (value: readonly number[]): Attribute => ({ type: 'ints', value });
export const floatAttr = (value: number): Attribute => ({ type: 'float', value });

export function attrInt(n: WorkNode, key: string, fallback: number): number {
  const a = n.attributes.get(key);
  return a?.type === 'int' ? a.value : fallback;
}

export function attrFloat(n: WorkNode, key: string, fallback: number): number {
  const a = n.attributes.get(key);
  return a?.type === 'float' ? a.value : a?.type === 'int' ? a.value : fallback;
}

export function attrInts(n: WorkNode, key: string): readonly number[] | undefined {
  const a = n.attributes.get(key);
  return a?.type === 'ints' ? a.value : undefined;
}
