/**
 * Pure cost math from shapes: the formulas behind the ONNX op rules, exported so that other
 * analyses (Python model-code analysis, advice re-costing) compute costs the same way.
 *
 * Conventions (docs/architecture.md, docs/cost-rules.md): MAC = one multiply-accumulate; FLOPs.mac = 2 × MACs;
 * elementwise and transcendental FLOPs are counted apart. Bytes assume every tensor is read or written
 * once at the given precision; reuse across levels is the energy model's job.
 */
import type { FlopCounts, OpCost, Precision } from './types';

/** Bytes per element of each precision (int4 packs two elements per byte). */
export const BYTES_PER_ELEMENT: Readonly<Record<Precision, number>> = {
  fp64: 8, fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int32: 4, int16: 2, int8: 1, int4: 0.5,
};

export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

export function flops(macs: number, elementwise = 0, transcendental = 0): FlopCounts {
  return { mac: 2 * macs, elementwise, transcendental };
}

/** Total FLOPs of a cost (MAC FLOPs + elementwise + transcendental). */
export function totalFlops(f: FlopCounts): number {
  return f.mac + f.elementwise + f.transcendental;
}

/** Output size of one convolution/pooling axis (ONNX/PyTorch arithmetic, floor mode). */
export function convOutputSize(input: number, kernel: number, stride = 1, padBegin = 0, padEnd = padBegin, dilation = 1, ceilMode = false): number {
  const span = input + padBegin + padEnd - dilation * (kernel - 1) - 1;
  return (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
}

export interface ConvSpec {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Kernel size per spatial axis. */
  readonly kernel: readonly number[];
  /** Input spatial size per axis (for input bytes). */
  readonly inSpatial: readonly number[];
  /** Output spatial size per axis. */
  readonly outSpatial: readonly number[];
  readonly groups?: number;
  readonly bias?: boolean;
  readonly precision?: Precision;
}

/** Convolution: MACs = output elements × (Cin / groups) × kernel size; GEMM view per group (im2col). */
export function convCost(spec: ConvSpec): OpCost {
  const groups = spec.groups ?? 1;
  const precision = spec.precision ?? 'fp32';
  const bpe = BYTES_PER_ELEMENT[precision];
  const kernelSize = product(spec.kernel);
  const outPixels = spec.batch * product(spec.outSpatial);
  const outElements = outPixels * spec.outChannels;
  const cinPerGroup = spec.inChannels / groups;
  const macs = outElements * cinPerGroup * kernelSize;
  const weightElements = spec.outChannels * cinPerGroup * kernelSize;
  const params = weightElements + (spec.bias ? spec.outChannels : 0);
  return {
    macs,
    flops: flops(macs, spec.bias ? outElements : 0),
    params,
    bytes: {
      weights: params * bpe,
      inputs: spec.batch * spec.inChannels * product(spec.inSpatial) * bpe,
      outputs: outElements * bpe,
    },
    precision,
    confidence: 'exact',
    gemm: { m: outPixels, n: spec.outChannels / groups, k: cinPerGroup * kernelSize, batch: groups },
  };
}

/** Transposed convolution: MACs = input elements × (Cout / groups) × kernel size. */
export function convTransposeCost(spec: ConvSpec): OpCost {
  const groups = spec.groups ?? 1;
  const precision = spec.precision ?? 'fp32';
  const bpe = BYTES_PER_ELEMENT[precision];
  const kernelSize = product(spec.kernel);
  const inPixels = spec.batch * product(spec.inSpatial);
  const coutPerGroup = spec.outChannels / groups;
  const macs = inPixels * spec.inChannels * coutPerGroup * kernelSize;
  const outElements = spec.batch * spec.outChannels * product(spec.outSpatial);
  const params = spec.inChannels * coutPerGroup * kernelSize + (spec.bias ? spec.outChannels : 0);
  return {
    macs,
    flops: flops(macs, spec.bias ? outElements : 0),
    params,
    bytes: { weights: params * bpe, inputs: inPixels * spec.inChannels * bpe, outputs: outElements * bpe },
    precision,
    confidence: 'exact',
    gemm: { m: inPixels, n: coutPerGroup * kernelSize, k: spec.inChannels / groups, batch: groups },
  };
}

export interface MatMulSpec {
  /** Product of the (broadcast) batch dimensions of the output; 1 for a plain matrix product. */
  readonly batch?: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** MACs of a (batched) matrix product (batch × M×K)·(K×N). */
export function matMulMacs(spec: MatMulSpec): number {
  return (spec.batch ?? 1) * spec.m * spec.n * spec.k;
}

export interface LinearSpec {
  /** Rows the layer is applied to: batch × tokens (all leading dims of the input). */
  readonly rows: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bias?: boolean;
  readonly precision?: Precision;
  /** Precision of the stored weights when it differs from compute (int4 weight-only). */
  readonly weightPrecision?: Precision;
}

/** Fully connected layer (nn.Linear, Gemm with constant weights): MACs = rows × in × out. */
export function linearCost(spec: LinearSpec): OpCost {
  const precision = spec.precision ?? 'fp32';
  const bpe = BYTES_PER_ELEMENT[precision];
  const weightBpe = BYTES_PER_ELEMENT[spec.weightPrecision ?? precision];
  const macs = spec.rows * spec.inFeatures * spec.outFeatures;
  const outElements = spec.rows * spec.outFeatures;
  const weightElements = spec.inFeatures * spec.outFeatures;
  const biasElements = spec.bias ? spec.outFeatures : 0;
  return {
    macs,
    flops: flops(macs, spec.bias ? outElements : 0),
    params: weightElements + biasElements,
    bytes: {
      weights: weightElements * weightBpe + biasElements * bpe,
      inputs: spec.rows * spec.inFeatures * bpe,
      outputs: outElements * bpe,
    },
    precision,
    confidence: 'exact',
    gemm: { m: spec.rows, n: spec.outFeatures, k: spec.inFeatures, batch: 1 },
  };
}

export type RecurrentKind = 'LSTM' | 'GRU' | 'RNN';

/** Gate count of each recurrent cell: LSTM i,o,f,c; GRU z,r,h; RNN one. */
export const RECURRENT_GATES: Readonly<Record<RecurrentKind, number>> = { LSTM: 4, GRU: 3, RNN: 1 };

export interface RecurrentSpec {
  readonly kind: RecurrentKind;
  readonly seqLength: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** 2 when bidirectional. */
  readonly directions?: number;
  readonly bias?: boolean;
}

/**
 * Per time step and direction: gates×hidden × (input + hidden) MACs (W·x and R·h), then the cell's
 * elementwise work. The whole is × sequence length × directions (onnx-tool#64 forgot the length).
 */
export function recurrentMacs(spec: RecurrentSpec): number {
  const gates = RECURRENT_GATES[spec.kind];
  const steps = spec.seqLength * (spec.directions ?? 1) * spec.batch;
  return steps * gates * spec.hiddenSize * (spec.inputSize + spec.hiddenSize);
}

/** Elementwise and transcendental FLOPs of the recurrent cells (see docs/cost-rules.md). */
export function recurrentCellFlops(spec: RecurrentSpec): { elementwise: number; transcendental: number } {
  const gates = RECURRENT_GATES[spec.kind];
  const cells = spec.seqLength * (spec.directions ?? 1) * spec.batch * spec.hiddenSize;
  // Adding the two products W·x + R·h, plus the two biases when present.
  const gateAdds = cells * gates * (spec.bias ? 3 : 1);
  const cell = spec.kind === 'LSTM' ? { e: 4, t: 5 } : spec.kind === 'GRU' ? { e: 4, t: 3 } : { e: 0, t: 1 };
  return { elementwise: gateAdds + cells * cell.e, transcendental: cells * cell.t };
}

export interface AttentionSpec {
  readonly batch: number;
  readonly numHeads: number;
  /** Query length. */
  readonly seqQ: number;
  /** Key/value length (past + current). */
  readonly seqKv: number;
  readonly headSize: number;
  /** Value head size when it differs from the query/key head size. */
  readonly vHeadSize?: number;
}

/** Scaled dot-product attention core: QKᵀ plus softmax(QKᵀ)·V MACs. */
export function attentionCoreMacs(spec: AttentionSpec): number {
  const scores = spec.batch * spec.numHeads * spec.seqQ * spec.seqKv;
  return scores * spec.headSize + scores * (spec.vHeadSize ?? spec.headSize);
}

/** Elementwise + transcendental FLOPs of scaling and softmax over the attention scores. */
export function attentionCoreFlops(spec: AttentionSpec, masked: boolean): { elementwise: number; transcendental: number } {
  const scores = spec.batch * spec.numHeads * spec.seqQ * spec.seqKv;
  const sm = softmaxFlops(scores);
  return { elementwise: scores * (masked ? 2 : 1) + sm.elementwise, transcendental: sm.transcendental };
}

/** Softmax per element: max compare, subtract, exp, sum, divide. */
export function softmaxFlops(elements: number): { elementwise: number; transcendental: number } {
  return { elementwise: 3 * elements, transcendental: 2 * elements };
}

/**
 * Layer normalization over `elements` split into `rows` normalized rows: per element mean add, subtract,
 * square, variance add, scale by 1/σ, ×γ, +β (7; 4 without mean and β for RMS norm); per row a
 * square root and a division.
 */
export function layerNormFlops(elements: number, rows: number, rms = false): { elementwise: number; transcendental: number } {
  return { elementwise: (rms ? 4 : 7) * elements, transcendental: 2 * rows };
}
