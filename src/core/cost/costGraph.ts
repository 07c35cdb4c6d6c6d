/**
 * Costs every node of a model's main graph with the per-op rules (registry.ts). Subgraphs of
 * If/Loop/Scan are folded into their parent node; unknown operators are listed and marked
 * 'unknown', never counted as zero silently.
 */
import type { Model, Node } from '../graph/ir';
import type { UnknownOp } from '../energy/analysis';
import { assembleCost } from './assemble';
import { type CostContext, GraphCostContext, type UnknownSink } from './context';
import { findRule } from './registry';
import { functionCallCost } from './rules/controlFlow';
import type { LayerCost, OpCost } from './types';

export interface CostGraphResult {
  /** One entry per node of the main graph, in graph order. */
  readonly layers: LayerCost[];
  /** Operators no rule covers, anywhere in the model (subgraphs included), grouped by type. */
  readonly unknownOps: UnknownOp[];
  /** Set when hostile function calls were not expanded (recursion, expansion budget). */
  readonly warnings?: readonly string[];
}

/** How many node names each UnknownOp lists. */
const NAMES_LISTED = 5;

class UnknownCollector implements UnknownSink {
  private readonly byType = new Map<string, { opType: string; domain: string; count: number; nodes: string[] }>();

  add(node: Node): void {
    const key = `${node.domain}\u0000${node.opType}`;
    let entry = this.byType.get(key);
    if (!entry) {
      entry = { opType: node.opType, domain: node.domain, count: 0, nodes: [] };
      this.byType.set(key, entry);
    }
    entry.count++;
    if (entry.nodes.length < NAMES_LISTED) entry.nodes.push(node.name);
  }

  list(): UnknownOp[] {
    return [...this.byType.values()].sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));
  }
}

function unknownCost(node: Node, ctx: CostContext, why: string): OpCost {
  const withBytes = assembleCost(node, ctx, {});
  return { ...withBytes, confidence: 'unknown', note: why };
}

function ok(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}

/** Rules are pure arithmetic on file data: guard against NaN/Infinity from malformed attributes. */
function sanitize(cost: OpCost): OpCost {
  const { flops: f, bytes: b, gemm: g } = cost;
  // Checked term by term, without allocating: this runs for every node.
  const gemmOk = !g || (ok(g.m) && ok(g.n) && ok(g.k) && ok(g.batch));
  if (ok(cost.macs) && ok(f.mac) && ok(f.elementwise) && ok(f.transcendental) && ok(cost.params)
    && ok(b.weights) && ok(b.inputs) && ok(b.outputs) && gemmOk) return cost;
  const fix = (n: number): number => (Number.isFinite(n) && n >= 0 ? n : 0);
  const { gemm, ...rest } = cost;
  return {
    ...rest,
    ...(gemm && gemmOk ? { gemm } : {}),
    macs: fix(cost.macs),
    flops: { mac: fix(cost.flops.mac), elementwise: fix(cost.flops.elementwise), transcendental: fix(cost.flops.transcendental) },
    params: fix(cost.params),
    bytes: { weights: fix(cost.bytes.weights), inputs: fix(cost.bytes.inputs), outputs: fix(cost.bytes.outputs) },
    confidence: cost.confidence === 'unknown' ? 'unknown' : 'partial',
    note: `${cost.note ? `${cost.note}; ` : ''}some counts were not finite (inconsistent shapes or attributes) and were dropped`,
  };
}

export function costNode(node: Node, ctx: CostContext): OpCost {
  const rule = findRule(node.domain, node.opType);
  try {
    if (rule) return sanitize(rule(node, ctx));
    const fn = ctx.model.functions.get(`${node.domain}:${node.opType}`);
    if (fn) return sanitize(functionCallCost(node, ctx, fn));
  } catch (error) {
    ctx.unknownSink.add(node);
    return unknownCost(node, ctx, `cost rule failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  ctx.unknownSink.add(node);
  return unknownCost(node, ctx, `no cost rule for ${node.domain || 'ai.onnx'}:${node.opType}: cost unknown (not zero)`);
}

function layerOf(node: Node, ctx: CostContext, cost: OpCost): LayerCost {
  const activationInputs: string[] = [];
  const inputShapes: LayerCost['inputShapes'][number][] = [];
  for (const name of node.inputs) {
    inputShapes.push(name ? ctx.shape(name) : undefined);
    if (name && !ctx.constant(name)) activationInputs.push(name);
  }
  const outputShapes: LayerCost['outputShapes'][number][] = [];
  const activationOutputs: string[] = [];
  for (const name of node.outputs) {
    outputShapes.push(name ? ctx.shape(name) : undefined);
    if (name) activationOutputs.push(name);
  }
  // Built field by field (not spread) so every layer object has the same shape: cheaper to make and read.
  const layer: LayerCost = {
    name: node.name,
    opType: node.opType,
    domain: node.domain,
    macs: cost.macs,
    flops: cost.flops,
    params: cost.params,
    bytes: cost.bytes,
    precision: cost.precision,
    confidence: cost.confidence,
    inputShapes,
    outputShapes,
    activationInputs,
    activationOutputs,
    ...(cost.note !== undefined ? { note: cost.note } : {}),
    ...(cost.gemm !== undefined ? { gemm: cost.gemm } : {}),
  };
  return layer;
}

function costNodes(ctx: CostContext): LayerCost[] {
  return ctx.graph.nodes.map((node) => layerOf(node, ctx, costNode(node, ctx)));
}

/** Costs a model whose values carry types and shapes (run shape inference first). */
export function costGraph(model: Model): CostGraphResult {
  const unknown = new UnknownCollector();
  const ctx = new GraphCostContext(model, model.graph, unknown, costNodes);
  const layers = costNodes(ctx);
  const problem = ctx.functions.problem;
  return { layers, unknownOps: unknown.list(), ...(problem ? { warnings: [`Truncated analysis: ${problem}`] } : {}) };
}
