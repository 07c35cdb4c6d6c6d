/**
 * The one home of op knowledge: every MAC and FLOP convention is written here (matrix products,
 * convolutions, recurrent cells, attention) or in pointwiseFormulas.ts (activations, softmax,
 * normalizations, pooling, lookups), which this module re-exports. Every front end lowers to these
 * functions: the ONNX rules (cost/rules/), the TFLite rules (cost/tflite.ts), the Python layer rules
 * (pycode/torchLayers.ts, torchRecurrent.ts, kerasLayers.ts, kerasSequence.ts) and the LLM step
 * layers (llm/tokenLayers.ts). test/unit/cost/frontEndParity.test.ts (one-node layers) and
 * frontEndParityComposite.test.ts (one call = several ONNX nodes) hold them to the same numbers; the
 * ONNX rules are the reference (they follow onnxruntime's kernels). A front end reads its own layout
 * and passes shapes here; it never multiplies out a MAC count itself.
 *
 * Conventions (docs/architecture.md, docs/cost-rules.md): MAC = one multiply-accumulate; FLOPs.mac = 2 × MACs;
 * elementwise and transcendental FLOPs are counted apart. Bytes assume every tensor is read or written
 * once at the given precision; reuse across levels is the energy model's job.
 */
import { type PerElementWork, softmaxFlops } from './pointwiseFormulas';
import type { FlopCounts, OpCost, Precision } from './types';

export * from './pointwiseFormulas';

/** The arithmetic of one op, before bytes: what every front end reports per layer. */
export interface OpWork {
  readonly macs: number;
  readonly elementwise: number;
  readonly transcendental: number;
  /** GEMM view (M×K)·(K×N) per group, for the tiling model. */
  readonly gemm?: OpCost['gemm'];
}

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

export interface ConvShape {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Kernel size per spatial axis. */
  readonly kernel: readonly number[];
  /** Input spatial size per axis (for input bytes). */
  readonly inSpatial: readonly number[];
  /** Output spatial size per axis. */
  readonly outSpatial: readonly number[];
  /** Channel groups: 1 dense, Cin depthwise. */
  readonly groups?: number;
  readonly bias?: boolean;
}

export interface ConvSpec extends ConvShape {
  readonly precision?: Precision;
}

/**
 * Convolution: MACs = output elements × (Cin / groups) × kernel size; GEMM view per group (im2col).
 * Depthwise is groups = Cin (one input channel per output). A bias adds one FLOP per output.
 */
export function convWork(spec: ConvShape): OpWork {
  const groups = spec.groups ?? 1;
  const outPixels = spec.batch * product(spec.outSpatial);
  const outElements = outPixels * spec.outChannels;
  const k = (spec.inChannels / groups) * product(spec.kernel);
  return {
    macs: outElements * k,
    elementwise: spec.bias ? outElements : 0,
    transcendental: 0,
    gemm: { m: outPixels, n: spec.outChannels / groups, k, batch: groups, convolution: true },
  };
}

/** Transposed convolution: MACs = input elements × (Cout / groups) × kernel size. */
export function convTransposeWork(spec: ConvShape): OpWork {
  const groups = spec.groups ?? 1;
  const kernelSize = product(spec.kernel);
  const inPixels = spec.batch * product(spec.inSpatial);
  const coutPerGroup = spec.outChannels / groups;
  const outElements = spec.batch * spec.outChannels * product(spec.outSpatial);
  return {
    macs: inPixels * spec.inChannels * coutPerGroup * kernelSize,
    elementwise: spec.bias ? outElements : 0,
    transcendental: 0,
    gemm: { m: inPixels, n: coutPerGroup * kernelSize, k: spec.inChannels / groups, batch: groups },
  };
}

function convOpCost(spec: ConvSpec, work: OpWork, params: number): OpCost {
  const precision = spec.precision ?? 'fp32';
  const bpe = BYTES_PER_ELEMENT[precision];
  return {
    macs: work.macs,
    flops: flops(work.macs, work.elementwise),
    params,
    bytes: {
      weights: params * bpe,
      inputs: spec.batch * spec.inChannels * product(spec.inSpatial) * bpe,
      outputs: spec.batch * spec.outChannels * product(spec.outSpatial) * bpe,
    },
    precision,
    confidence: 'exact',
    ...(work.gemm ? { gemm: work.gemm } : {}),
  };
}

/** Parameters of a convolution's weight (Cout × Cin/groups × kernel) and bias. */
export function convParams(spec: ConvShape): number {
  return spec.outChannels * (spec.inChannels / (spec.groups ?? 1)) * product(spec.kernel) + (spec.bias ? spec.outChannels : 0);
}

export function convCost(spec: ConvSpec): OpCost {
  return convOpCost(spec, convWork(spec), convParams(spec));
}

export function convTransposeCost(spec: ConvSpec): OpCost {
  return convOpCost(spec, convTransposeWork(spec), convParams(spec));
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

/** A (batched) matrix product with `perOutput` more FLOPs per output element (bias, scaling, activation). */
export function matMulWork(spec: MatMulSpec, perOutput: PerElementWork = { e: 0, t: 0 }): OpWork {
  const batch = spec.batch ?? 1;
  const outElements = batch * spec.m * spec.n;
  return {
    macs: matMulMacs(spec),
    elementwise: outElements * perOutput.e,
    transcendental: outElements * perOutput.t,
    gemm: { m: spec.m, n: spec.n, k: spec.k, batch },
  };
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

/** Fully connected layer (nn.Linear, Dense, Gemm with constant weights): MACs = rows × in × out, + bias per output. */
export function linearWork(spec: Pick<LinearSpec, 'rows' | 'inFeatures' | 'outFeatures' | 'bias'>): OpWork {
  return matMulWork({ m: spec.rows, n: spec.outFeatures, k: spec.inFeatures }, { e: spec.bias ? 1 : 0, t: 0 });
}

export function linearCost(spec: LinearSpec): OpCost {
  const precision = spec.precision ?? 'fp32';
  const bpe = BYTES_PER_ELEMENT[precision];
  const weightBpe = BYTES_PER_ELEMENT[spec.weightPrecision ?? precision];
  const work = linearWork(spec);
  const weightElements = spec.inFeatures * spec.outFeatures;
  const biasElements = spec.bias ? spec.outFeatures : 0;
  return {
    macs: work.macs,
    flops: flops(work.macs, work.elementwise),
    params: weightElements + biasElements,
    bytes: {
      weights: weightElements * weightBpe + biasElements * bpe,
      inputs: spec.rows * spec.inFeatures * bpe,
      outputs: spec.rows * spec.outFeatures * bpe,
    },
    precision,
    confidence: 'exact',
    ...(work.gemm ? { gemm: work.gemm } : {}),
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
  /** LSTM projection size (PyTorch proj_size): h is projected to this width and fed back. */
  readonly projSize?: number;
}

/**
 * Per time step and direction: gates×hidden × (input + hidden) MACs (W·x and R·h), then the cell's
 * elementwise work. The whole is × sequence length × directions (onnx-tool#64 forgot the length).
 */
export function recurrentMacs(spec: RecurrentSpec): number {
  const gates = RECURRENT_GATES[spec.kind];
  const steps = spec.seqLength * (spec.directions ?? 1) * spec.batch;
  const proj = spec.projSize ?? 0;
  const fedBack = proj > 0 ? proj : spec.hiddenSize;
  return steps * (gates * spec.hiddenSize * (spec.inputSize + fedBack) + proj * spec.hiddenSize);
}

/** MACs, cell FLOPs and the per-step gate GEMM of a recurrent layer (one layer, all directions). */
export function recurrentWork(spec: RecurrentSpec): OpWork {
  const cell = recurrentCellFlops(spec);
  const fedBack = (spec.projSize ?? 0) > 0 ? spec.projSize! : spec.hiddenSize;
  return {
    macs: recurrentMacs(spec),
    ...cell,
    // Per step the gates are one GEMM: (batch × (input+hidden)) · ((input+hidden) × gates·hidden).
    gemm: { m: spec.batch, n: RECURRENT_GATES[spec.kind] * spec.hiddenSize, k: spec.inputSize + fedBack, batch: spec.seqLength * (spec.directions ?? 1) },
  };
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
  /**
   * Query–key pairs computed per sequence and head when fewer than seqQ × seqKv: a causal kernel
   * that skips the masked pairs (the LLM step model). ONNX graphs compute every pair and mask.
   */
  readonly pairs?: number;
}

/** Attention scores computed: batch × heads × query–key pairs. */
export function attentionScoreCount(spec: AttentionSpec): number {
  return spec.batch * spec.numHeads * (spec.pairs ?? spec.seqQ * spec.seqKv);
}

/** QKᵀ: one head-size dot product per score. */
export function attentionScoresMacs(spec: AttentionSpec): number {
  return attentionScoreCount(spec) * spec.headSize;
}

/** softmax(QKᵀ)·V: each score weighs one value row. */
export function attentionContextMacs(spec: AttentionSpec): number {
  return attentionScoreCount(spec) * (spec.vHeadSize ?? spec.headSize);
}

/** Scaled dot-product attention core: QKᵀ plus softmax(QKᵀ)·V MACs. */
export function attentionCoreMacs(spec: AttentionSpec): number {
  return attentionScoresMacs(spec) + attentionContextMacs(spec);
}

/** Elementwise + transcendental FLOPs of scaling and softmax over the attention scores (+ a mask add). */
export function attentionCoreFlops(spec: AttentionSpec, masked: boolean): { elementwise: number; transcendental: number } {
  const scores = attentionScoreCount(spec);
  const sm = softmaxFlops(scores);
  return { elementwise: scores * (masked ? 2 : 1) + sm.elementwise, transcendental: sm.transcendental };
}

/** The work of a layer made of several ops (projections + attention core, a block...). GEMM views are dropped. */
export function sumWork(...works: readonly OpWork[]): OpWork {
  return works.reduce((sum, w) => ({
    macs: sum.macs + w.macs, elementwise: sum.elementwise + w.elementwise, transcendental: sum.transcendental + w.transcendental,
  }), { macs: 0, elementwise: 0, transcendental: 0 });
}

/** Work of scaled dot-product attention's core (QKᵀ, scale, softmax, ·V) as one OpWork. */
export function attentionCoreWork(spec: AttentionSpec, masked = false): OpWork {
  return { macs: attentionCoreMacs(spec), ...attentionCoreFlops(spec, masked) };
}
