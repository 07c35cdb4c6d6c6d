/** Builds the RuleContext a shape rule sees for one node: input types and values, attributes, subgraphs. */
import type { Attribute, Graph, Node, TensorType, Value } from './ir';
import type { RuleContext } from './shapeRules/ruleTypes';

/** Value lookup through nested graph scopes (subgraphs read their enclosing graphs' values). */
export class Scope {
  private readonly local: Set<string>;

  constructor(readonly graph: Graph, readonly parent?: Scope) {
    this.local = new Set([...graph.inputs, ...graph.initializers]);
    for (const n of graph.nodes) for (const o of n.outputs) this.local.add(o);
    for (const [name, v] of graph.values) if (v.constant) this.local.add(name);
  }

  lookup(name: string): Value | undefined {
    if (this.local.has(name) || !this.parent) return this.graph.values.get(name);
    return this.parent.lookup(name);
  }
}

export function makeRuleContext(
  node: Node,
  scope: Scope,
  opset: number,
  attributes: ReadonlyMap<string, Attribute>,
  inferSubgraph: (graph: Graph, inputTypes: readonly (TensorType | undefined)[]) => (TensorType | undefined)[],
): RuleContext {
  const value = (i: number): Value | undefined => {
    const name = node.inputs[i];
    return name ? scope.lookup(name) : undefined;
  };
  const attr = (name: string): Attribute | undefined => attributes.get(name);
  return {
    node,
    opset,
    has: (i) => (node.inputs[i] ?? '') !== '',
    type: (i) => value(i)?.type,
    shape: (i) => value(i)?.type?.shape,
    dtype: (i) => value(i)?.type?.dataType,
    values: (i) => {
      const v = value(i);
      return v?.knownValues ?? v?.constant?.values;
    },
    int: (name) => {
      const a = attr(name);
      return a?.type === 'int' ? a.value : undefined;
    },
    ints: (name) => {
      const a = attr(name);
      return a?.type === 'ints' ? a.value : undefined;
    },
    float: (name) => {
      const a = attr(name);
      return a?.type === 'float' ? a.value : undefined;
    },
    floats: (name) => {
      const a = attr(name);
      return a?.type === 'floats' ? a.value : undefined;
    },
    string: (name) => {
      const a = attr(name);
      return a?.type === 'string' ? a.value : undefined;
    },
    graph: (name) => {
      const a = attr(name);
      return a?.type === 'graph' ? a.value : undefined;
    },
    tensorAttr: (name) => {
      const a = attr(name);
      if (a?.type !== 'tensor') return undefined;
      return { type: { dataType: a.value.dataType, shape: a.value.dims }, values: a.value.values };
    },
    inferSubgraph,
  };
}
