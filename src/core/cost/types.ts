/**
 * What one operator costs, independent of hardware. Produced by the per-op rules in src/core/cost,
 * consumed by the energy model in src/core/energy. Shared contract: add fields, never rename.
 */

/** Arithmetic precision an operator computes at (drives energy per MAC and peak throughput). */
export type Precision = 'fp64' | 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int32' | 'int16' | 'int8' | 'int4';

export interface FlopCounts {
  /** 2 × MACs: the multiply and the add of each multiply-accumulate. */
  readonly mac: number;
  /** Elementwise arithmetic (add, mul, relu, normalization sums...). */
  readonly elementwise: number;
  /** Transcendental ops (exp, tanh, erf, sqrt, division), counted one each. */
  readonly transcendental: number;
}

export interface ByteCounts {
  /** Constant tensors read (weights, biases, quantization parameters). */
  readonly weights: number;
  /** Activation bytes read (non-constant inputs). */
  readonly inputs: number;
  /** Activation bytes written (outputs). */
  readonly outputs: number;
}

export interface OpCost {
  /** Multiply-accumulates (docs/architecture.md convention: Conv = output elements × Cin/groups × kernel). */
  readonly macs: number;
  readonly flops: FlopCounts;
  /** Elements of constant weight tensors this op reads. */
  readonly params: number;
  readonly bytes: ByteCounts;
  readonly precision: Precision;
  /**
   * 'exact' when every shape was known; 'partial' when some part was unknown and left out (see note);
   * 'unknown' when no rule covers the op: such layers are listed, never counted as zero silently.
   */
  readonly confidence: 'exact' | 'partial' | 'unknown';
  /** Why a cost is partial or unknown, or how a control-flow op was costed. */
  readonly note?: string;
  /** For matrix products and convolutions: the GEMM view (M×K)·(K×N), used by the tiling model. */
  readonly gemm?: {
    readonly m: number;
    readonly n: number;
    readonly k: number;
    readonly batch: number;
    /** A convolution: the M×K operand is read from its feature map through overlapping windows (its im2col matrix is never stored), and each of the `batch` groups has its own weights. */
    readonly convolution?: boolean;
  };
}

/** OpCost of one node, with the identity of the node and its tensors. */
export interface LayerCost extends OpCost {
  /** The node's name (as in the file). */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputShapes: readonly (readonly (number | string | undefined)[] | undefined)[];
  readonly outputShapes: readonly (readonly (number | string | undefined)[] | undefined)[];
  /** Names of the activation inputs and outputs, for producer→consumer reuse in the traffic model. */
  readonly activationInputs: readonly string[];
  readonly activationOutputs: readonly string[];
}

export const ZERO_FLOPS: FlopCounts = { mac: 0, elementwise: 0, transcendental: 0 };
export const ZERO_BYTES: ByteCounts = { weights: 0, inputs: 0, outputs: 0 };
