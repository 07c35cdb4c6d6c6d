/**
 * Typed requests between the runner (parent) and the benchmark worker (child process), carried by
 * the worker host (src/core/workers) as JSON-RPC over Node's IPC channel.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc/node';
import { defineRequest } from '../workers/protocol';
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

/** Progress of a run: the phase and how far it is. */
export interface WorkerProgress {
  readonly phase: BenchPhase;
  readonly done: number;
  readonly total: number;
}

/** Timed runs are over: what the parent's energy meter needs to stop (and an estimate to be made). */
export interface MeasureEnd {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly inferences: number;
}

export interface ProviderList {
  readonly providers: readonly ProviderInfo[];
  readonly ortVersion: string;
}

/** Runs one benchmark; progress per phase; a cancelled token stops it between two inferences. */
export const runBenchRequest = defineRequest<WorkerRunConfig, WorkerMeasurement, WorkerProgress>('joule/bench/run');
/** The execution providers the installed onnxruntime-node offers. */
export const listProvidersRequest = defineRequest<null, ProviderList>('joule/bench/listProviders');
/**
 * Worker to parent, after warm-up: the parent starts the energy meter, then answers; the worker
 * times its runs only after the answer, so the meter covers exactly the measured runs.
 */
export const measureStartRequest = new RequestType<null, null, void>('joule/bench/measureStart');
/** Worker to parent, right after the timed runs: the meter stops now. */
export const measureEndNotification = new NotificationType<MeasureEnd>('joule/bench/measureEnd');

export interface ProviderInfo {
  readonly name: string;
  /** Whether the provider's library ships inside onnxruntime-node (others need a separate install). */
  readonly bundled: boolean;
}
