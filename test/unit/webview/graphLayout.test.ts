import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerAnalysis } from '../../../src/core/energy/analysis';
import type { LayerGraph } from '../../../src/core/report/layerGraph';
import { layoutGraph, type Layout } from '../../../webview/lib/graphLayout';
import { buildGraphModel, scopeOf, searchNodes } from '../../../webview/lib/graphModel';

function layer(name: string, opType: string, kernel?: LayerAnalysis['kernel']): LayerAnalysis {
  return {
    name,
    opType,
    domain: '',
    macs: 0,
    flops: 0,
    params: 0,
    precision: 'fp32',
    outputShapes: [],
    bytes: { weights: 0, inputs: 0, outputs: 0, byLevel: {}, offChipFloor: 0 },
    energy: { computeJ: 0, onChipJ: 0, offChipJ: 0, staticJ: 0, totalJ: 0 },
    latencyS: 0,
    bound: 'compute',
    intensity: 0,
    energyShare: 0,
    confidence: 'exact',
    ...(kernel ? { kernel } : {}),
  };
}

function layoutOf(count: number, edges: [number, number][]): Layout {
  return layoutGraph({ nodeCount: count, from: Int32Array.from(edges, (e) => e[0]), to: Int32Array.from(edges, (e) => e[1]), nodeWidth: 100, nodeHeight: 30 });
}

function overlaps(l: Layout, count: number): boolean {
  for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) if (l.y[a] === l.y[b] && Math.abs(l.x[a]! - l.x[b]!) < 100) return true;
  return false;
}

describe('graph layout', () => {
  it('puts every consumer below its producers, without overlapping boxes', () => {
    // A residual block: 0 -> 1 -> 2 -> 3 and 0 -> 3, plus a branch 1 -> 4 -> 3.
    const edges: [number, number][] = [[0, 1], [1, 2], [2, 3], [0, 3], [1, 4], [4, 3]];
    const l = layoutOf(5, edges);
    for (const [f, t] of edges) assert.ok(l.y[t]! > l.y[f]!, `${t} below ${f}`);
    assert.equal(l.y[2], l.y[4], 'the two branches share a rank');
    assert.ok(!overlaps(l, 5));
    // The skip edge 0 -> 3 spans three ranks: it gets bend points between its ends.
    const skip = edges.findIndex(([f, t]) => f === 0 && t === 3);
    assert.equal((l.offsets[skip + 1]! - l.offsets[skip]!) / 2, 4);
  });

  it('lays out a 20,000-deep chain without recursion limits', () => {
    const n = 20_000;
    const edges: [number, number][] = Array.from({ length: n - 1 }, (_, i) => [i, i + 1]);
    const l = layoutOf(n, edges);
    assert.equal(l.rank[n - 1], n - 1);
    assert.equal(l.x[0], l.x[n - 1], 'a chain is one straight column');
  });

  it('orders a rank to follow its parents (no crossing in two parallel chains)', () => {
    const edges: [number, number][] = [[0, 3], [1, 2]];
    const l = layoutOf(4, edges);
    assert.equal(Math.sign(l.x[1]! - l.x[0]!), Math.sign(l.x[2]! - l.x[3]!));
  });
});

describe('graph model', () => {
  const graph: LayerGraph = { edges: [{ from: 0, to: 1, bytes: 10, tensor: 'a' }, { from: 1, to: 2, bytes: 20, tensor: 'b' }, { from: 0, to: 2, bytes: 5, tensor: 'a' }, { from: 2, to: 3, bytes: 7, tensor: 'c' }] };

  it('draws one node per layer when the analysis has no fused kernels', () => {
    const layers = [layer('conv', 'Conv'), layer('relu', 'Relu'), layer('add', 'Add'), layer('out', 'MatMul')];
    const m = buildGraphModel(layers, graph);
    assert.equal(m.nodes.length, 4);
    assert.equal(m.edges.length, 4);
    assert.deepEqual(searchNodes(m, layers, 'REL'), [1]);
    assert.deepEqual(searchNodes(m, layers, 'matmul'), [3]);
    assert.deepEqual(searchNodes(m, layers, '  '), []);
  });

  it('draws layers sharing a kernel id as one box, merging their edges and dropping inner ones', () => {
    const k = { id: 'k0', kernelClass: 'conv', members: ['conv', 'relu', 'add'] };
    const layers = [layer('conv', 'Conv', k), layer('relu', 'Relu', k), layer('add', 'Add', k), layer('out', 'MatMul', { id: 'k1', kernelClass: 'gemm', members: ['out'] })];
    const m = buildGraphModel(layers, graph);
    assert.equal(m.nodes.length, 2);
    assert.deepEqual(m.nodes[0]!.layers, [0, 1, 2]);
    assert.equal(m.nodes[0]!.kernelClass, 'conv');
    assert.equal(m.nodes[0]!.label, 'conv: Conv+Relu+Add');
    assert.equal(m.nodes[1]!.kernelClass, undefined, 'a one-layer kernel is a plain node');
    assert.deepEqual(m.edges, [{ from: 0, to: 1, bytes: 7 }]);
    assert.deepEqual([...m.nodeOfLayer], [0, 0, 0, 1]);
  });

  it('collapses layers under a name scope into one box, and opens the scopes the user expanded', () => {
    assert.equal(scopeOf('/encoder/layers.0/attn/q/MatMul', 2), '/encoder/layers.0');
    assert.equal(scopeOf('/encoder/MatMul', 2), undefined, 'a layer directly in the scope is not under it');
    assert.equal(scopeOf('conv1', 1), undefined);
    const layers = [layer('/emb/Gather', 'Gather'), layer('/blk.0/a/MatMul', 'MatMul'), layer('/blk.0/b/Add', 'Add'), layer('/blk.1/a/MatMul', 'MatMul')];
    const chain: LayerGraph = { edges: [{ from: 0, to: 1, bytes: 1, tensor: 'x' }, { from: 1, to: 2, bytes: 2, tensor: 'y' }, { from: 2, to: 3, bytes: 3, tensor: 'z' }] };
    const closed = buildGraphModel(layers, chain, { scopeDepth: 1 });
    assert.deepEqual(closed.nodes.map((n) => n.scope), [undefined, '/blk.0', undefined], 'single-layer scopes stay plain layers');
    assert.deepEqual(closed.nodes[1]!.layers, [1, 2]);
    assert.deepEqual(closed.edges.map((e) => [e.from, e.to, e.bytes]), [[0, 1, 1], [1, 2, 3]]);
    const open = buildGraphModel(layers, chain, { scopeDepth: 1, expanded: new Set(['/blk.0']) });
    assert.equal(open.nodes.length, 4);
  });
});
