/**
 * Runs a benchmark in a child process (the worker) and turns its measurements into a `BenchResult`.
 * The caller is never at risk: the worker has its own heap limit, a timeout kills it, cancellation
 * kills it, and a crash or an out-of-memory is reported as a `BenchFailure` with its cause.
 * The energy meter runs here, in the parent, exactly around the worker's measured runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError, type CancellationSignal } from '../errors';
import { BenchFailure, classifyExit } from './benchFailure';
import { selectEnergyMeter } from './energy/selectMeter';
import { toMeasurement, type EnergyMeasurement, type MeterStopContext } from './energy/types';
import { analysisDims } from './modelInputs';
import { toMeasuredLayers } from './profileParser';
import { recordProtocol } from './protocol';
import { summarize } from './stats';
import type { BenchOptions, BenchProgress, BenchResult } from './types';
import { isWorkerToParent, type ParentToWorker, type ProviderInfo, type WorkerMeasurement, type WorkerRunConfig } from './workerProtocol';

export const DEFAULT_ITERATIONS = 100;
export const DEFAULT_WARMUP = 10;
/** Default time limit; a duration-mode run gets twice its duration on top. */
export const DEFAULT_TIMEOUT_S = 300;
/** Most timed runs in duration mode: keeps `samplesMs` (saved and sent over IPC) to a few MB. */
export const MAX_DURATION_ITERATIONS = 100_000;
const STDERR_TAIL_CHARS = 4000;

export type CancelSignal = CancellationSignal | AbortSignal;

function isCancelled(signal: CancelSignal | undefined): boolean {
  if (!signal) return false;
  return 'aborted' in signal ? signal.aborted : signal.cancelled;
}

/** The worker beside this file: dist/benchWorker.js when bundled, worker.js when compiled by tsc. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'benchWorker.js'), path.join(__dirname, 'worker.js')];
  return candidates.find((c) => fs.existsSync(c)) ?? (candidates[0] as string);
}

interface WorkerHandle {
  readonly child: ChildProcess;
  stderrTail(): string;
}

function startWorker(workerPath: string, maxOldSpaceMb: number | undefined): WorkerHandle {
  if (!fs.existsSync(workerPath)) throw new BenchFailure('spawn', `benchmark worker not found at ${workerPath} (build the extension or pass workerPath)`);
  const child = fork(workerPath, [], {
    // Explicit execArgv: the caller's flags (--test, --inspect) must not leak into the worker.
    execArgv: maxOldSpaceMb === undefined ? [] : [`--max-old-space-size=${Math.round(maxOldSpaceMb)}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  // stdout is drained so a chatty native library can never block the worker on a full pipe.
  child.stdout?.resume();
  return { child, stderrTail: () => stderr };
}

function post(child: ChildProcess, message: ParentToWorker): void {
  if (child.connected) child.send(message);
}

/**
 * Lifecycle shared by every worker job: resolves with what `onMessage` settles, rejects with a
 * `BenchFailure` on timeout, crash or exit without an answer, with `CancelledError` when cancelled,
 * and always leaves the child dead.
 */
function superviseWorker<T>(
  handle: WorkerHandle,
  timeoutS: number,
  signal: CancelSignal | undefined,
  onMessage: (message: unknown, settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => void,
): Promise<T> {
  const { child } = handle;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error: Error | undefined, value?: T): void => {
      if (settled) return;
      settled = true;
      // clearTimeout also clears intervals in Node.
      for (const t of timers) clearTimeout(t);
      if (signal && 'aborted' in signal) signal.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(value as T);
    };
    const onAbort = (): void => finish(new CancelledError('Benchmark cancelled'));
    if (isCancelled(signal)) return onAbort();
    if (signal && 'aborted' in signal) signal.addEventListener('abort', onAbort);
    else if (signal) timers.push(setInterval(() => isCancelled(signal) && onAbort(), 100));
    timers.push(
      setTimeout(() => {
        const tail = handle.stderrTail().trim();
        finish(new BenchFailure('timeout', `The benchmark did not finish within ${timeoutS} s and was stopped.${tail ? `\n${tail}` : ''}`, null, 'SIGKILL', tail));
      }, timeoutS * 1000),
    );
    child.on('message', (message: unknown) => {
      if (settled) return;
      try {
        onMessage(message, { resolve: (v) => finish(undefined, v), reject: (e) => finish(e) });
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.on('error', (e) => finish(new BenchFailure('spawn', `could not start the benchmark worker: ${e.message}`)));
    child.on('exit', (code, exitSignal) => {
      // A last IPC message (the result) can still be in the channel when 'exit' fires: wait for the
      // channel to close (bounded) before calling this a failure.
      const conclude = (): void => {
        setImmediate(() => finish(classifyExit(code, exitSignal, handle.stderrTail())));
      };
      if (!child.connected) return conclude();
      const fallback = setTimeout(conclude, 1000);
      child.once('disconnect', () => {
        clearTimeout(fallback);
        conclude();
      });
    });
  });
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
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-'));
  const config = resolveConfig(options, profileDir);
  const selection = await selectEnergyMeter(config.provider, options.energy);
  const meter = selection.meter;
  const handle = startWorker(options.workerPath ?? defaultWorkerPath(), options.maxOldSpaceMb);
  onProgress?.({ phase: 'start', done: 0, total: 1 });
  // Sampling meters start now, so they have samples by the time the timed runs begin.
  const preparing = meter.prepare?.().catch(() => undefined);
  let energyWork: Promise<EnergyMeasurement> | undefined;
  try {
    const running = superviseWorker<WorkerMeasurement>(handle, options.timeoutS ?? DEFAULT_TIMEOUT_S + 2 * (options.durationS ?? 0), signal, (message, settle) => {
      if (!isWorkerToParent(message)) return;
      switch (message.type) {
        case 'progress':
          onProgress?.({ phase: message.phase, done: message.done, total: message.total });
          return;
        case 'measureStart':
          meter.start().then(
            () => post(handle.child, { type: 'go' }),
            (e: unknown) => settle.reject(new BenchFailure('worker-error', `energy meter failed to start: ${(e as Error).message}`)),
          );
          return;
        case 'measureEnd': {
          const context: MeterStopContext = { wallS: message.wallMs / 1000, cpuTimeS: message.cpuMs / 1000, inferences: message.inferences };
          energyWork = meter.stop(context).then((reading) => toMeasurement(meter, reading, context, selection.notes));
          energyWork.catch(() => undefined);
          return;
        }
        case 'result':
          settle.resolve(message.measurement);
          return;
        case 'error':
          settle.reject(new BenchFailure('worker-error', message.message, null, null, message.stack ?? ''));
          return;
        case 'providers':
          return;
      }
    });
    post(handle.child, { type: 'run', config });
    const measurement = await running;
    if (!energyWork) throw new BenchFailure('worker-error', 'the worker reported a result without a measured phase');
    const energy = await energyWork;
    onProgress?.({ phase: 'done', done: 1, total: 1 });
    return toResult(options, config, measurement, energy);
  } catch (e) {
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
  const handle = startWorker(workerPath, undefined);
  const asking = superviseWorker<{ providers: ProviderInfo[]; ortVersion: string }>(handle, timeoutS, undefined, (message, settle) => {
    if (!isWorkerToParent(message)) return;
    if (message.type === 'providers') settle.resolve({ providers: [...message.providers], ortVersion: message.ortVersion });
    else if (message.type === 'error') settle.reject(new BenchFailure('worker-error', message.message));
  });
  post(handle.child, { type: 'listProviders' });
  const answer = await asking;
  if (!answer.providers.some((p) => p.name === 'cpu')) answer.providers.unshift({ name: 'cpu', bundled: true });
  return answer;
}
