/** Synthetic LayerCost builders for the energy and advice tests (no model reader needed). */
import type { LayerCost, Precision } from '../../../src/core/cost/types';
import type { EstimateInput } from '../../../src/core/energy/estimate';

const BYTES: Record<Precision, number> = { fp64: 8, fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int32: 4, int16: 2, int8: 1, int4: 0.5 };

interface Options {
  readonly precision?: Precision;
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
}

/** (m×k)·(k×n) with a constant k×n weight. */
export function matmul(name: string, m: number, n: number, k: number, options: Options = {}): LayerCost {
  const precision = options.precision ?? 'fp32';
  const e = BYTES[precision];
  const macs = m * n * k;
  return {
    name, opType: 'MatMul', domain: '', precision, confidence: 'exact',
    macs, flops: { mac: 2 * macs, elementwise: 0, transcendental: 0 }, params: k * n,
    bytes: { weights: k * n * e, inputs: m * k * e, outputs: m * n * e },
    gemm: { m, n, k, batch: 1 },
    inputShapes: [[m, k]], outputShapes: [[m, n]],
    activationInputs: options.inputs ?? [`${name}.in`], activationOutputs: options.outputs ?? [`${name}.out`],
  };
}

/** An elementwise op over `elements` values (one op each), reading and writing the same size. */
export function elementwise(name: string, elements: number, options: Options = {}): LayerCost {
  const precision = options.precision ?? 'fp32';
  const e = BYTES[precision];
  return {
    name, opType: 'Relu', domain: '', precision, confidence: 'exact',
    macs: 0, flops: { mac: 0, elementwise: elements, transcendental: 0 }, params: 0,
    bytes: { weights: 0, inputs: elements * e, outputs: elements * e },
    inputShapes: [[elements]], outputShapes: [[elements]],
    activationInputs: options.inputs ?? [`${name}.in`], activationOutputs: options.outputs ?? [`${name}.out`],
  };
}

export function unknownLayer(name: string, options: Options = {}): LayerCost {
  return {
    name, opType: 'MysteryOp', domain: 'com.example', precision: 'fp32', confidence: 'unknown', note: 'no cost rule',
    macs: 0, flops: { mac: 0, elementwise: 0, transcendental: 0 }, params: 0,
    bytes: { weights: 0, inputs: 0, outputs: 0 },
    inputShapes: [undefined], outputShapes: [undefined],
    activationInputs: options.inputs ?? [`${name}.in`], activationOutputs: options.outputs ?? [`${name}.out`],
  };
}

/** A chain: each layer reads the previous one's output. */
export function chain(layers: readonly ((input: string, output: string) => LayerCost)[]): LayerCost[] {
  return layers.map((make, i) => make(i === 0 ? 'input' : `t${i - 1}`, `t${i}`));
}

export function inputOf(layers: readonly LayerCost[], batch = 1): EstimateInput {
  const weightBytes = layers.reduce((s, l) => s + l.bytes.weights, 0);
  return {
    model: { path: 'synthetic.onnx', format: 'onnx', opset: 17, params: layers.reduce((s, l) => s + l.params, 0), weightBytes },
    layers, unknownOps: [], warnings: [], dims: {}, batch,
  };
}
