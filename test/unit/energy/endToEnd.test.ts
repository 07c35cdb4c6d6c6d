/**
 * The energy model on real cost output: example models built by the project, read, shape-inferred
 * and costed by costGraph, then estimated and advised on every shipped profile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../../src/core/advise/advise';
import { costGraph } from '../../../src/core/cost/costGraph';
import { estimate, type EstimateInput } from '../../../src/core/energy/estimate';
import { getProfile, shippedProfiles } from '../../../src/core/energy/profileRegistry';
import { exampleModelBytes } from '../../../src/core/examples';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';

function inputFor(id: string, dims: Record<string, number> = {}): EstimateInput {
  const model = loadModelFromSource(new BufferByteSource(exampleModelBytes(id), `${id}.onnx`), { batch: 1, dims });
  const { layers, unknownOps } = costGraph(model);
  return {
    model: { path: `${id}.onnx`, format: 'onnx', params: layers.reduce((s, l) => s + l.params, 0), weightBytes: layers.reduce((s, l) => s + l.bytes.weights, 0) },
    layers, unknownOps, warnings: [], dims, batch: 1,
  };
}

test('small CNN and transformer give finite, consistent analyses and advice on every profile', () => {
  for (const input of [inputFor('small-cnn'), inputFor('transformer', { sequence: 32 })]) {
    for (const profile of shippedProfiles()) {
      const a = estimate(input, profile);
      const label = `${input.model.path} on ${profile.id}`;
      assert.ok(a.totals.energy.totalJ > 0 && Number.isFinite(a.totals.energy.totalJ), label);
      assert.ok(a.totals.latencyS > 0, label);
      for (const l of a.layers) {
        assert.ok(Number.isFinite(l.energy.totalJ) && l.energy.totalJ >= 0, `${label}: ${l.name}`);
        assert.ok(l.bytes.offChipFloor <= Object.entries(l.bytes.byLevel).filter(([n]) => !profile.memory.find((m) => m.name === n)!.onChip).reduce((s, [, b]) => s + b, 0) + 1e-6, `${label}: ${l.name} floor`);
      }
      const advice = advise(input, profile);
      for (const r of advice.recommendations) assert.ok(r.savingJ > 0 && r.savingShare <= 1, `${label}: ${r.layer} ${r.action}`);
    }
  }
});

test('a batch-1 transformer on a big GPU is dispatch-bound, idle power dominates, and fp16 is advised', () => {
  const input = inputFor('transformer', { sequence: 32 });
  const a100 = getProfile('a100')!;
  const a = estimate(input, a100);
  const e = a.totals.energy;
  assert.ok(e.staticJ > 0.9 * e.totalJ, 'idle power over the latency dominates');
  assert.ok(a.layers.filter((l) => l.bound === 'overhead').length > a.layers.length / 2, 'tiny ops are dispatch-bound on a big GPU');
  const advice = advise(input, a100, { minShare: 0 });
  assert.equal(advice.recommendations[0]!.action, 'fuse', 'removing dispatches saves the most');
  const fp16 = advice.recommendations.filter((r) => r.action === 'fp16');
  assert.ok(fp16.length > 0, 'fp32 matrix products run on CUDA cores: half precision moves them to tensor cores');
  assert.ok(fp16.every((r) => input.layers.find((l) => l.name === r.layer)!.opType === 'MatMul'));
  // With the default threshold (0.1% of the model), such small savings are not shown.
  assert.ok(!advise(input, a100).recommendations.some((r) => r.action === 'fp16'));
});
