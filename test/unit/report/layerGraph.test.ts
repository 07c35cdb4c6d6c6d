import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costGraph } from '../../../src/core/cost/costGraph';
import { exampleModelBytes } from '../../../src/core/examples';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';
import { layerGraph } from '../../../src/core/report/layerGraph';

function layersOf(id: string) {
  const model = loadModelFromSource(new BufferByteSource(exampleModelBytes(id), `${id}.onnx`), { batch: 1 });
  return costGraph(model).layers;
}

test('layerGraph: ResNet-18 residual adds have two producers, edges run forward, the stem has none', () => {
  const layers = layersOf('resnet18');
  const { edges } = layerGraph(layers);
  const into = (i: number) => edges.filter((e) => e.to === i);
  for (const [i, l] of layers.entries()) {
    if (l.opType === 'Add') assert.equal(into(i).length, 2, `${l.name} adds two tensors`);
  }
  assert.ok(layers.some((l) => l.opType === 'Add'));
  assert.equal(into(0).length, 0, 'the first layer reads the graph input, not a layer');
  for (const e of edges) assert.ok(e.from < e.to, 'nodes are in topological order');
  // Every consumer of a layer's only output gets that output's bytes: the stem conv writes 1×64×112×112 fp32.
  const fromStem = edges.filter((e) => e.from === 0);
  assert.ok(fromStem.length >= 1);
  for (const e of fromStem) assert.equal(e.bytes, layers[0]!.bytes.outputs);
  assert.equal(layers[0]!.bytes.outputs, 64 * 112 * 112 * 4);
});

test('layerGraph: outputs of a multi-output layer split its bytes by size; weights and repeated inputs add no edge', () => {
  const shape = (n: number) => [n];
  const layers = [
    { activationInputs: ['x'], activationOutputs: ['a', 'b'], outputShapes: [shape(3), shape(1)], bytes: { outputs: 16 } },
    { activationInputs: ['a', 'a', 'w'], activationOutputs: ['c'], outputShapes: [shape(3)], bytes: { outputs: 12 } },
    { activationInputs: ['b', 'c'], activationOutputs: ['d'], outputShapes: [undefined], bytes: { outputs: 4 } },
  ];
  const { edges } = layerGraph(layers);
  assert.deepEqual(edges, [
    { from: 0, to: 1, bytes: 12, tensor: 'a' },
    { from: 0, to: 2, bytes: 4, tensor: 'b' },
    { from: 1, to: 2, bytes: 12, tensor: 'c' },
  ]);
});
