/**
 * Public shapes of a benchmark: what callers pass in and what they get back. A result is plain JSON
 * (saved under `.joule/runs/`, printed by `joule bench --format json`, sent to the report panel), so
 * every field is serialisable. Every number says whether it was measured or estimated.
 */
import type { LatencySummary } from './stats';
import type { BenchProtocol } from './protocol';
import type { EnergyMeasurement } from './energy/types';
import type { MeterSelectionOptions } from './energy/selectMeter';

/** Element types the input generator can fill (onnxruntime's tensor type names). */
export type InputElementType =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'bool';

/** A user-supplied input tensor; `data` is row-major and must hold the product of `dims` values. */
export interface UserInput {
  readonly type: InputElementType;
  readonly dims: readonly number[];
  readonly data: readonly (number | boolean)[];
}

export interface BenchOptions {
  readonly modelPath: string;
  /** Measured iterations (default 100). With `durationS`, the most iterations to run. */
  readonly iterations?: number;
  /** Measure for this many seconds instead of a fixed count (at least one iteration runs). */
  readonly durationS?: number;
  /** Untimed runs before measuring, to warm caches and the allocator (default 10). */
  readonly warmup?: number;
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  /** Execution provider name as onnxruntime-node spells it ('cpu', 'cuda', ...); default 'cpu'. */
  readonly provider?: string;
  /** Inputs by name; generated from the model's input shapes when absent. */
  readonly inputs?: Readonly<Record<string, UserInput>>;
  /** Values of symbolic dimensions (`batch`, `seq`); unbound ones default to 1. */
  readonly dims?: Readonly<Record<string, number>>;
  /** Bound to the leading symbolic dimension of each input not named in `dims` (as the analysis does). */
  readonly batch?: number;
  /** Kill the worker after this many seconds (default 300, plus twice `durationS` in duration mode). */
  readonly timeoutS?: number;
  /** The worker script: dist/benchWorker.js in the bundle, out/src/core/bench/worker.js in tests. */
  readonly workerPath?: string;
  /** Collect onnxruntime's per-node profile in a separate pass after timing (default true). */
  readonly profile?: boolean;
  /** Runs in the profiling pass (default min(iterations, 20)). */
  readonly profileIterations?: number;
  /** V8 heap limit of the worker in MiB; native (onnxruntime) memory is not bounded by it. */
  readonly maxOldSpaceMb?: number;
  /** Layer (node) names of the model, to map profiled nodes back to layers. */
  readonly layerNames?: readonly string[];
  /** Record the hostname in clear in the protocol (default: a hash). */
  readonly revealHostname?: boolean;
  /** Energy meter settings; see energy/selectMeter.ts. */
  readonly energy?: MeterSelectionOptions;
}

export type BenchPhase = 'start' | 'load' | 'warmup' | 'measure' | 'profile' | 'done';

export interface BenchProgress {
  readonly phase: BenchPhase;
  readonly done: number;
  readonly total: number;
}

/** Measured time of one node (onnxruntime profile), mapped to a layer of the model when possible. */
export interface MeasuredLayer {
  /** Node name as onnxruntime reports it (fused nodes may carry a new name). */
  readonly node: string;
  readonly opType: string;
  readonly provider: string;
  /**
   * Layer name of the model (IR node name) this time belongs to, the first of `fusedLayers` for a
   * fused kernel; undefined when the kernel executes no layer of the model (a layout reorder).
   */
  readonly layer?: string;
  /** Every layer a fused kernel executes, in model order (absent for a kernel of one layer). */
  readonly fusedLayers?: readonly string[];
  /** Mean kernel time per inference, milliseconds. */
  readonly meanMs: number;
  /** Share of the summed kernel time, 0..1. */
  readonly share: number;
  readonly calls: number;
}

export interface InputShape {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly number[];
  /** Whether the data was supplied by the user or generated. */
  readonly origin: 'user' | 'generated';
}

export interface BenchResult {
  readonly kind: 'measured';
  readonly modelPath: string;
  readonly loadMs: number;
  readonly latencyMs: LatencySummary;
  /** Every measured latency in run order (for histograms and re-analysis). */
  readonly samplesMs: readonly number[];
  /** Inferences per second over the measured phase (sequential runs). */
  readonly throughputPerS: number;
  /** Peak resident set of the worker process (measured, includes onnxruntime's native memory). */
  readonly peakRssBytes: number;
  readonly energy: EnergyMeasurement;
  readonly layers: readonly MeasuredLayer[];
  readonly inputs: readonly InputShape[];
  readonly protocol: BenchProtocol;
  readonly warnings: readonly string[];
}
