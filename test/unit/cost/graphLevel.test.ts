import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { IrGraph, layerNamed } from './irFixture';

describe('unknown operators', () => {
  it('are marked unknown and listed with their nodes, never silently zero-and-exact', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [4, 4]);
    g.node('MysteryOp', ['x'], [['y', 'float32', [4, 4]]], {}, { domain: 'custom.ops', name: 'm1' });
    g.node('MysteryOp', ['y'], [['z', 'float32', [4, 4]]], {}, { domain: 'custom.ops', name: 'm2' });
    g.node('Relu', ['z'], [['r', 'float32', [4, 4]]], {}, { name: 'relu' });
    const { layers, unknownOps } = costGraph(g.model());
    const m1 = layerNamed(layers, 'm1');
    assert.equal(m1.confidence, 'unknown');
    assert.match(m1.note ?? '', /no cost rule for custom\.ops:MysteryOp/);
    assert.equal(m1.bytes.inputs, 64, 'bytes are still known from shapes');
    assert.deepEqual(unknownOps, [{ opType: 'MysteryOp', domain: 'custom.ops', count: 2, nodes: ['m1', 'm2'] }]);
    assert.equal(layerNamed(layers, 'relu').confidence, 'exact');
  });

  it('a default-domain op in another domain is not matched by name alone', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [4]);
    g.node('Relu', ['x'], [['y', 'float32', [4]]], {}, { domain: 'my.domain', name: 'r' });
    assert.equal(costGraph(g.model()).unknownOps.length, 1);
  });

  it('a rule failing on malformed attributes yields unknown, not a crash', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1, 4, 8, 8]);
    g.weight('w', [4, 1, 3, 3]);
    g.node('Conv', ['x', 'w'], [['y', 'float32', [1, 4, 6, 6]]], { group: 0 }, { name: 'bad' });
    const l = layerNamed(costGraph(g.model()).layers, 'bad');
    assert.notEqual(l.confidence, 'exact');
    assert.ok(Number.isFinite(l.macs));
    assert.ok(l.gemm === undefined || [l.gemm.m, l.gemm.n, l.gemm.k, l.gemm.batch].every(Number.isFinite), 'no NaN GEMM view');
  });
});

describe('shape operators', () => {
  it('Reshape/Squeeze/Flatten move nothing and say so; Transpose and Concat copy', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [2, 3, 4]);
    g.weight('shape', [2], 'int64', [6, 4]);
    g.node('Reshape', ['x', 'shape'], [['r', 'float32', [6, 4]]], {}, { name: 'reshape' });
    g.node('Transpose', ['r'], [['t', 'float32', [4, 6]]], { perm: [1, 0] }, { name: 'transpose' });
    g.node('Concat', ['t', 't'], [['c', 'float32', [8, 6]]], { axis: 0 }, { name: 'concat' });
    const { layers } = costGraph(g.model());
    const reshape = layerNamed(layers, 'reshape');
    assert.deepEqual(reshape.bytes, { weights: 0, inputs: 0, outputs: 0 });
    assert.equal(reshape.params, 0);
    assert.match(reshape.note ?? '', /metadata-only/);
    assert.equal(reshape.confidence, 'exact');
    assert.deepEqual(layerNamed(layers, 'transpose').bytes, { weights: 0, inputs: 96, outputs: 96 });
    assert.deepEqual(layerNamed(layers, 'concat').bytes, { weights: 0, inputs: 192, outputs: 192 });
    assert.equal(layerNamed(layers, 'concat').macs + layerNamed(layers, 'concat').flops.elementwise, 0);
  });

  it('an embedding Gather reads only the rows it picks but counts the whole table as parameters', () => {
    const g = new IrGraph();
    g.input('ids', 'int64', [2, 8]);
    g.weight('table', [30000, 64]);
    g.node('Gather', ['table', 'ids'], [['e', 'float32', [2, 8, 64]]], { axis: 0 }, { name: 'embed' });
    const l = layerNamed(costGraph(g.model()).layers, 'embed');
    assert.equal(l.bytes.weights, 16 * 64 * 4);
    assert.equal(l.params, 30000 * 64);
    assert.equal(l.bytes.inputs, 16 * 8, 'int64 indices');
  });

  it('Slice reads the slice, not the whole tensor; its bounds are control inputs', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [100, 10]);
    g.weight('st', [1], 'int64', [0]);
    g.weight('en', [1], 'int64', [10]);
    g.node('Slice', ['x', 'st', 'en'], [['y', 'float32', [10, 10]]], {}, { name: 'slice' });
    assert.deepEqual(layerNamed(costGraph(g.model()).layers, 'slice').bytes, { weights: 0, inputs: 400, outputs: 400 });
  });
});

describe('control flow', () => {
  function branch(name: string, ops: number): IrGraph {
    const b = new IrGraph(name);
    let prev = 'x';
    for (let i = 0; i < ops; i++) prev = b.node('Relu', [prev], [[`${name}_${i}`, 'float32', [1000]]], {}, { name: `${name}_relu${i}` })[0]!;
    return b;
  }

  it('If is costed as its costlier branch, subgraph values resolved from the outer scope', () => {
    const g = new IrGraph();
    g.input('x', 'float32', [1000]);
    g.input('cond', 'bool', []);
    g.node('If', ['cond'], [['y', 'float32', [1000]]], { then_branch: branch('then', 1).graph(), else_branch: branch('else', 3).graph() }, { name: 'if' });
    const l = layerNamed(costGraph(g.model()).layers, 'if');
    assert.equal(l.flops.elementwise, 3000);
    assert.match(l.note ?? '', /costlier branch \(else/);
    assert.equal(l.confidence, 'exact');
  });

  it('Loop multiplies its body by a known trip count, and flags an unknown one', () => {
    const body = new IrGraph('body');
    body.input('i', 'int64', []);
    body.input('c', 'bool', []);
    body.weight('w', [16, 16]);
    body.node('MatMul', ['x', 'w'], [['h', 'float32', [1, 16]]], {}, { name: 'body_mm' });
    const g = new IrGraph();
    g.input('x', 'float32', [1, 16]);
    g.weight('trips', [], 'int64', [5]);
    g.input('n', 'int64', []);
    g.node('Loop', ['trips', ''], [['out', 'float32', [1, 16]]], { body: body.graph() }, { name: 'loop' });
    g.node('Loop', ['n', ''], [['out2', 'float32', [1, 16]]], { body: body.graph() }, { name: 'loop_unknown' });
    const { layers } = costGraph(g.model());
    const known = layerNamed(layers, 'loop');
    assert.equal(known.macs, 5 * 256);
    assert.equal(known.params, 256, 'weights are the same every iteration');
    assert.equal(known.confidence, 'exact');
    const unknown = layerNamed(layers, 'loop_unknown');
    assert.equal(unknown.macs, 256);
    assert.equal(unknown.confidence, 'partial');
    assert.match(unknown.note ?? '', /trip count unknown/);
  });

  it('Scan takes its trip count from the scan axis; unknown ops in bodies are listed', () => {
    const body = new IrGraph('scan_body');
    body.node('Tanh', ['xs'], [['ys', 'float32', [4]]], {}, { name: 'scan_tanh' });
    body.node('Weird', ['ys'], [['zs', 'float32', [4]]], {}, { domain: 'x.y', name: 'scan_weird' });
    const g = new IrGraph();
    g.input('seq', 'float32', [7, 4]);
    g.node('Scan', ['seq'], [['out', 'float32', [7, 4]]], { body: body.graph(), num_scan_inputs: 1 }, { name: 'scan' });
    const { layers, unknownOps } = costGraph(g.model());
    const l = layerNamed(layers, 'scan');
    assert.equal(l.flops.transcendental, 7 * 4);
    assert.equal(l.confidence, 'partial');
    assert.match(l.note ?? '', /unknown op Weird/);
    assert.deepEqual(unknownOps.map((u) => u.opType), ['Weird']);
  });
});
