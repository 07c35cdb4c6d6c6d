/**
 * What callers ask a transform for and what they get back. Plain data only: requests and results
 * cross the child-process boundary as structured clones.
 */
import type { HardwareProfile } from '../energy/profileSchema';
import type { CalibrationMethod } from './math/calibration';
import type { LayerDecision } from './rewrite/linearLayers';
import type { KernelSpeed } from './targetKernels';
import type { OutputAgreement } from './verify/compare';

export type QuantizeMode = 'int8-dynamic' | 'int8-static' | 'fp16' | 'int4';
export type PruneMode = 'magnitude' | '2:4' | 'structured';

export interface QuantizeSpec {
  readonly op: 'quantize';
  readonly mode: QuantizeMode;
  /** int8: one scale per output channel (default true) or per tensor. */
  readonly perChannel?: boolean;
  /**
   * int8-dynamic: Conv as ConvInteger ('integer', default: activations quantized at run time) or as
   * int8 weights dequantized for a float Conv ('weight-only': same file size, no ConvInteger slowdown).
   */
  readonly conv?: 'integer' | 'weight-only';
  /** Symmetric weights (default true). */
  readonly symmetric?: boolean;
  /** fp16: keep float32 inputs and outputs behind Casts (default true). */
  readonly keepIo?: boolean;
  /** fp16: op types kept in float32 (default DEFAULT_FP32_OPS). */
  readonly blockOps?: readonly string[];
  /** int4: block size along K (default 32). */
  readonly blockSize?: 32 | 64 | 128;
  /**
   * int4: onnxruntime's MatMulNBits accuracy_level (0 = float compute, 4 = int8 compute of the
   * activations: faster on CPU here, accuracy within noise in our benchmark). Default 4.
   */
  readonly accuracyLevel?: 0 | 1 | 2 | 3 | 4;
  /** int8-static: how activation ranges are collected. */
  readonly calibration?: {
    readonly method?: CalibrationMethod;
    readonly percentile?: number;
    /** Folder or file of inputs (.npy, TensorProto .pb, .json); generated from input shapes when absent. */
    readonly data?: string;
    /** Generated batches when no data is given (default 16). */
    readonly samples?: number;
  };
}

export interface PruneSpec {
  readonly op: 'prune';
  readonly mode: PruneMode;
  /** Fraction of weights (magnitude) or channels (structured) removed; 2:4 ignores it. */
  readonly ratio?: number;
  /**
   * structured: kept channel counts are rounded up to a multiple of this (default 8); 8 or 16 keep
   * widths that CPU and GPU kernels vectorize well, at the price of pruning a little less.
   */
  readonly channelMultiple?: number;
  /** magnitude: one threshold for all layers or the ratio in each (default per-layer). */
  readonly scope?: 'global' | 'per-layer';
}

export interface TransformRequest {
  readonly model: string;
  /** Output file; default beside the model (`model.int8.onnx`, ...). Never overwritten. */
  readonly out?: string;
  readonly transform: QuantizeSpec | PruneSpec;
  /** Node names or op types left unchanged. */
  readonly exclude?: readonly string[];
  /**
   * Node names transformed, every other node left unchanged (a per-layer recommendation, `--only`).
   * A name that is no node of the model is refused.
   */
  readonly only?: readonly string[];
  /** Weights with fewer elements are left unchanged (default 1024 for quantization, 0 for pruning). */
  readonly minElements?: number;
  /**
   * Transform each layer alone first and exclude those whose output drift (1 - cosine) exceeds
   * `maxDrift` (e.g. 0.01).
   */
  readonly sensitivity?: { readonly maxDrift: number };
  /** Profile of the energy estimate: a shipped or user profile id, or the profile object itself. */
  readonly energyProfile?: { readonly profileId?: string; readonly profile?: HardwareProfile };
  readonly verification?: {
    /**
     * Real values for named inputs (`sr=16000`, a state tensor), the same in every sample compared;
     * inputs not named are generated (`--input` on the CLI, bench/inputValues.ts parses it).
     */
    readonly inputs?: Readonly<Record<string, { readonly type: string; readonly dims: readonly number[]; readonly data: readonly (number | boolean)[] }>>;
    /** Input sets compared (default 8). */
    readonly samples?: number;
    /** Timed runs per model (default 20; 0 skips latency). */
    readonly latencyRuns?: number;
    /**
     * The user's inputs (as for calibration), with optional labels.txt: accuracy before and after
     * instead of agreement on generated inputs.
     */
    readonly data?: string;
    /** Image folders: 'imagenet' (resize, center crop, ImageNet mean/std; default) or 'unit' ([0, 1] only). */
    readonly preprocess?: 'imagenet' | 'unit';
  };
}

export interface LayerSensitivity {
  readonly node: string;
  readonly opType: string;
  /** 1 - cosine of the model output when only this layer is transformed. */
  readonly drift: number;
  readonly excluded: boolean;
}

/** Top-k accuracy on labelled user data, measured. */
export interface AccuracyResult {
  readonly rows: number;
  readonly top1: { readonly before: number; readonly after: number };
  readonly top5?: { readonly before: number; readonly after: number };
}

export interface Verification extends OutputAgreement {
  /**
   * Where the compared inputs came from. On generated inputs cosine and top-1 *agreement* say how
   * closely the result follows the original; they are never accuracy.
   */
  readonly inputs: 'generated' | 'user data';
  readonly accuracy?: AccuracyResult;
  /** Quantization: the speed the profile's kernel facts promised and whether the measurement kept it. */
  readonly expectation?: { readonly profile: string; readonly expected: KernelSpeed; readonly held?: boolean; readonly text: string };
  readonly latencyMs?: { readonly before: number; readonly after: number; readonly speedup: number };
  readonly fileBytes: { readonly before: number; readonly after: number; readonly ratio: number };
  /** MACs per inference of Conv/MatMul/Gemm layers from measured tensor shapes. */
  readonly macs?: { readonly before: number; readonly after: number; readonly ratio: number };
  /** Estimated energy per inference, when the energy model is available; see `energyNote`. */
  readonly energyJ?: { readonly before: number; readonly after: number; readonly profile: string };
  readonly energyNote?: string;
  /** Plain-language statements a UI must show (e.g. "int8 is slower than fp32 on this CPU"). */
  readonly notes: readonly string[];
}

export interface TransformResult {
  readonly output: string;
  readonly label: string;
  readonly decisions: readonly LayerDecision[];
  readonly sensitivity?: readonly LayerSensitivity[];
  readonly verification: Verification;
  /** Zero fraction of pruned layers (magnitude, 2:4) or channels removed (structured). */
  readonly sparsity?: number;
  readonly warnings: readonly string[];
  /** Measured wall time of each step, so the transform itself can be told apart from its verification. */
  readonly timingsMs?: TransformTimings;
}

export interface TransformTimings {
  /** Reading, calibration, sensitivity, rewriting and writing the file: the transform itself. */
  readonly transform: number;
  readonly calibrate?: number;
  readonly sensitivity?: number;
  /** Running both models in onnxruntime and estimating energy. */
  readonly verify: number;
}

export interface TransformProgress {
  readonly step: 'read' | 'calibrate' | 'sensitivity' | 'rewrite' | 'write' | 'verify' | 'done';
  readonly message: string;
  /** 0..1 over the whole job. */
  readonly fraction: number;
}

export type ProgressCallback = (p: TransformProgress) => void;
