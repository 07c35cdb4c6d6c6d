/**
 * The result of analysing a model on a hardware profile: what the CLI prints (`--format json` is
 * this object), what reports render and what the editor shows. Shared contract: add fields, never
 * rename or remove (the JSON is documented in docs/analysis-schema.md).
 */
import type { ModelFormat } from '../graph/ir';
import type { Precision } from '../cost/types';
import type { Band } from './uncertainty';
import type { AssumedDim, OpenDim } from '../graph/dimBinding';

export type { AssumedDim, OpenDim } from '../graph/dimBinding';

/** Energy of one inference (or one layer of it), in joules, split as docs/architecture.md prescribes. */
export interface EnergyBreakdown {
  /** Arithmetic: MACs × energy per MAC at the op's precision, plus other arithmetic. */
  readonly computeJ: number;
  /** Data movement inside the chip (register files, SRAM, caches). */
  readonly onChipJ: number;
  /** Data movement to and from off-chip memory (DRAM, HBM, flash). */
  readonly offChipJ: number;
  /** Idle power × estimated latency, plus activity power not attributed to ops or bytes (profiles with `activePowerW`). */
  readonly staticJ: number;
  readonly totalJ: number;
}

export type Bound = 'compute' | 'memory' | 'overhead' | 'unknown';

export interface LayerBytes {
  readonly weights: number;
  readonly inputs: number;
  readonly outputs: number;
  /** Bytes moved at each memory level of the profile, by level name (e.g. { sram: …, dram: … }). */
  readonly byLevel: Readonly<Record<string, number>>;
  /** Hong–Kung style lower bound on off-chip traffic for this layer (its data-movement floor). */
  readonly offChipFloor: number;
}

export interface LayerAnalysis {
  /** The node's name from the file. */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly macs: number;
  readonly flops: number;
  readonly params: number;
  readonly precision: Precision;
  readonly outputShapes: readonly (readonly (number | string | undefined)[] | undefined)[];
  readonly bytes: LayerBytes;
  readonly energy: EnergyBreakdown;
  readonly latencyS: number;
  readonly bound: Bound;
  /** Arithmetic intensity in FLOPs per off-chip byte (roofline x axis). */
  readonly intensity: number;
  /** Share of the model's total energy, 0..1. */
  readonly energyShare: number;
  /** The roofline terms behind latencyS (filled by `estimate`; the power-cap model scales them). */
  readonly timing?: { readonly computeS: number; readonly memoryS: number; readonly overheadS: number };
  readonly confidence: 'exact' | 'partial' | 'unknown';
  readonly note?: string;
  /**
   * The kernel this layer runs in on the profile's runtime (docs/energy-model.md, "Execution graph"):
   * layers with the same `id` run as one fused kernel; `members` are the layer names in it;
   * `kernelClass` is 'gemm', 'conv', 'depthwise', 'elementwise', 'reduction', 'copy', or 'none' for
   * ops that run no kernel (shape-only, constant-folded). Absent for layers whose cost is unknown.
   */
  readonly kernel?: { readonly id: string; readonly kernelClass: string; readonly members: readonly string[] };
  /** This layer's uncertainty band (the profile's, src/core/energy/uncertainty.ts). */
  readonly uncertainty?: { readonly energyJ: Band; readonly latencyS: Band };
}

export interface UnknownOp {
  readonly opType: string;
  readonly domain: string;
  readonly count: number;
  /** Names of the nodes (first few). */
  readonly nodes: readonly string[];
}

export interface Analysis {
  /** Every number here is an estimate from the model on `profile`; measured numbers live in bench results. */
  readonly kind: 'estimate';
  readonly model: {
    readonly path: string;
    readonly format: ModelFormat;
    /** ai.onnx opset (or the format's version). */
    readonly opset?: number;
    readonly producer?: string;
    readonly params: number;
    readonly weightBytes: number;
  };
  readonly profile: {
    readonly id: string;
    readonly name: string;
    /**
     * The profile's roof for roofline charts, at the model's dominant precision and with the
     * profile's efficiency factors applied (the same throughput the latency model uses). Optional:
     * analyzeFile fills it from the profile when the estimator does not.
     */
    readonly roofline?: {
      readonly precision: Precision;
      /** Reachable arithmetic throughput, FLOP/s (1 MAC = 2 FLOPs). */
      readonly peakFlopsPerS: number;
      /** Reachable bandwidth of the outermost (off-chip) memory level, bytes/s. */
      readonly offChipBytesPerS: number;
    };
  };
  readonly settings: {
    readonly batch: number;
    /** Symbolic dimensions and the values used (defaults included). */
    readonly dims: Readonly<Record<string, number>>;
    readonly gridRegion: string;
    readonly gridIntensityGPerKWh: number;
    readonly pue: number;
  };
  readonly totals: {
    readonly macs: number;
    readonly flops: number;
    readonly latencyS: number;
    readonly energy: EnergyBreakdown;
    readonly co2eGrams: number;
    readonly per1k: { readonly energyJ: number; readonly co2eGrams: number };
    readonly per1M: { readonly energyJ: number; readonly co2eGrams: number };
    /**
     * The band the totals lie in, from the profile's validation or calibration error
     * (docs/validation.md, "Uncertainty bands"). Optional: analyses saved before it have none.
     */
    readonly uncertainty?: {
      readonly logError: number;
      readonly basis: string;
      readonly energyJ: Band;
      readonly latencyS: Band;
    };
  };
  readonly layers: readonly LayerAnalysis[];
  readonly unknownOps: readonly UnknownOp[];
  readonly warnings: readonly string[];
  /**
   * Symbolic input dimensions whose values were assumed (not given by the user), with where each
   * came from; absent or empty when every dimension was given or fixed. Headlines say so.
   */
  readonly assumedDims?: readonly AssumedDim[];
  /**
   * Set when the model's compute cannot be known (Python code without an input shape): why, and how
   * to fix it. Totals then hold weights only and every view says "unknown: set the input shape".
   */
  readonly computeUnknown?: string;
  /**
   * Every open input dimension with its role (batch, sequence, height, width) and where its value came
   * from, `user` included: what the report's dimension bar edits. Absent for models without one.
   */
  readonly openDims?: readonly OpenDim[];
}
