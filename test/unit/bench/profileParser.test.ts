import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchLayer, parseOrtProfile, timeByLayer, toMeasuredLayers } from '../../../src/core/bench/profileParser';

const node = (name: string, ts: number, dur: number, op: string) => ({ cat: 'Node', name, ts, dur, ph: 'X', args: { op_name: op, provider: 'CPUExecutionProvider' } });
const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', ts, dur, ph: 'X', args: {} });

const trace = JSON.stringify([
  { cat: 'Session', name: 'session_initialization', ts: 0, dur: 500, args: {} },
  node('conv1_kernel_time', 1000, 900, 'Conv'),
  node('conv1_fence_before', 1000, 1, 'Conv'),
  node('fc_kernel_time', 1900, 90, 'Gemm'),
  run(999, 1000),
  node('conv1_kernel_time', 3000, 100, 'Conv'),
  node('fc_kernel_time', 3100, 20, 'Gemm'),
  run(2999, 200),
  node('conv1_kernel_time', 4000, 120, 'Conv'),
  node('fc_kernel_time', 4120, 30, 'Gemm'),
  run(3999, 200),
]);

test('kernel times are summed per node; fences and session events are ignored', () => {
  const timings = parseOrtProfile(trace);
  assert.deepEqual(timings.map((t) => [t.node, t.opType, t.totalUs, t.calls]), [
    ['conv1', 'Conv', 1120, 3],
    ['fc', 'Gemm', 140, 3],
  ]);
});

test('the first runs can be left out (their one-time allocations would skew the means)', () => {
  const timings = parseOrtProfile(trace, 1);
  assert.deepEqual(timings.map((t) => [t.node, t.totalUs, t.calls]), [['conv1', 220, 2], ['fc', 50, 2]]);
  const layers = toMeasuredLayers(timings, 2, new Set(['conv1', 'fc']));
  assert.equal(layers[0]?.meanMs, 0.11);
  assert.equal(layers[1]?.meanMs, 0.025);
  assert.ok(Math.abs((layers[0]?.share ?? 0) - 220 / 270) < 1e-12);
});

test('a file that is not a trace is rejected', () => {
  assert.throws(() => parseOrtProfile('{"a":1}'), /JSON array/);
  assert.throws(() => parseOrtProfile('not json'));
});

test('renamed (fused) nodes map to the layer whose name they contain at a boundary', () => {
  const names = new Set(['conv1', 'conv1_bn', 'relu', 'fc']);
  assert.equal(matchLayer('conv1', names), 'conv1');
  assert.equal(matchLayer('conv1_bn_token_3', names), 'conv1_bn');
  assert.equal(matchLayer('fused_fc', names), 'fc');
  assert.equal(matchLayer('conv12', names), undefined);
  assert.equal(matchLayer('unrelated', names), undefined);
});

test('time by layer adds fused nodes that land on the same layer', () => {
  const byLayer = timeByLayer([
    { node: 'a', opType: 'Conv', provider: 'cpu', layer: 'conv', meanMs: 1, share: 0.5, calls: 1 },
    { node: 'a_relu', opType: 'Relu', provider: 'cpu', layer: 'conv', meanMs: 0.5, share: 0.25, calls: 1 },
    { node: 'b', opType: 'X', provider: 'cpu', meanMs: 0.5, share: 0.25, calls: 1 },
  ]);
  assert.deepEqual([...byLayer], [['conv', 1.5]]);
});
