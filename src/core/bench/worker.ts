/**
 * Child-process entry of a benchmark (bundled as dist/benchWorker.js). It loads onnxruntime-node
 * lazily, so the native library lives only in this process: a crash, an out-of-memory or a hang here
 * is seen by the runner as a dead or silent child, never as a dead caller.
 *
 * Served by the worker host (src/core/workers). Sequence: load -> build inputs -> warm-up ->
 * `measureStart` request (its answer means the parent's energy meter is running) -> timed runs ->
 * `measureEnd` -> optional profiling pass in a fresh session -> the answer. A cancelled token stops
 * it between two inferences.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as Ort from 'onnxruntime-node';
import type { CancellationToken } from 'vscode-jsonrpc/node';
import { CancelledError } from '../errors';
import { serveWorker, type WorkerServer } from '../workers/serve';
import { buildInputs, type GeneratedInput, type InputDeclaration } from './inputs';
import { describeFeed } from './inputValues';
import { parseOrtProfile, type NodeTiming } from './profileParser';
import { listProvidersRequest, measureEndNotification, measureStartRequest, runBenchRequest, type WorkerMeasurement, type WorkerProgress, type WorkerRunConfig } from './workerProtocol';
import type { BenchPhase } from './types';

type OrtModule = typeof Ort;

/** What a run talks to: its parent (meter hand-offs), its progress and its cancellation. */
interface RunContext {
  readonly server: WorkerServer;
  readonly token: CancellationToken;
  readonly progress: (value: WorkerProgress) => void;
}

function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new CancelledError('Benchmark cancelled');
}

/** Progress at most every 200 ms, so reporting never shows up in the timings. */
function progressReporter(context: RunContext, phase: BenchPhase, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = performance.now();
    if (done === total || now - last >= 200) {
      last = now;
      context.progress({ phase, done, total });
    }
  };
}

function loadOrt(): OrtModule {
  // Loaded here, not at import: only the worker process ever holds the native library.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('onnxruntime-node') as OrtModule;
}

function sessionOptions(config: WorkerRunConfig, profilePrefix?: string): Ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [config.provider],
    graphOptimizationLevel: 'all',
    ...(config.intraOpThreads === undefined ? {} : { intraOpNumThreads: config.intraOpThreads }),
    ...(config.interOpThreads === undefined ? {} : { interOpNumThreads: config.interOpThreads }),
    ...(profilePrefix === undefined ? {} : { enableProfiling: true, profileFilePrefix: profilePrefix }),
  };
}

function declarationsOf(session: Ort.InferenceSession, modelPath: string): InputDeclaration[] {
  const metadata = (session as Partial<Pick<Ort.InferenceSession, 'inputMetadata'>>).inputMetadata;
  if (!metadata) return readerModule().declarationsFromFile(modelPath);
  return metadata.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, shape: [] }));
}

function readerModule(): typeof import('./modelInputs') {
  // Loaded lazily: only these steps need Joule's ONNX reader inside the worker.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./modelInputs') as typeof import('./modelInputs');
}

async function profilePass(context: RunContext, ort: OrtModule, config: WorkerRunConfig, feeds: Ort.InferenceSession.FeedsType, warnings: string[]): Promise<NodeTiming[]> {
  const prefix = path.join(config.profileDir, 'ort_profile');
  // The graph onnxruntime actually runs (fused, relaid out) for the same options: it tells which of
  // the model's layers each profiled kernel executes.
  const optimizedPath = path.join(config.profileDir, 'optimized.onnx');
  const session = await ort.InferenceSession.create(config.modelPath, { ...sessionOptions(config, prefix), optimizedModelFilePath: optimizedPath });
  const report = progressReporter(context, 'profile', config.profileIterations);
  // One extra first run, left out by the parser: it pays for allocations the timed runs did not.
  for (let i = 0; i <= config.profileIterations; i++) {
    throwIfCancelled(context.token);
    await session.run(feeds);
    if (i > 0) report(i);
  }
  session.endProfiling();
  await session.release();
  const files = fs.readdirSync(config.profileDir).filter((f) => f.startsWith('ort_profile') && f.endsWith('.json'));
  const newest = files.sort().at(-1);
  if (newest === undefined) throw new Error('onnxruntime wrote no profile file');
  const timings = parseOrtProfile(fs.readFileSync(path.join(config.profileDir, newest), 'utf8'), 1);
  try {
    const kernels = readerModule().kernelLayersFromFiles(config.modelPath, optimizedPath);
    return timings.map((t) => {
      const layers = kernels.get(t.node);
      return layers === undefined ? t : { ...t, layers };
    });
  } catch (e) {
    warnings.push(`fused kernels matched to layers by name only (optimized graph unreadable: ${e instanceof Error ? e.message : String(e)})`);
    return timings;
  } finally {
    fs.rmSync(optimizedPath, { force: true });
  }
}

/** A clear message for a provider this onnxruntime-node does not offer, before onnxruntime's own. */
function checkProvider(ort: OrtModule, provider: string): void {
  const offered = ort.listSupportedBackends();
  const match = offered.find((b) => b.name === provider);
  const names = offered.map((b) => b.name).join(', ');
  if (!match) throw new Error(`execution provider '${provider}' is not offered by onnxruntime-node ${ort.env.versions.common} (offered: ${names})`);
  if (!match.bundled) {
    process.stderr.write(`note: provider '${provider}' is not bundled with onnxruntime-node; it needs its own libraries installed\n`);
  }
}

/**
 * One run before the timed ones, so a model that rejects its inputs fails with a message naming each
 * input and the values used (`sr=1 (int64 scalar, generated)`), not a bare onnxruntime error.
 */
async function firstRun(session: Ort.InferenceSession, feeds: Record<string, Ort.Tensor>, inputs: readonly GeneratedInput[]): Promise<void> {
  try {
    await session.run(feeds);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const named = inputs.filter((i) => message.includes(i.name)).map((i) => i.name);
    const blame = named.length > 0 ? ` (the error names ${named.join(', ')})` : '';
    throw new Error(`onnxruntime rejected the inputs${blame}: ${inputs.map(describeFeed).join('; ')}. Give real values with --input NAME=VALUE|FILE.npy, or dims with --dim. onnxruntime said: ${message}`);
  }
}

async function run(config: WorkerRunConfig, context: RunContext): Promise<WorkerMeasurement> {
  const warnings: string[] = [];
  const ort = loadOrt();
  checkProvider(ort, config.provider);
  context.progress({ phase: 'load', done: 0, total: 1 });
  const loadStart = performance.now();
  const session = await ort.InferenceSession.create(config.modelPath, sessionOptions(config));
  const loadMs = performance.now() - loadStart;
  context.progress({ phase: 'load', done: 1, total: 1 });

  const generated = buildInputs(declarationsOf(session, config.modelPath), config.dims, config.inputs, config.batch);
  const feeds: Record<string, Ort.Tensor> = {};
  for (const input of generated) feeds[input.name] = new ort.Tensor(input.type, input.data, input.dims);
  await firstRun(session, feeds, generated);

  const reportWarmup = progressReporter(context, 'warmup', config.warmup);
  for (let i = 1; i <= config.warmup; i++) {
    throwIfCancelled(context.token);
    await session.run(feeds);
    reportWarmup(i);
  }

  throwIfCancelled(context.token);
  await context.server.sendRequest(measureStartRequest, null);
  const latenciesMs: number[] = [];
  const deadline = config.durationS === undefined ? Infinity : performance.now() + config.durationS * 1000;
  // Progress in runs out of iterations, or in duration mode in elapsed ms out of the duration.
  const durationMs = config.durationS === undefined ? undefined : Math.round(config.durationS * 1000);
  const reportMeasure = progressReporter(context, 'measure', durationMs ?? config.iterations);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  while (latenciesMs.length < config.iterations && (latenciesMs.length === 0 || performance.now() < deadline)) {
    throwIfCancelled(context.token);
    const t0 = performance.now();
    await session.run(feeds);
    latenciesMs.push(performance.now() - t0);
    reportMeasure(durationMs === undefined ? latenciesMs.length : Math.min(durationMs, Math.round(performance.now() - wallStart)));
  }
  const measureWallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  await context.server.sendNotification(measureEndNotification, { wallMs: measureWallMs, cpuMs: (cpu.user + cpu.system) / 1000, inferences: latenciesMs.length });
  await session.release();

  let nodes: NodeTiming[] = [];
  if (config.profile && config.profileIterations > 0) {
    try {
      nodes = await profilePass(context, ort, config, feeds, warnings);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      warnings.push(`per-node profile unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    loadMs,
    latenciesMs,
    measureWallMs,
    measureCpuMs: (cpu.user + cpu.system) / 1000,
    // maxRSS is in KiB; it is the peak of this whole process, native allocations included.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    inputs: generated.map((g) => ({ name: g.name, type: g.type, dims: g.dims, origin: g.origin })),
    nodes,
    profileRuns: nodes.length > 0 ? config.profileIterations : 0,
    ortVersion: ort.env.versions.node ?? ort.env.versions.common,
    warnings,
  };
}

export function registerBenchHandlers(server: WorkerServer): void {
  server.onRequest(runBenchRequest, (config, token, progress) => run(config, { server, token, progress }));
  server.onRequest(listProvidersRequest, () => {
    const ort = loadOrt();
    return { providers: ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled })), ortVersion: ort.env.versions.common };
  });
}

if (require.main === module) serveWorker(registerBenchHandlers);
