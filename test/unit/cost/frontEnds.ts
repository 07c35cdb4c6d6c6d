/**
 * One layer through each front end, for the parity test: an ONNX graph made by the project's builder,
 * PyTorch and Keras source through the Python analysis, a TFLite file made by the fixture writer,
 * and a transformer step of the LLM model. Each returns the LayerCost that front end produces.
 */
import assert from 'node:assert/strict';
import { costGraph } from '../../../src/core/cost/costGraph';
import type { LayerCost } from '../../../src/core/cost/types';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';
import { readTflite } from '../../../src/core/formats/tflite';
import type { DataType } from '../../../src/core/graph/ir';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import type { TransformerConfig } from '../../../src/core/llm/transformerConfig';
import { type LlmStep, transformerStepLayers } from '../../../src/core/llm/tokenLayers';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import { type TfliteOptionsSpec, type TfliteTensorSpec, writeTflite } from '../../fixtures/formats/tflite/writer';
import { layerNamed } from './irFixture';

/** What the parity test compares: MACs and FLOPs by kind. */
export interface Work {
  readonly macs: number;
  readonly elementwise: number;
  readonly transcendental: number;
}

export function workOf(cost: LayerCost | undefined, what: string): Work {
  assert.ok(cost, `${what}: no cost`);
  assert.equal(cost.confidence, 'exact', `${what}: ${cost.confidence} (${cost.note ?? ''})`);
  return { macs: cost.macs, elementwise: cost.flops.elementwise, transcendental: cost.flops.transcendental };
}

/** Builds an ONNX graph and costs every node on the ONNX path. */
export function onnxLayers(build: (b: OnnxBuilder) => void, opset = 17, opsets: Readonly<Record<string, number>> = {}): LayerCost[] {
  const b = new OnnxBuilder({ opset, opsets });
  build(b);
  const { layers, unknownOps } = costGraph(loadModelFromSource(new BufferByteSource(b.toBytes(), 'parity.onnx')));
  assert.deepEqual(unknownOps, []);
  return layers;
}

/** Builds a one-node ONNX graph (the node named 'layer') and costs it on the ONNX path. */
export function onnxLayer(build: (b: OnnxBuilder) => void, opset = 17): LayerCost {
  return layerNamed(onnxLayers(build, opset), 'layer');
}

/** The summed work of several layers (a layer one front end has as one call, another as several nodes). */
export function totalWork(layers: readonly LayerCost[]): Work {
  return layers.reduce((sum, l) => {
    const w = workOf(l, l.name);
    return { macs: sum.macs + w.macs, elementwise: sum.elementwise + w.elementwise, transcendental: sum.transcendental + w.transcendental };
  }, { macs: 0, elementwise: 0, transcendental: 0 });
}

/** Keras functional code ending in `model = keras.Model(inputs, outputs)`; the one layer it creates. */
export function kerasFunctionalLayer(lines: readonly string[]): LayerCost | undefined {
  const { layers } = analyzePythonSource(['import keras', 'from keras import layers', ...lines, 'model = keras.Model(inputs, outputs)', ''].join('\n'));
  assert.equal(layers.length, 1, lines.join('; '));
  return layers[0]!.cost;
}

/** `nn.Sequential(<layer>)` with a `# joule: input=` hint, through the PyTorch analysis. */
export function torchLayer(layer: string, input: readonly number[]): LayerCost | undefined {
  const { layers } = analyzePythonSource(`import torch\nfrom torch import nn\n# joule: input=(${input.join(', ')})\nm = nn.Sequential(${layer})\n`);
  assert.equal(layers.length, 1, layer);
  assert.ok(layers[0]!.cost, `${layer}: ${layers[0]!.note ?? 'no cost'}`);
  return layers[0]!.cost;
}

/** `keras.Sequential([keras.Input(...), <layer>])`; `input` includes the batch. */
export function kerasLayer(layer: string, input: readonly number[]): LayerCost | undefined {
  const [batch, ...shape] = input;
  const code = [
    'import keras',
    'from keras import layers',
    `model = keras.Sequential([keras.Input(shape=(${shape.join(', ')},), batch_size=${batch}), ${layer}])`,
    '',
  ].join('\n');
  const { layers } = analyzePythonSource(code);
  assert.equal(layers.length, 1, layer);
  assert.ok(layers[0]!.cost, `${layer}: ${layers[0]!.note ?? 'no cost'}`);
  return layers[0]!.cost;
}

export interface TfTensor {
  readonly shape: readonly number[];
  /** A constant: zero data, or these int32 values. */
  readonly constant?: boolean;
  readonly int32?: readonly number[];
  readonly dataType?: DataType;
}

const BYTES: Partial<Record<DataType, number>> = { float32: 4, int32: 4, int64: 8, int8: 1 };

/** One TFLite operator over `inputs`, written by the fixture writer and costed on the TFLite path. */
export function tfliteLayer(op: string, inputs: readonly TfTensor[], output: readonly number[], options?: TfliteOptionsSpec): LayerCost {
  const tensors: TfliteTensorSpec[] = inputs.map((t, i) => {
    const dataType = t.int32 ? 'int32' : t.dataType ?? 'float32';
    if (t.int32) {
      const data = new Uint8Array(4 * t.int32.length);
      t.int32.forEach((v, j) => new DataView(data.buffer).setInt32(4 * j, v, true));
      return { name: `in${i}`, dataType, shape: t.shape, data };
    }
    const elements = t.shape.reduce((a, b) => a * b, 1);
    return t.constant
      ? { name: `in${i}`, dataType, shape: t.shape, data: new Uint8Array(elements * (BYTES[dataType] ?? 4)) }
      : { name: `in${i}`, dataType, shape: t.shape };
  });
  tensors.push({ name: 'out', dataType: 'float32', shape: output });
  const graphInputs = inputs.flatMap((t, i) => (t.constant || t.int32 ? [] : [i]));
  const bytes = writeTflite({
    tensors, inputs: graphInputs, outputs: [inputs.length],
    operators: [{ op, inputs: inputs.map((_, i) => i), outputs: [inputs.length], ...(options ? { options } : {}) }],
  });
  const { layers, unknownOps } = costGraph(readTflite(new BufferByteSource(bytes, 'parity.tflite')).model);
  assert.deepEqual(unknownOps, []);
  assert.equal(layers.length, 1);
  return layers[0]!;
}

/** A small GPT-2-like block: LayerNorm, biases on q/k/v and the MLP, none on the attention output. */
export const TINY_LLM: TransformerConfig = {
  architecture: 'gpt2', layers: 1, hiddenSize: 64, heads: 4, kvHeads: 4, headDim: 16, intermediateSize: 128, vocabSize: 100,
  tiedEmbeddings: false, gatedMlp: false, norm: 'layernorm', normsPerBlock: 2,
  biases: { qkv: true, attnOut: false, mlp: true, lmHead: false }, learnedPositions: 0, maxContext: 64,
};

/** One layer of a transformer step at fp32 weights and activations (so bytes compare with fp32 graphs). */
export function llmLayer(step: LlmStep, name: string, config: TransformerConfig = TINY_LLM): LayerCost {
  const layers = transformerStepLayers(config, step, { weightBytesPerParam: 4, kvBytesPerElement: 4, activationBytes: 4, precision: 'fp32' });
  return layerNamed(layers, name);
}
