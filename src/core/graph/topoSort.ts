/**
 * Topological order of a graph's nodes. Exporters sometimes write valid graphs out of order; ONNX
 * requires order, so readers sort them (and warn) and report cycles, which make a graph invalid.
 */
import type { Graph, Node } from './ir';

export type TopologicalResult =
  | { readonly ok: true; readonly nodes: readonly Node[]; readonly wasSorted: boolean }
  | { readonly ok: false; /** Names of nodes on or behind a cycle. */ readonly cycle: readonly string[] };

/** Names a subgraph reads from enclosing scopes (its implicit inputs), recursively. */
export function outerScopeNames(graph: Graph): Set<string> {
  const local = new Set<string>([...graph.inputs, ...graph.initializers]);
  for (const n of graph.nodes) for (const o of n.outputs) local.add(o);
  const outer = new Set<string>();
  for (const n of graph.nodes) {
    for (const name of nodeReads(n)) if (name !== '' && !local.has(name)) outer.add(name);
  }
  for (const o of graph.outputs) if (!local.has(o)) outer.add(o);
  return outer;
}

/** Every value name a node reads: its inputs and its subgraphs' implicit inputs. */
export function nodeReads(node: Node): string[] {
  const names = [...node.inputs];
  for (const a of node.attributes.values()) {
    if (a.type === 'graph') names.push(...outerScopeNames(a.value));
    else if (a.type === 'graphs') for (const g of a.value) names.push(...outerScopeNames(g));
  }
  return names;
}

export function topologicalOrder(nodes: readonly Node[]): TopologicalResult {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => { if (o !== '' && !producer.has(o)) producer.set(o, i); }));

  const deps: number[][] = nodes.map((n) => {
    const set = new Set<number>();
    for (const name of nodeReads(n)) {
      const p = producer.get(name);
      if (p !== undefined) set.add(p);
    }
    return [...set];
  });

  if (deps.every((d, i) => d.every((p) => p < i))) return { ok: true, nodes, wasSorted: true };

  const dependents: number[][] = nodes.map(() => []);
  const pending = deps.map((d) => d.length);
  deps.forEach((d, i) => d.forEach((p) => dependents[p]!.push(i)));
  const ready: number[] = [];
  pending.forEach((count, i) => { if (count === 0) ready.push(i); });
  const order: Node[] = [];
  for (let head = 0; head < ready.length; head++) {
    const i = ready[head]!;
    order.push(nodes[i]!);
    for (const j of dependents[i]!) if (--pending[j]! === 0) ready.push(j);
  }
  if (order.length < nodes.length) {
    return { ok: false, cycle: nodes.filter((_, i) => pending[i]! > 0).map((n) => n.name) };
  }
  return { ok: true, nodes: order, wasSorted: false };
}
