/**
 * The spec of a tiny int8 CNN, the kind of model a microcontroller runs: quantized input
 * [batch,16,16,3] → CONV_2D 3×3/2 (8 filters, per-channel scales, ReLU) → DEPTHWISE_CONV_2D 3×3/1
 * (ReLU6) → MAX_POOL_2D 2×2/2 → RESHAPE [1,128] → FULLY_CONNECTED (10) → SOFTMAX. Used by tests and
 * fixtures; weights are deterministic bytes.
 */
import type { TfliteSpec, TfliteTensorSpec } from './writer';

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function int32s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
}

const perTensor = (scale: number, zeroPoint: number) => ({ scale: [scale], zeroPoint: [zeroPoint] });
const perChannel = (channels: number, axis: number) => ({
  scale: Array.from({ length: channels }, (_, i) => 0.01 + 0.001 * i),
  zeroPoint: Array.from({ length: channels }, () => 0),
  quantizedDimension: axis,
});

export interface TinyCnnOptions {
  readonly externalBuffers?: boolean;
  /** Give the input a dynamic batch (shape_signature -1). */
  readonly dynamicBatch?: boolean;
}

export function tinyInt8CnnSpec(options: TinyCnnOptions = {}): TfliteSpec {
  const signature = (shape: readonly number[]): readonly number[] | undefined =>
    options.dynamicBatch ? [-1, ...shape.slice(1)] : undefined;
  const activation = (name: string, shape: number[], scale: number, zeroPoint: number): TfliteTensorSpec => {
    const sig = signature(shape);
    return { name, dataType: 'int8', shape, ...(sig ? { shapeSignature: sig } : {}), quantization: perTensor(scale, zeroPoint) };
  };
  const tensors: TfliteTensorSpec[] = [
    /* 0 */ activation('input', [1, 16, 16, 3], 0.0078125, -1),
    /* 1 */ { name: 'conv/weights', dataType: 'int8', shape: [8, 3, 3, 3], data: bytes(216, 1), quantization: perChannel(8, 0) },
    /* 2 */ { name: 'conv/bias', dataType: 'int32', shape: [8], data: int32s([1, 2, 3, 4, 5, 6, 7, 8]), quantization: perChannel(8, 0) },
    /* 3 */ activation('conv/out', [1, 8, 8, 8], 0.02, -128),
    /* 4 */ { name: 'dw/weights', dataType: 'int8', shape: [1, 3, 3, 8], data: bytes(72, 2), quantization: perChannel(8, 3) },
    /* 5 */ { name: 'dw/bias', dataType: 'int32', shape: [8], data: int32s([0, 0, 0, 0, 0, 0, 0, 0]), quantization: perChannel(8, 0) },
    /* 6 */ activation('dw/out', [1, 8, 8, 8], 0.02, -128),
    /* 7 */ activation('pool/out', [1, 4, 4, 8], 0.02, -128),
    /* 8 */ { name: 'reshape/shape', dataType: 'int32', shape: [2], data: int32s([-1, 128]) },
    /* 9 */ activation('reshape/out', [1, 128], 0.02, -128),
    /* 10 */ { name: 'fc/weights', dataType: 'int8', shape: [10, 128], data: bytes(1280, 3), quantization: perTensor(0.005, 0) },
    /* 11 */ { name: 'fc/bias', dataType: 'int32', shape: [10], data: int32s([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), quantization: perTensor(0.0001, 0) },
    /* 12 */ activation('fc/out', [1, 10], 0.1, 0),
    /* 13 */ activation('probabilities', [1, 10], 1 / 256, -128),
  ];
  return {
    description: 'joule tiny int8 CNN',
    tensors,
    inputs: [0],
    outputs: [13],
    operators: [
      { op: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], options: { kind: 'conv2d', padding: 'SAME', stride: [2, 2], activation: 'RELU' } },
      { op: 'DEPTHWISE_CONV_2D', inputs: [3, 4, 5], outputs: [6], options: { kind: 'depthwise', padding: 'SAME', stride: [1, 1], depthMultiplier: 1, activation: 'RELU6' } },
      { op: 'MAX_POOL_2D', inputs: [6], outputs: [7], options: { kind: 'pool', padding: 'VALID', stride: [2, 2], filter: [2, 2] } },
      { op: 'RESHAPE', inputs: [7, 8], outputs: [9], options: { kind: 'reshape', newShape: [-1, 128] } },
      { op: 'FULLY_CONNECTED', inputs: [9, 10, 11], outputs: [12], options: { kind: 'fullyConnected' } },
      { op: 'SOFTMAX', inputs: [12], outputs: [13], options: { kind: 'softmax', beta: 1 } },
    ],
    ...(options.externalBuffers ? { externalBuffers: true } : {}),
  };
}
