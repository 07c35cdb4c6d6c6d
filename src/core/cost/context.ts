/**
 * What an op cost rule may ask about the graph: resolved shapes, data types, constants, producers.
 * One context per graph; subgraph contexts (If/Loop/Scan bodies) see the outer scope's values.
 */
import type { Attribute, DataType, Dim, Graph, Model, Node, Value, WeightRef } from '../graph/ir';
import type { LayerCost, OpCost } from './types';

/** Where unknown operators found anywhere (subgraphs included) are reported. */
export interface UnknownSink {
  add(node: Node): void;
}

/** The cost of a subgraph, as layers costed in its own context. */
export interface SubgraphCost {
  readonly layers: readonly LayerCost[];
}

export interface CostContext {
  readonly model: Model;
  readonly graph: Graph;
  value(name: string): Value | undefined;
  /** Shape with symbolic dims resolved from model.boundDims where bound; undefined when unknown. */
  shape(name: string): readonly Dim[] | undefined;
  /** Shape only when every dim is a number. */
  numericShape(name: string): readonly number[] | undefined;
  dataType(name: string): DataType | undefined;
  constant(name: string): WeightRef | undefined;
  /** Values known without reading weights: small constants' values or shape-inference propagation. */
  knownValues(name: string): readonly number[] | undefined;
  /** The node that produces a value (in this graph or an enclosing one). */
  producer(name: string): Node | undefined;
  /** Nodes of this graph that read a value. */
  consumers(name: string): readonly Node[];
  /** Costs every node of a subgraph (If/Loop/Scan body) in a child context. */
  costSubgraph(graph: Graph): SubgraphCost;
  readonly unknownSink: UnknownSink;
  /** Shared by a model's whole costing: guards model-local function calls (see FunctionExpansion). */
  readonly functions: FunctionExpansion;
}

/**
 * Model-local functions are costed by expanding their bodies at every call. ONNX forbids recursion,
 * but a hostile file can have a function call itself, or fan out (4 calls per level, 16 levels =
 * 4^16 expansions). One instance per costing tracks the active call chain and a budget of body nodes.
 */
export class FunctionExpansion {
  /** Body nodes costed through function calls, in all; far past the function bodies of real exports, and costed in about a second. */
  static readonly NODE_BUDGET = 200_000;
  private readonly active = new Set<string>();
  private nodesLeft = FunctionExpansion.NODE_BUDGET;
  /** Set once a call was refused: the analysis then carries a warning. */
  problem: string | undefined;

  /** Why a call may not be expanded, or undefined when it may (then `enter`/`leave` around it). */
  refusal(key: string, bodyNodes: number): string | undefined {
    if (this.active.has(key)) this.problem = `function ${key} calls itself (ONNX forbids recursion): not counted`;
    else if (bodyNodes > this.nodesLeft) {
      this.problem = `function-call expansion budget (${FunctionExpansion.NODE_BUDGET} body nodes) exhausted: not counted (truncated analysis)`;
    } else return undefined;
    return this.problem;
  }

  enter(key: string, bodyNodes: number): void {
    this.nodesLeft -= bodyNodes;
    this.active.add(key);
  }

  leave(key: string): void {
    this.active.delete(key);
  }
}

export type OpCostRule = (node: Node, ctx: CostContext) => OpCost;

/** Costs the nodes of one graph in a given context; supplied by costGraph to avoid an import cycle. */
export type GraphCoster = (ctx: CostContext) => LayerCost[];

const NO_NODES: readonly Node[] = [];

export class GraphCostContext implements CostContext {
  private readonly producers = new Map<string, Node>();
  private readonly consumerMap = new Map<string, Node[]>();

  constructor(
    readonly model: Model,
    readonly graph: Graph,
    readonly unknownSink: UnknownSink,
    private readonly coster: GraphCoster,
    private readonly parent?: GraphCostContext,
    readonly functions: FunctionExpansion = parent?.functions ?? new FunctionExpansion(),
  ) {
    for (const node of graph.nodes) {
      for (const out of node.outputs) if (out) this.producers.set(out, node);
      for (const input of node.inputs) {
        if (!input) continue;
        const list = this.consumerMap.get(input);
        if (list) list.push(node);
        else this.consumerMap.set(input, [node]);
      }
    }
  }

  value(name: string): Value | undefined {
    const local = this.graph.values.get(name);
    // Readers may list outer-scope names in a subgraph's values without type or data: look outward then.
    if (local && (local.type || local.constant || !this.parent)) return local;
    return this.parent?.value(name) ?? local;
  }

  shape(name: string): readonly Dim[] | undefined {
    const shape = this.value(name)?.type?.shape;
    const bound = this.model.boundDims;
    if (!shape || !bound || bound.size === 0) return shape;
    let resolved: Dim[] | undefined;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (typeof d === 'string' && bound.has(d)) {
        resolved ??= shape.slice();
        resolved[i] = bound.get(d);
      }
    }
    return resolved ?? shape;
  }

  numericShape(name: string): readonly number[] | undefined {
    const shape = this.shape(name);
    if (!shape) return undefined;
    for (const d of shape) if (typeof d !== 'number') return undefined;
    return shape as readonly number[];
  }

  dataType(name: string): DataType | undefined {
    const v = this.value(name);
    return v?.type?.dataType ?? v?.constant?.dataType;
  }

  constant(name: string): WeightRef | undefined {
    return this.value(name)?.constant;
  }

  knownValues(name: string): readonly number[] | undefined {
    const v = this.value(name);
    return v?.constant?.values ?? v?.knownValues;
  }

  producer(name: string): Node | undefined {
    return this.producers.get(name) ?? this.parent?.producer(name);
  }

  consumers(name: string): readonly Node[] {
    return this.consumerMap.get(name) ?? NO_NODES;
  }

  costSubgraph(graph: Graph): SubgraphCost {
    const child = new GraphCostContext(this.model, graph, this.unknownSink, this.coster, this);
    return { layers: this.coster(child) };
  }
}

// ---- attribute helpers shared by the rules ----

export function intAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  return a && (a.type === 'int' || a.type === 'float') ? a.value : fallback;
}

export function floatAttr(node: Node, name: string, fallback: number): number {
  return intAttr(node, name, fallback);
}

export function intsAttr(node: Node, name: string): readonly number[] | undefined {
  const a = node.attributes.get(name);
  return a && (a.type === 'ints' || a.type === 'floats') ? a.value : undefined;
}

export function stringAttr(node: Node, name: string, fallback: string): string {
  const a = node.attributes.get(name);
  return a && a.type === 'string' ? a.value : fallback;
}

export function graphAttr(node: Node, name: string): Graph | undefined {
  const a: Attribute | undefined = node.attributes.get(name);
  return a && a.type === 'graph' ? a.value : undefined;
}

/** The i-th input name, or undefined when absent or omitted (''). */
export function inputAt(node: Node, i: number): string | undefined {
  const name = node.inputs[i];
  return name ? name : undefined;
}

export function outputAt(node: Node, i: number): string | undefined {
  const name = node.outputs[i];
  return name ? name : undefined;
}
