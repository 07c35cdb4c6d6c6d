// The graph the Graph view draws: one node per layer, or one per fused kernel when the estimator's
// execution model says which layers run together (LayerAnalysis.kernel). Pure: tested under node.
import type { LayerAnalysis } from '../../src/core/energy/analysis';
import type { LayerGraph } from '../../src/core/report/layerGraph';

export interface GraphNode {
  /** Layer indices (into Analysis.layers) this node stands for, in model order. */
  readonly layers: readonly number[];
  /** First line of the box: the op type, or the kernel class and its ops for a fused group. */
  readonly label: string;
  /** Second line: the layer's name (the first member's for a group). */
  readonly name: string;
  /** Set for a fused kernel of two or more layers. */
  readonly kernelClass?: string;
  /** Set for a collapsed name scope (e.g. `/encoder/layers.3`) of two or more layers. */
  readonly scope?: string;
}

export interface GroupOptions {
  /** Collapse layers whose names lie under a scope of this many path segments (0: no scopes). */
  readonly scopeDepth?: number;
  /** Scopes the user opened again. */
  readonly expanded?: ReadonlySet<string>;
}

/** The scope of a layer name at a depth: `/encoder/layers.0/attn/q/MatMul` at 2 is `/encoder/layers.0`. */
export function scopeOf(name: string, depth: number): string | undefined {
  if (depth <= 0) return undefined;
  const parts = name.split('/').filter((p) => p !== '');
  return parts.length > depth ? `/${parts.slice(0, depth).join('/')}` : undefined;
}

export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** Estimated bytes of the tensors between the two nodes (parallel tensors summed). */
  readonly bytes: number;
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Node index of each layer. */
  readonly nodeOfLayer: Int32Array;
}

function groupLabel(layers: readonly LayerAnalysis[], members: readonly number[], kernelClass: string): string {
  const ops = [...new Set(members.map((i) => layers[i]!.opType))];
  const joined = ops.join('+');
  return `${kernelClass}: ${joined.length <= 28 ? joined : `${members.length} ops`}`;
}

/**
 * Nodes and the edges between them (self-edges dropped): layers under a collapsed name scope are one
 * node, else layers sharing a kernel.id are one node, else one node per layer.
 */
export function buildGraphModel(layers: readonly LayerAnalysis[], graph: LayerGraph | undefined, options: GroupOptions = {}): GraphModel {
  const nodeOfLayer = new Int32Array(layers.length);
  const nodes: GraphNode[] = [];
  const byKernel = new Map<string, number[]>();
  const order: (number[] | number)[] = [];
  const scopes = new Set<string>();
  layers.forEach((layer, i) => {
    const scope = scopeOf(layer.name, options.scopeDepth ?? 0);
    const collapsed = scope !== undefined && !options.expanded?.has(scope) ? scope : undefined;
    if (collapsed) scopes.add(collapsed);
    const id = collapsed !== undefined ? `scope\u0000${collapsed}` : layer.kernel === undefined ? undefined : `kernel\u0000${layer.kernel.id}`;
    if (id === undefined) {
      order.push(i);
      return;
    }
    let members = byKernel.get(id);
    if (!members) {
      members = [];
      byKernel.set(id, members);
      order.push(members);
    }
    members.push(i);
  });
  for (const entry of order) {
    const index = nodes.length;
    if (typeof entry === 'number' || entry.length === 1) {
      const i = typeof entry === 'number' ? entry : entry[0]!;
      nodeOfLayer[i] = index;
      nodes.push({ layers: [i], label: layers[i]!.opType, name: layers[i]!.name });
      continue;
    }
    for (const i of entry) nodeOfLayer[i] = index;
    const first = layers[entry[0]!]!;
    const scope = scopeOf(first.name, options.scopeDepth ?? 0);
    if (scope !== undefined && scopes.has(scope) && entry.every((i) => scopeOf(layers[i]!.name, options.scopeDepth ?? 0) === scope)) {
      nodes.push({ layers: entry, label: `${entry.length} layers`, name: scope, scope });
      continue;
    }
    const kernelClass = first.kernel!.kernelClass;
    nodes.push({ layers: entry, label: groupLabel(layers, entry, kernelClass), name: first.name, kernelClass });
  }
  const merged = new Map<number, GraphEdge>();
  const n = nodes.length;
  for (const e of graph?.edges ?? []) {
    const from = nodeOfLayer[e.from]!;
    const to = nodeOfLayer[e.to]!;
    if (from === to) continue;
    const key = from * n + to;
    const old = merged.get(key);
    merged.set(key, { from, to, bytes: (old?.bytes ?? 0) + e.bytes });
  }
  return { nodes, edges: [...merged.values()], nodeOfLayer };
}

/** Node indices whose layer name or op type contains the text (case-insensitive). */
export function searchNodes(model: GraphModel, layers: readonly LayerAnalysis[], text: string): number[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const hits: number[] = [];
  model.nodes.forEach((node, i) => {
    if (node.layers.some((l) => layers[l]!.name.toLowerCase().includes(q) || layers[l]!.opType.toLowerCase().includes(q))) hits.push(i);
  });
  return hits;
}
