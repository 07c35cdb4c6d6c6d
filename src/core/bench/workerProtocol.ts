/**
 * Typed messages between the runner (parent) and the benchmark worker (child process). Both sides
 * import only these types; the messages travel over Node's IPC channel as JSON.
 */
import type { BenchPhase, InputShape, UserInput } from './types';
import type { NodeTiming } from './profileParser';

/** What the worker needs to know, resolved by the runner (defaults filled in). */
export interface WorkerRunConfig {
  readonly modelPath: string;
  readonly iterations: number;
  readonly durationS?: number;
  readonly warmup: number;
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly provider: string;
  readonly inputs: Readonly<Record<string, UserInput>>;
  readonly dims: Readonly<Record<string, number>>;
  readonly batch?: number;
  readonly profile: boolean;
  readonly profileIterations: number;
  /** Folder for onnxruntime's profile file (the runner creates and deletes it). */
  readonly profileDir: string;
}

export interface WorkerMeasurement {
  readonly loadMs: number;
  readonly latenciesMs: readonly number[];
  /** Wall time of the whole measured phase, ms. */
  readonly measureWallMs: number;
  /** CPU time (user + system) of the worker during the measured phase, ms. */
  readonly measureCpuMs: number;
  readonly peakRssBytes: number;
  readonly inputs: readonly InputShape[];
  readonly nodes: readonly NodeTiming[];
  readonly profileRuns: number;
  readonly ortVersion: string;
  readonly warnings: readonly string[];
}

export type ParentToWorker =
  | { readonly type: 'run'; readonly config: WorkerRunConfig }
  /** Answer to `measureStart`: the energy meter is running, start timing. */
  | { readonly type: 'go' }
  | { readonly type: 'listProviders' };

export type WorkerToParent =
  | { readonly type: 'progress'; readonly phase: BenchPhase; readonly done: number; readonly total: number }
  /** Warm-up is over; the worker waits for `go` so the meter covers exactly the measured runs. */
  | { readonly type: 'measureStart' }
  /** Timed runs are over: the meter stops now, with what an estimate needs. */
  | { readonly type: 'measureEnd'; readonly wallMs: number; readonly cpuMs: number; readonly inferences: number }
  | { readonly type: 'result'; readonly measurement: WorkerMeasurement }
  | { readonly type: 'providers'; readonly providers: readonly ProviderInfo[]; readonly ortVersion: string }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

export interface ProviderInfo {
  readonly name: string;
  /** Whether the provider's library ships inside onnxruntime-node (others need a separate install). */
  readonly bundled: boolean;
}

export function isWorkerToParent(value: unknown): value is WorkerToParent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
