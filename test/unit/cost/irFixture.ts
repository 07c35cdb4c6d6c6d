/** Hand-built IR graphs for cost-rule tests: values with types, constants with dims. */
import type { Attribute, DataType, Dim, Graph, Model, Node, Value } from '../../../src/core/graph/ir';
import { BITS_PER_ELEMENT } from '../../../src/core/graph/ir';

export type AttrInput = number | string | readonly number[] | Graph | { float: number };

export function attrs(record: Readonly<Record<string, AttrInput>>): Map<string, Attribute> {
  const map = new Map<string, Attribute>();
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === 'number') map.set(k, Number.isInteger(v) ? { type: 'int', value: v } : { type: 'float', value: v });
    else if (typeof v === 'string') map.set(k, { type: 'string', value: v });
    else if (Array.isArray(v)) map.set(k, { type: 'ints', value: v as readonly number[] });
    else if ('float' in (v as object)) map.set(k, { type: 'float', value: (v as { float: number }).float });
    else map.set(k, { type: 'graph', value: v as Graph });
  }
  return map;
}

export class IrGraph {
  readonly values = new Map<string, Value>();
  readonly nodes: Node[] = [];
  readonly inputs: string[] = [];
  readonly outputs: string[] = [];
  readonly initializers: string[] = [];
  private count = 0;

  constructor(readonly name = 'main') {}

  input(name: string, dataType: DataType, shape?: readonly Dim[]): string {
    this.values.set(name, { name, type: shape ? { dataType, shape } : { dataType } });
    this.inputs.push(name);
    return name;
  }

  /** A value with a type but no producer here (declared type of an intermediate). */
  typed(name: string, dataType: DataType, shape?: readonly Dim[]): string {
    this.values.set(name, { name, type: shape ? { dataType, shape } : { dataType } });
    return name;
  }

  weight(name: string, dims: readonly number[], dataType: DataType = 'float32', values?: readonly number[]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    this.values.set(name, {
      name,
      type: { dataType, shape: dims },
      constant: { dataType, dims, byteLength: Math.ceil((n * BITS_PER_ELEMENT[dataType]) / 8), location: { kind: 'inline' }, ...(values ? { values } : {}) },
    });
    this.initializers.push(name);
    return name;
  }

  /**
   * Adds a node. Each output is [name, dataType, shape] (shape undefined = unknown), or just a name
   * for an untyped output.
   */
  node(opType: string, inputs: readonly string[], outputs: readonly ([string, DataType, readonly Dim[] | undefined] | string)[],
    attributes: Readonly<Record<string, AttrInput>> = {}, options: { domain?: string; name?: string } = {}): string[] {
    const names: string[] = [];
    for (const o of outputs) {
      if (typeof o === 'string') {
        if (!this.values.has(o)) this.values.set(o, { name: o });
        names.push(o);
      } else {
        const [name, dataType, shape] = o;
        this.values.set(name, { name, type: shape ? { dataType, shape } : { dataType } });
        names.push(name);
      }
    }
    this.nodes.push({
      name: options.name ?? `${opType}_${this.count++}`,
      opType,
      domain: options.domain ?? '',
      inputs,
      outputs: names,
      attributes: attrs(attributes),
    });
    return names;
  }

  graph(): Graph {
    return { name: this.name, nodes: this.nodes, values: this.values, inputs: this.inputs, outputs: this.outputs, initializers: this.initializers };
  }

  model(options: { opset?: number; boundDims?: ReadonlyMap<string, number>; functions?: ReadonlyMap<string, Graph> } = {}): Model {
    return {
      format: 'onnx',
      path: 'test.onnx',
      graph: this.graph(),
      opsetImports: new Map([['', options.opset ?? 17], ['com.microsoft', 1]]),
      metadata: new Map(),
      functions: options.functions ?? new Map(),
      warnings: [],
      ...(options.boundDims ? { boundDims: options.boundDims } : {}),
    };
  }
}

/** The layer of a named node (throws when absent, so tests fail loudly). */
export function layerNamed<T extends { name: string }>(layers: readonly T[], name: string): T {
  const l = layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name}`);
  return l;
}
