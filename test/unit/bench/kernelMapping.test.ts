import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { buildResNet18, buildTransformerEncoder } from '../../../src/core/examples';
import type { Graph } from '../../../src/core/graph/ir';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { kernelLayersFromFiles } from '../../../src/core/bench/modelInputs';
import { mapKernelsToLayers, type KernelLayers } from '../../../src/core/bench/kernelMapping';
import { runBenchmark } from '../../../src/core/bench/runner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-kernels-'));
const MAC_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

/** The model file, and the graph onnxruntime optimizes it to (written by onnxruntime itself). */
async function optimize(name: string, bytes: Uint8Array, level: 'disabled' | 'basic' | 'all'): Promise<{ model: string; original: Graph; optimized: Graph }> {
  const model = path.join(dir, `${name}.onnx`);
  const optimizedFile = path.join(dir, `${name}.${level}.onnx`);
  fs.writeFileSync(model, bytes);
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: level, optimizedModelFilePath: optimizedFile, intraOpNumThreads: 1 });
  await session.release();
  const graphOf = (file: string): Graph => readOnnxModel(new BufferByteSource(fs.readFileSync(file), file)).graph;
  return { model, original: graphOf(model), optimized: graphOf(optimizedFile) };
}

function assertEachLayerOnce(kernels: KernelLayers, original: Graph): void {
  const seen = new Map<string, string>();
  for (const [kernel, layers] of kernels) {
    for (const layer of layers) {
      assert.equal(seen.get(layer), undefined, `${layer} is in ${kernel} and in ${seen.get(layer)}`);
      seen.set(layer, kernel);
    }
  }
  const executedByNone = original.nodes.filter((n) => !seen.has(n.name)).map((n) => n.name);
  assert.deepEqual(executedByNone, [], 'every layer of the model is executed by some kernel');
}

test('ResNet-18 fully optimized: each fused Conv+BN(+Add)+ReLU kernel is its convolution, never the ReLU it is named after', async () => {
  const { original, optimized } = await optimize('resnet18', buildResNet18({ imageSize: 32, classes: 10 }).toBytes(), 'all');
  const kernels = mapKernelsToLayers(original, optimized);
  assertEachLayerOnce(kernels, original);
  assert.deepEqual(kernels.get('/relu/Relu_out0_nchwc'), ['/conv1/Conv', '/bn1/BatchNormalization', '/relu/Relu']);
  const opOf = new Map(original.nodes.map((n) => [n.name, n.opType]));
  let residualKernels = 0;
  for (const kernel of optimized.nodes.filter((k) => k.opType === 'Conv')) {
    const layers = kernels.get(kernel.name) ?? [];
    assert.equal(opOf.get(layers[0] ?? ''), 'Conv', `${kernel.name} executes ${layers.join(', ')}`);
    assert.equal(layers.filter((l) => opOf.get(l) === 'Conv').length, 1, `${kernel.name} runs exactly one convolution`);
    if (layers.some((l) => opOf.get(l) === 'Add')) residualKernels++;
  }
  assert.equal(residualKernels, 8, 'the 8 residual Adds run inside the convolution before them');
  // Layout reorders onnxruntime inserts execute no layer of the model.
  for (const kernel of optimized.nodes.filter((k) => k.opType.startsWith('Reorder'))) assert.deepEqual(kernels.get(kernel.name), []);
});

test('optimizations off: every kernel is the layer of the same name', async () => {
  const { original, optimized } = await optimize('resnet18-plain', buildResNet18({ imageSize: 32, classes: 10 }).toBytes(), 'disabled');
  const kernels = mapKernelsToLayers(original, optimized);
  assertEachLayerOnce(kernels, original);
  for (const node of optimized.nodes) assert.deepEqual(kernels.get(node.name), [node.name]);
});

test('transformer: the MatMul keeps its own kernel and the fused BiasGelu kernel takes the Add-Div-Erf-Add-Mul chain', async () => {
  const { model, original, optimized } = await optimize('transformer', buildTransformerEncoder().toBytes(), 'all');
  const kernels = kernelLayersFromFiles(model, path.join(dir, 'transformer.all.onnx'));
  assertEachLayerOnce(kernels, original);
  const opOf = new Map(original.nodes.map((n) => [n.name, n.opType]));
  const gelus = optimized.nodes.filter((k) => k.opType === 'BiasGelu');
  assert.equal(gelus.length, 2);
  for (const gelu of gelus) assert.deepEqual((kernels.get(gelu.name) ?? []).map((l) => opOf.get(l)), ['Add', 'Div', 'Erf', 'Add', 'Mul', 'Mul']);
  assert.deepEqual(kernels.get('/encoder/layers.0/mlp/fc1/MatMul'), ['/encoder/layers.0/mlp/fc1/MatMul']);
});

test('a profiled benchmark pins no convolution time on a ReLU, BatchNorm or Add', async (t) => {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const model = path.join(dir, 'resnet18-bench.onnx');
  const graph = readOnnxModel(new BufferByteSource(buildResNet18({ imageSize: 32, classes: 10 }).toBytes(), model)).graph;
  fs.writeFileSync(model, buildResNet18({ imageSize: 32, classes: 10 }).toBytes());
  const result = await runBenchmark({
    modelPath: model, iterations: 2, warmup: 1, profileIterations: 2, intraOpThreads: 1,
    workerPath: path.resolve(__dirname, '../../../src/core/bench/worker.js'),
    layerNames: graph.nodes.map((n) => n.name),
    energy: { powercapRoot: path.join(dir, 'no-powercap'), searchPath: '' },
  });
  const opOf = new Map(graph.nodes.map((n) => [n.name, n.opType]));
  const convKernels = result.layers.filter((l) => l.opType === 'Conv');
  assert.equal(convKernels.length, 20);
  for (const kernel of convKernels) {
    assert.equal(opOf.get(kernel.layer ?? ''), 'Conv', `${kernel.node} is attributed to ${kernel.layer}`);
    assert.ok((kernel.fusedLayers ?? []).every((l) => !MAC_OPS.has(opOf.get(l) ?? '') || l === kernel.layer));
  }
  assert.deepEqual(result.warnings, []);
});
