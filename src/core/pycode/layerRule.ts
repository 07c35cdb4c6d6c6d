/**
 * The contract every layer rule fulfils, and the shape arithmetic the rules share (output sizes of
 * convolutions and pools in PyTorch's and Keras' formulas).
 */
import { convOutputSize, type PerElementWork } from '../cost/formulas';
import { LayerArgs, type ArgSpec, expectShape, formatShape } from './layerArgs';
import type { Shape } from './types';

export interface LayerFacts {
  /** Trainable parameters (undefined when they depend on an input shape not known yet: Keras). */
  readonly params?: number;
  /** Non-trainable state: BatchNorm running statistics. */
  readonly buffers?: number;
  /** Present when an input shape was given. */
  readonly output?: Shape;
  readonly macs?: number;
  readonly elementwise?: number;
  readonly transcendental?: number;
  /** GEMM view (M×K)·(K×N) per group for the tiling model. */
  readonly gemm?: { readonly m: number; readonly n: number; readonly k: number; readonly batch: number };
  /** Weight elements actually read per inference when smaller than params (embedding lookups). */
  readonly weightsRead?: number;
  readonly note?: string;
}

export interface LayerRule {
  readonly signature: readonly ArgSpec[];
  /**
   * `inputs` is empty at construction time (parameters only) and holds the call's tensor shapes when
   * shapes propagate: inputs[0] is the main input (query, tgt), further ones memory/key/value.
   */
  describe(args: LayerArgs, inputs: readonly Shape[]): LayerFacts;
}

/** PyTorch: floor((L + 2p − d(k−1) − 1) / s) + 1, or ceil with ceil_mode. */
export function torchWindowOutput(length: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode = false): number {
  const out = convOutputSize(length, kernel, stride, padding, padding, dilation, ceilMode);
  // PyTorch drops a last ceil-mode window that would start inside the right padding.
  if (ceilMode && (out - 1) * stride >= length + padding) return out - 1;
  return out;
}

/** Keras 'valid': floor((L − d(k−1) − 1) / s) + 1; 'same': ceil(L / s). */
export function kerasWindowOutput(length: number, kernel: number, stride: number, padding: string, dilation: number): number {
  if (padding === 'same') return Math.ceil(length / stride);
  return Math.floor((length - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Keras' deconv_output_length. */
export function kerasTransposeOutput(length: number, kernel: number, stride: number, padding: string, dilation: number, outputPadding?: number): number {
  const effectiveKernel = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === undefined) {
    return padding === 'same' ? length * stride : length * stride + Math.max(effectiveKernel - stride, 0);
  }
  const pad = padding === 'same' ? Math.floor(effectiveKernel / 2) : 0;
  return (length - 1) * stride + effectiveKernel - 2 * pad + outputPadding;
}

/** Splits a channels-first input (N, C, *spatial) or unbatched (C, *spatial). */
export function channelsFirst(input: Shape, spatialRank: number, what: string): { lead: number[]; channels: number; spatial: number[] } {
  expectShape(input.length === spatialRank + 2 || input.length === spatialRank + 1, () => `${what} expects a ${spatialRank + 2}-d input (N, C, ...), got ${formatShape(input)}`);
  const lead = input.slice(0, input.length - spatialRank - 1);
  return { lead, channels: input[lead.length]!, spatial: input.slice(lead.length + 1) };
}

/** Splits a channels-last input (N, *spatial, C). */
export function channelsLast(input: Shape, spatialRank: number, what: string): { lead: number[]; channels: number; spatial: number[] } {
  expectShape(input.length >= spatialRank + 1, () => `${what} expects a ${spatialRank + 2}-d input (N, ..., C), got ${formatShape(input)}`);
  const lead = input.slice(0, input.length - spatialRank - 1);
  return { lead, channels: input[input.length - 1]!, spatial: input.slice(lead.length, input.length - 1) };
}

/** A rule for layers that keep the shape and cost `perElement` ops per element (cost/pointwiseFormulas.ts). */
export function elementwiseRule(specs: readonly ArgSpec[], perElement: PerElementWork): LayerRule {
  return {
    signature: specs,
    describe: (_args, inputs) => {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const elements = input.reduce((a, b) => a * b, 1);
      return {
        params: 0,
        output: input,
        macs: 0,
        elementwise: perElement.e * elements,
        transcendental: perElement.t * elements,
      };
    },
  };
}

export type { ArgSpec };
export { LayerArgs };
