/**
 * Runs a benchmark in a child process (the worker, through the worker host of src/core/workers) and
 * turns its measurements into a `BenchResult`. The caller is never at risk: the worker has its own
 * heap limit, a timeout kills it, cancellation stops it between two inferences (or kills it after a
 * grace period), and a crash or an out-of-memory is reported as a `BenchFailure` with its cause.
 * The energy meter runs here, in the parent, exactly around the worker's measured runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../errors';
import { WorkerFailure } from '../workers/failure';
import { isCancelled, WorkerHost, type CancelSignal } from '../workers/host';
import { RemoteError } from '../workers/protocol';
import { BenchFailure } from './benchFailure';
import { selectEnergyMeter } from './energy/selectMeter';
import { toMeasurement, type EnergyMeasurement, type MeterStopContext } from './energy/types';
import { analysisDims } from './modelInputs';
import { toMeasuredLayers } from './profileParser';
import { recordProtocol } from './protocol';
import { summarize } from './stats';
import type { BenchOptions, BenchProgress, BenchResult } from './types';
import { listProvidersRequest, measureEndNotification, measureStartRequest, runBenchRequest, type ProviderInfo, type WorkerMeasurement, type WorkerRunConfig } from './workerProtocol';

export const DEFAULT_ITERATIONS = 100;
export const DEFAULT_WARMUP = 10;
/** Default time limit; a duration-mode run gets twice its duration on top. */
export const DEFAULT_TIMEOUT_S = 300;
/** Most timed runs in duration mode: keeps `samplesMs` (saved and sent over IPC) to a few MB. */
export const MAX_DURATION_ITERATIONS = 100_000;
/** Time a cancelled benchmark gets to stop between two inferences before its worker is killed. */
const CANCEL_GRACE_MS = 2000;

export type { CancelSignal } from '../workers/host';

/** The worker beside this file: dist/benchWorker.js when bundled, worker.js when compiled by tsc. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'benchWorker.js'), path.join(__dirname, 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? (candidates[0] as string);
}

function startHost(workerPath: string, maxOldSpaceMb: number | undefined): WorkerHost {
  if (!fs.existsSync(workerPath)) throw new BenchFailure('spawn', `benchmark worker not found at ${workerPath} (build the extension or pass workerPath)`);
  return new WorkerHost({ script: workerPath, purpose: 'benchmark', graceMs: CANCEL_GRACE_MS, ...(maxOldSpaceMb === undefined ? {} : { heapMb: maxOldSpaceMb }) });
}

/** The host's failures as a benchmark reports them (`BenchFailure` with its cause); cancellation passes. */
function asBenchFailure(e: unknown, timeoutS: number): Error {
  if (e instanceof CancelledError) return new CancelledError('Benchmark cancelled');
  if (e instanceof RemoteError) return new BenchFailure('worker-error', e.message, null, null, e.remote.stack ?? '');
  if (e instanceof WorkerFailure) {
    const tail = e.stderrTail.trim();
    if (e.reason === 'timeout') return new BenchFailure('timeout', `The benchmark did not finish within ${timeoutS} s and was stopped.${tail ? `\n${tail}` : ''}`, null, 'SIGKILL', tail);
    if (e.reason === 'spawn') return new BenchFailure('spawn', e.message);
    // The host already named the cause (crash, or out of memory by the heap cap, stderr or the OOM killer).
    const outOfMemory = e.reason === 'out-of-memory';
    const advice = outOfMemory ? '\nTry a smaller batch or symbolic dims, or raise maxOldSpaceMb.' : '';
    return new BenchFailure(outOfMemory ? 'out-of-memory' : 'crash', `${e.message}${advice}`, e.exitCode, e.signal, e.stderrTail);
  }
  return e instanceof Error ? e : new Error(String(e));
}

function resolveConfig(options: BenchOptions, profileDir: string): WorkerRunConfig {
  const iterations = Math.max(1, Math.floor(options.iterations ?? (options.durationS === undefined ? DEFAULT_ITERATIONS : MAX_DURATION_ITERATIONS)));
  return {
    modelPath: path.resolve(options.modelPath),
    iterations,
    ...(options.durationS === undefined ? {} : { durationS: options.durationS }),
    warmup: Math.max(0, Math.floor(options.warmup ?? DEFAULT_WARMUP)),
    ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
    ...(options.interOpThreads === undefined ? {} : { interOpThreads: options.interOpThreads }),
    provider: options.provider ?? 'cpu',
    inputs: options.inputs ?? {},
    dims: analysisDims(path.resolve(options.modelPath), options.dims ?? {}, options.batch) ?? options.dims ?? {},
    ...(options.batch === undefined ? {} : { batch: options.batch }),
    profile: options.profile ?? true,
    profileIterations: Math.max(0, Math.floor(options.profileIterations ?? Math.min(iterations, 20))),
    profileDir,
  };
}

export async function runBenchmark(
  options: BenchOptions,
  onProgress?: (progress: BenchProgress) => void,
  signal?: CancelSignal,
): Promise<BenchResult> {
  if (isCancelled(signal)) throw new CancelledError('Benchmark cancelled');
  if (!fs.existsSync(options.modelPath)) throw new BenchFailure('spawn', `model not found: ${options.modelPath}`);
  // Starts nothing yet: the worker starts with the request.
  const host = startHost(options.workerPath ?? defaultWorkerPath(), options.maxOldSpaceMb);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-'));
  const config = resolveConfig(options, profileDir);
  const selection = await selectEnergyMeter(config.provider, options.energy);
  const meter = selection.meter;
  onProgress?.({ phase: 'start', done: 0, total: 1 });
  // Sampling meters start now, so they have samples by the time the timed runs begin.
  const preparing = meter.prepare?.().catch(() => undefined);
  let energyWork: Promise<EnergyMeasurement> | undefined;
  let meterError: Error | undefined;
  host.onRequest(measureStartRequest, async () => {
    try {
      await meter.start();
    } catch (e) {
      meterError = new BenchFailure('worker-error', `energy meter failed to start: ${(e as Error).message}`);
      throw meterError;
    }
    return null;
  });
  host.onNotification(measureEndNotification, (end) => {
    const context: MeterStopContext = { wallS: end.wallMs / 1000, cpuTimeS: end.cpuMs / 1000, inferences: end.inferences };
    energyWork = meter.stop(context).then((reading) => toMeasurement(meter, reading, context, selection.notes));
    energyWork.catch(() => undefined);
  });
  const timeoutS = options.timeoutS ?? DEFAULT_TIMEOUT_S + 2 * (options.durationS ?? 0);
  try {
    const measurement = await host.request(runBenchRequest, config, {
      timeoutMs: timeoutS * 1000,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress: (p) => onProgress({ phase: p.phase, done: p.done, total: p.total }) } : {}),
    }).catch((e: unknown) => {
      throw meterError ?? asBenchFailure(e, timeoutS);
    });
    host.dispose();
    if (!energyWork) throw new BenchFailure('worker-error', 'the worker reported a result without a measured phase');
    const energy = await energyWork;
    onProgress?.({ phase: 'done', done: 1, total: 1 });
    return toResult(options, config, measurement, energy);
  } catch (e) {
    host.dispose();
    if (!energyWork) {
      await preparing;
      meter.abort();
    }
    throw e;
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

function toResult(options: BenchOptions, config: WorkerRunConfig, m: WorkerMeasurement, energy: EnergyMeasurement): BenchResult {
  const layerNames = options.layerNames ? new Set(options.layerNames) : undefined;
  const protocol = recordProtocol({
    modelPath: config.modelPath,
    ortVersion: m.ortVersion,
    provider: config.provider,
    ...(config.intraOpThreads === undefined ? {} : { intraOpThreads: config.intraOpThreads }),
    ...(config.interOpThreads === undefined ? {} : { interOpThreads: config.interOpThreads }),
    inputs: m.inputs,
    iterations: m.latenciesMs.length,
    ...(config.durationS === undefined ? {} : { durationS: config.durationS }),
    warmup: config.warmup,
    energySource: energy.source,
    ...(options.revealHostname === undefined ? {} : { revealHostname: options.revealHostname }),
  });
  return {
    kind: 'measured',
    modelPath: config.modelPath,
    loadMs: m.loadMs,
    latencyMs: summarize(m.latenciesMs),
    samplesMs: m.latenciesMs,
    throughputPerS: m.measureWallMs > 0 ? m.latenciesMs.length / (m.measureWallMs / 1000) : 0,
    peakRssBytes: m.peakRssBytes,
    energy,
    layers: toMeasuredLayers(m.nodes, m.profileRuns, layerNames),
    inputs: m.inputs,
    protocol,
    warnings: m.warnings,
  };
}

/** Execution providers the installed onnxruntime-node offers (asked in a worker; CPU is always there). */
export async function listExecutionProviders(workerPath = defaultWorkerPath(), timeoutS = 60): Promise<{ providers: ProviderInfo[]; ortVersion: string }> {
  const host = startHost(workerPath, undefined);
  try {
    const answer = await host.request(listProvidersRequest, null, { timeoutMs: timeoutS * 1000 }).catch((e: unknown) => {
      throw asBenchFailure(e, timeoutS);
    });
    const providers = [...answer.providers];
    if (!providers.some((p) => p.name === 'cpu')) providers.unshift({ name: 'cpu', bundled: true });
    return { providers, ortVersion: answer.ortVersion };
  } finally {
    host.dispose();
  }
}
