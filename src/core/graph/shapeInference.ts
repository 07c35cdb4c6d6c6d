/**
 * Shape inference over a Model: binds symbolic input dims, then walks nodes in order applying the
 * per-op rules (shapeRules/) with data propagation (dataPropagation.ts), into subgraphs and
 * model-local functions. Values that stay unknown are listed with the reason.
 */
import { propagateValues } from './dataPropagation';
import { type AssumedDim, type DimOptions, type OpenDim, resolveInputDims, substituteDims } from './dimBinding';
import { makeRuleContext, Scope } from './inferenceContext';
import type { Attribute, Graph, Model, Node, TensorType, Value } from './ir';
import { shapeRuleFor } from './shapeRules';
import type { OutputInfo } from './shapeRules/ruleTypes';

export type ShapeInferenceOptions = DimOptions;

export interface UnknownValue {
  readonly value: string;
  readonly reason: string;
}

export interface ShapeInferenceResult {
  /** Every symbolic input dimension and the value used for it. */
  readonly boundDims: Map<string, number>;
  /** The dims the user did not give, with where their values came from. */
  readonly assumedDims: AssumedDim[];
  /** Every open input dim with its role and source (user included). */
  readonly openDims: OpenDim[];
  readonly unknown: UnknownValue[];
}

/** Each value's type as the reader left it, remembered at the first inference (readers set no marker). */
const typesBeforeInference = new WeakMap<Value, TensorType | undefined>();

function typeBeforeInference(v: Value): TensorType | undefined {
  if (!typesBeforeInference.has(v)) typesBeforeInference.set(v, v.type);
  return typesBeforeInference.get(v);
}

/** Functions may call functions; a recursive chain stops here. */
const MAX_FUNCTION_DEPTH = 16;
/** Body nodes inferred through function calls, in all: a fan-out of calls must not multiply the work. */
export const FUNCTION_EXPANSION_BUDGET = 200_000;

function isComplete(type: TensorType | undefined): boolean {
  return !!type?.shape && type.shape.every((d) => typeof d === 'number');
}

/** Inferred dims win; where inference left a dim unknown, a number declared in the file fills it. */
function mergeDeclared(inferred: TensorType, declared: TensorType | undefined): TensorType {
  if (!inferred.shape || !declared?.shape || declared.shape.length !== inferred.shape.length) {
    return inferred.shape || !declared?.shape ? inferred : { dataType: inferred.dataType, shape: declared.shape };
  }
  return { dataType: inferred.dataType, shape: inferred.shape.map((d, i) => (typeof d === 'number' ? d : declared.shape![i])) };
}

class ShapeInference {
  readonly unknown: UnknownValue[] = [];
  private functionDepth = 0;
  private functionNodesLeft = FUNCTION_EXPANSION_BUDGET;
  private readonly activeFunctions = new Set<string>();

  constructor(private readonly model: Model, private readonly bound: ReadonlyMap<string, number>) {}

  opsetOf(domain: string): number {
    return this.model.opsetImports.get(domain === 'ai.onnx' ? '' : domain) ?? (domain === '' ? 1 : 1);
  }

  /**
   * Resets every value to the type it had before any inference, with bound dims substituted
   * (inputs become fully numeric), so inferring again with other dims starts afresh.
   */
  prepareGraph(graph: Graph): void {
    const inputs = new Set(graph.inputs);
    for (const [name, v] of graph.values) {
      if (v.constant) continue;
      v.type = substituteDims(typeBeforeInference(v), this.bound, inputs.has(name) ? name : undefined);
      delete v.unknownReason;
      // Values a caller gave to graph inputs stay; everything else was computed by a previous run.
      if (!inputs.has(name)) delete v.knownValues;
    }
  }

  inferGraph(graph: Graph, scope: Scope, callerAttributes?: ReadonlyMap<string, Attribute>): void {
    for (const node of graph.nodes) this.inferNode(node, graph, scope, callerAttributes);
  }

  private inferNode(node: Node, graph: Graph, scope: Scope, callerAttributes?: ReadonlyMap<string, Attribute>): void {
    const attributes = callerAttributes ? resolveRefs(node.attributes, callerAttributes) : node.attributes;
    const ctx = makeRuleContext(node, scope, this.opsetOf(node.domain), attributes, (g, types) => this.inferSubgraph(g, types, scope));
    let outputs: OutputInfo[];
    try {
      outputs = propagateValues(ctx, this.rule(node, scope, ctx));
    } catch (e) {
      const reason = `shape rule of ${node.opType} failed: ${e instanceof Error ? e.message : String(e)}`;
      outputs = node.outputs.map(() => ({ reason }));
    }
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      let v = graph.values.get(name);
      if (!v) {
        v = { name };
        graph.values.set(name, v);
      }
      this.assign(v, outputs[i] ?? { reason: `${node.opType} rule gave no output #${i}` }, node, scope);
    });
  }

  private rule(node: Node, scope: Scope, ctx: Parameters<NonNullable<ReturnType<typeof shapeRuleFor>>>[0]): OutputInfo[] {
    if (node.opType === 'Constant' && node.domain === '') {
      const v = scope.lookup(node.outputs[0] ?? '');
      return [v?.type ? { type: v.type, values: v.constant?.values } : { reason: 'Constant without a readable value' }];
    }
    const fn = this.model.functions.get(`${node.domain}:${node.opType}`);
    if (fn) return this.inferFunctionCall(node, fn, scope);
    const rule = shapeRuleFor(node.domain, node.opType);
    if (!rule) {
      const op = node.domain ? `${node.domain}:${node.opType}` : node.opType;
      return node.outputs.map(() => ({ reason: `operator ${op} (opset ${ctx.opset}) is not covered by shape inference` }));
    }
    return rule(ctx);
  }

  private assign(v: Value, info: OutputInfo, node: Node, scope: Scope): void {
    if (info.type) v.type = mergeDeclared(info.type, v.type);
    if (info.values) v.knownValues = info.values;
    else delete v.knownValues;
    if (isComplete(v.type)) {
      delete v.unknownReason;
      return;
    }
    v.unknownReason = info.reason ?? this.inheritedReason(node, scope) ?? `${node.opType} output shape not fully determined`;
  }

  /** The root cause carried by the first unknown input, so one cause is not reported as many. */
  private inheritedReason(node: Node, scope: Scope): string | undefined {
    for (const name of node.inputs) {
      const v = name ? scope.lookup(name) : undefined;
      if (v?.unknownReason) return v.unknownReason.startsWith('depends on') ? v.unknownReason : `depends on '${name}': ${v.unknownReason}`;
      if (v && !v.type) return `depends on '${name}', whose type is unknown`;
    }
    return undefined;
  }

  inferSubgraph(graph: Graph, inputTypes: readonly (TensorType | undefined)[], parent: Scope): (TensorType | undefined)[] {
    this.prepareGraph(graph);
    graph.inputs.forEach((name, i) => {
      const v = graph.values.get(name);
      const t = inputTypes[i];
      if (v && t) v.type = v.type?.shape && !t.shape ? v.type : t;
    });
    const scope = new Scope(graph, parent);
    this.inferGraph(graph, scope);
    return graph.outputs.map((o) => scope.lookup(o)?.type);
  }

  private inferFunctionCall(node: Node, fn: Graph, scope: Scope): OutputInfo[] {
    const key = `${node.domain}:${node.opType}`;
    // ONNX forbids recursive functions; a hostile file must not make inference exponential.
    if (this.activeFunctions.has(key)) return node.outputs.map(() => ({ reason: `function ${key} calls itself` }));
    if (this.functionDepth >= MAX_FUNCTION_DEPTH) return node.outputs.map(() => ({ reason: 'functions call each other too deeply' }));
    if (fn.nodes.length > this.functionNodesLeft) {
      return node.outputs.map(() => ({ reason: `function-call expansion budget (${FUNCTION_EXPANSION_BUDGET} body nodes) exhausted` }));
    }
    this.functionNodesLeft -= fn.nodes.length;
    this.functionDepth++;
    this.activeFunctions.add(key);
    try {
      this.prepareGraph(fn);
      fn.inputs.forEach((name, i) => {
        const v = fn.values.get(name);
        const source = node.inputs[i] ? scope.lookup(node.inputs[i]!) : undefined;
        if (v) {
          v.type = source?.type;
          v.knownValues = source?.knownValues ?? source?.constant?.values;
        }
      });
      const fnScope = new Scope(fn);
      this.inferGraph(fn, fnScope, node.attributes);
      return fn.outputs.map((o) => {
        const v = fnScope.lookup(o);
        return v?.type ? { type: v.type, values: v.knownValues } : { reason: v?.unknownReason ?? 'function output unknown' };
      });
    } finally {
      this.functionDepth--;
      this.activeFunctions.delete(key);
    }
  }

  /** Lists unknown values of a graph and its subgraphs. */
  collect(graph: Graph, prefix = ''): void {
    const produced = new Set<string>(graph.inputs);
    for (const n of graph.nodes) {
      for (const o of n.outputs) if (o) produced.add(o);
      for (const a of n.attributes.values()) {
        if (a.type === 'graph') this.collect(a.value, `${prefix}${n.name}/`);
        if (a.type === 'graphs') a.value.forEach((g) => this.collect(g, `${prefix}${n.name}/`));
      }
    }
    for (const name of produced) {
      const v = graph.values.get(name);
      if (v && !isComplete(v.type)) this.unknown.push({ value: prefix + name, reason: v.unknownReason ?? 'type not declared and not inferred' });
    }
  }
}

function resolveRefs(attributes: ReadonlyMap<string, Attribute>, caller: ReadonlyMap<string, Attribute>): ReadonlyMap<string, Attribute> {
  let resolved: Map<string, Attribute> | undefined;
  for (const [key, a] of attributes) {
    if (a.type !== 'ref') continue;
    resolved ??= new Map(attributes);
    const value = caller.get(a.value);
    if (value) resolved.set(key, value);
    else resolved.delete(key);
  }
  return resolved ?? attributes;
}

/**
 * Fills Value.type (and knownValues for small shape tensors) for every value of the model's graph
 * and subgraphs. Mutates the model's values; returns the dims bound and the values left unknown.
 */
export function inferShapes(model: Model, options: ShapeInferenceOptions = {}): ShapeInferenceResult {
  const { bound: boundDims, assumed: assumedDims, open: openDims } = resolveInputDims(model.graph, options, (name) => {
    const v = model.graph.values.get(name);
    return v ? typeBeforeInference(v) : undefined;
  }, model.metadata);
  const inference = new ShapeInference(model, boundDims);
  inference.prepareGraph(model.graph);
  inference.inferGraph(model.graph, new Scope(model.graph));
  inference.collect(model.graph);
  return { boundDims, assumedDims, openDims, unknown: inference.unknown };
}
