/**
 * The execution graph (free ops, fusion), kernel classes and precision as executed, on synthetic
 * layers and on the project's own example models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { costGraph } from '../../../src/core/cost/costGraph';
import type { LayerCost } from '../../../src/core/cost/types';
import { estimate, type EstimateInput } from '../../../src/core/energy/estimate';
import { executionGraph } from '../../../src/core/energy/executionGraph';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { buildResNet18, exampleModelBytes } from '../../../src/core/examples';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';
import { applyTransform } from '../../../src/core/transform/applyTransform';
import { openModel } from '../../../src/core/transform/io/openModel';
import { serializeModel } from '../../../src/core/transform/io/serializeModel';
import { elementwise, inputOf, matmul } from './syntheticLayers';
import { testProfile } from './testProfile';

function inputFromBytes(bytes: Uint8Array, name: string): EstimateInput {
  const model = loadModelFromSource(new BufferByteSource(bytes, name), { batch: 1, dims: {} });
  const { layers, unknownOps } = costGraph(model);
  return {
    model: { path: name, format: 'onnx', params: layers.reduce((s, l) => s + l.params, 0), weightBytes: layers.reduce((s, l) => s + l.bytes.weights, 0) },
    layers, unknownOps, warnings: [], dims: {}, batch: 1,
  };
}

const reshape = (name: string, input: string, output: string): LayerCost => ({
  ...elementwise(name, 0, { inputs: [input], outputs: [output] }), opType: 'Reshape', flops: { mac: 0, elementwise: 0, transcendental: 0 },
});

test('shape-only and constant ops run no kernel and cost nothing', () => {
  const constant: LayerCost = { ...elementwise('shape_const', 4), opType: 'Constant', activationInputs: [], activationOutputs: ['c'] };
  const layers = [
    constant,
    matmul('fc1', 64, 256, 256, { inputs: ['x'], outputs: ['h'] }),
    reshape('view', 'h', 'h2'),
    matmul('fc2', 64, 256, 256, { inputs: ['h2'], outputs: ['y'] }),
  ];
  const a = estimate(inputOf(layers), testProfile());
  for (const i of [0, 2]) {
    assert.equal(a.layers[i]!.kernel!.kernelClass, 'none');
    assert.equal(a.layers[i]!.energy.totalJ, 0);
    assert.equal(a.layers[i]!.latencyS, 0);
  }
  // The Reshape is a view: fc2 reads fc1's output from the on-chip buffer, as it would without the Reshape.
  const direct = estimate(inputOf([layers[1]!, matmul('fc2', 64, 256, 256, { inputs: ['h'], outputs: ['y'] })]), testProfile());
  assert.equal(a.layers[3]!.energy.totalJ, direct.layers[1]!.energy.totalJ);
});

test('a GEMM and its activation run as one kernel: one launch, no round trip of the intermediate tensor', () => {
  const layers = [
    matmul('fc', 256, 256, 256, { inputs: ['x'], outputs: ['h'] }),
    elementwise('relu', 256 * 256, { inputs: ['h'], outputs: ['y'] }),
  ];
  const profile = testProfile();
  const a = estimate(inputOf(layers), profile);
  const [fc, relu] = a.layers;
  assert.deepEqual(fc!.kernel, { id: relu!.kernel!.id, kernelClass: 'gemm', members: ['fc', 'relu'] });
  assert.equal(relu!.timing!.overheadS, 0, 'the group pays one launch');
  assert.equal(fc!.timing!.overheadS, profile.perOpOverheadS.value);
  const graph = executionGraph(layers, 'gpu');
  assert.equal(graph.layers[0]!.bytes.outputs, 0, 'the GEMM never writes h');
  assert.equal(graph.layers[1]!.bytes.inputs, 0, 'the ReLU never reads h');
  assert.equal(graph.layers[1]!.bytes.outputs, layers[1]!.bytes.outputs);
  // Neg is no GEMM epilogue: a CPU runtime runs it as its own kernel, a GPU runtime fuses the pointwise chain.
  const neg: LayerCost = { ...elementwise('neg', 256 * 256, { inputs: ['y'], outputs: ['z'] }), opType: 'Neg' };
  const onCpu = executionGraph([...layers, neg], 'cpu');
  assert.equal(onCpu.kernels[1]!.id, onCpu.kernels[0]!.id);
  assert.notEqual(onCpu.kernels[2]!.id, onCpu.kernels[0]!.id);
  assert.equal(executionGraph([...layers, neg], 'gpu').kernels[2]!.id, onCpu.kernels[0]!.id);
});

test('QDQ: QuantizeLinear closes the producing kernel, DequantizeLinear folds into the consuming one', () => {
  const op = (layer: LayerCost, opType: string): LayerCost => ({ ...layer, opType });
  const layers = [
    op(matmul('conv_a', 64, 64, 64, { inputs: ['x'], outputs: ['a'] }), 'Conv'),
    op(elementwise('relu', 64 * 64, { inputs: ['a'], outputs: ['r'] }), 'Relu'),
    op(elementwise('q', 64 * 64, { inputs: ['r'], outputs: ['q8'], precision: 'int8' }), 'QuantizeLinear'),
    op(elementwise('dq', 64 * 64, { inputs: ['q8'], outputs: ['d'] }), 'DequantizeLinear'),
    op(matmul('conv_b', 64, 64, 64, { inputs: ['d'], outputs: ['y'] }), 'Conv'),
  ];
  for (const runtime of ['cpu', 'gpu'] as const) {
    const g = executionGraph(layers, runtime);
    const ids = g.kernels.map((k) => k!.id);
    assert.deepEqual([ids[1], ids[2]], [ids[0], ids[0]], `${runtime}: Conv + ReLU + Quantize is one kernel`);
    assert.deepEqual(ids[3], ids[4], `${runtime}: Dequantize + Conv is one kernel`);
    assert.notEqual(ids[3], ids[0]);
    assert.equal(g.layers[2]!.bytes.outputs, layers[2]!.bytes.outputs, 'the int8 tensor is written');
    assert.equal(g.layers[3]!.bytes.outputs, 0, 'the dequantized tensor never is');
  }
});

test('a tensor with a second reader is written to memory, so its producer does not fuse', () => {
  const layers = [
    matmul('fc', 16, 16, 16, { inputs: ['x'], outputs: ['h'] }),
    elementwise('relu', 256, { inputs: ['h'], outputs: ['y'] }),
    elementwise('skip', 256, { inputs: ['h'], outputs: ['z'] }),
  ];
  const graph = executionGraph(layers, 'gpu');
  assert.notEqual(graph.kernels[1]!.id, graph.kernels[0]!.id);
  assert.equal(graph.layers[0]!.bytes.outputs, layers[0]!.bytes.outputs);
});

test('MobileNetV2 on A100: Conv + BatchNorm + ReLU6 fuse, Flatten is free, every layer still listed', () => {
  const input = inputFromBytes(exampleModelBytes('mobilenet-v2'), 'mobilenet-v2.onnx');
  const a = estimate(input, getProfile('a100')!);
  assert.equal(a.layers.length, input.layers.length);
  const kernels = new Set(a.layers.filter((l) => l.kernel!.kernelClass !== 'none').map((l) => l.kernel!.id));
  const convs = a.layers.filter((l) => l.opType === 'Conv').length;
  // Every BatchNormalization and Clip (ReLU6) rides in its convolution's kernel; the residual Adds
  // fuse where the convolution's output has no other reader; the pool and the classifier stay apart.
  assert.ok(kernels.size <= convs + 3, `${kernels.size} kernels for ${convs} convolutions`);
  for (const l of a.layers.filter((x) => x.opType === 'Clip' || x.opType === 'BatchNormalization')) {
    assert.ok(['conv', 'depthwise'].includes(l.kernel!.kernelClass), `${l.name} runs in ${l.kernel!.kernelClass}`);
  }
  const flatten = a.layers.find((l) => l.opType === 'Flatten')!;
  assert.equal(flatten.kernel!.kernelClass, 'none');
  assert.equal(flatten.energy.totalJ, 0);
  assert.ok(a.warnings.some((w) => w.includes('TF32')), 'fp32 convolutions priced on TF32 tensor cores');
});

test('depthwise convolutions cost more time per MAC than dense ones (their own kernel class)', () => {
  const input = inputFromBytes(exampleModelBytes('mobilenet-v2'), 'mobilenet-v2.onnx');
  const a = estimate(input, getProfile('server-x86')!);
  const perMac = (cls: string) => {
    const ls = a.layers.filter((l) => l.kernel?.kernelClass === cls && l.macs > 0 && (l.opType === 'Conv'));
    return ls.reduce((s, l) => s + l.latencyS, 0) / ls.reduce((s, l) => s + l.macs, 0);
  };
  // The CPU runtime's depthwise kernels reach 0.3 of a dense convolution's efficiency: ≥ 1/0.3 ≈ 3.3× the time per MAC.
  assert.ok(perMac('depthwise') > 3 * perMac('conv'), `${perMac('depthwise')} vs ${perMac('conv')} s/MAC`);
});

test('int8-dynamic ResNet-18 is slower than fp32 on an x86 CPU profile and faster where integer convolutions are fast', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-exec-'));
  try {
    const fp32File = path.join(dir, 'resnet18.onnx');
    buildResNet18().save(fp32File);
    const opened = openModel(fp32File);
    const wm = opened.working();
    applyTransform(wm, { model: fp32File, transform: { op: 'quantize', mode: 'int8-dynamic' } }, []);
    const int8File = path.join(dir, 'resnet18.int8.onnx');
    const fd = fs.openSync(int8File, 'w');
    try { serializeModel(wm, opened.source).writeTo(fd); } finally { fs.closeSync(fd); }
    opened.close();
    const fp32 = inputFromBytes(fs.readFileSync(fp32File), 'resnet18.onnx');
    const int8 = inputFromBytes(fs.readFileSync(int8File), 'resnet18.int8.onnx');
    assert.ok(int8.layers.some((l) => l.opType === 'ConvInteger'));
    for (const id of ['server-x86', 'desktop-x86', 'laptop-x86']) {
      const [f, q] = [estimate(fp32, getProfile(id)!), estimate(int8, getProfile(id)!)];
      assert.ok(q.totals.latencyS > f.totals.latencyS, `${id}: int8 ${q.totals.latencyS} s vs fp32 ${f.totals.latencyS} s`);
      assert.ok(q.warnings.some((w) => w.includes('ConvInteger')), id);
    }
    for (const id of ['a100', 'cortex-m7']) {
      const [f, q] = [estimate(fp32, getProfile(id)!), estimate(int8, getProfile(id)!)];
      assert.ok(q.totals.latencyS < f.totals.latencyS, `${id}: int8 ${q.totals.latencyS} s vs fp32 ${f.totals.latencyS} s`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
