import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisInputError } from '../../core/pipeline/options';
import { DEFAULT_MAX_GRAPH_NODES } from '../../core/graph/nodeBudget';
import { BenchFailure } from '../../core/bench/benchFailure';
import type { EnergySource } from '../../core/bench/energy/types';
import { runBenchmark } from '../../core/bench/runner';
import { InputValueError, parseInputValues } from '../../core/bench/inputValues';
import { declarationsFromFile } from '../../core/bench/modelInputs';
import { saveRun } from '../../core/bench/runStore';
import { runPowerCapSweep, type PowerCapSweepResult, type SweepDeps } from '../../core/bench/capSweep';
import { currentGridIntensity } from '../../core/bench/carbon/carbonAware';
import { adviseOnSweep, renderSweep } from '../../core/bench/sweepReport';
import type { PowerCapPoint } from '../../core/energy/powerCap';
import { prepareBenchmark } from '../../core/actions/benchmarkWithEstimate';
import type { BenchOptions, BenchResult } from '../../core/bench/types';
import type { Analysis } from '../../core/energy/analysis';
import { NotRegularFileError, openRegularFile } from '../../core/io/safeRead';
import { UsageError, type Options } from '../args';
import type { CliIo } from '../io';
import { FORCE_OPTION, MAX_NODES_OPTION, OUT_OPTION, PROFILE_OPTION, emit, maxNodesFrom, parseDims } from './analysisOptions';
import type { CommandDefinition } from './types';
import { DEFAULT_PROFILE_ID } from '../../core/energy/profileRegistry';
import { benchFit } from './benchFit';

/** Exit code when the benchmark itself failed (crash, out-of-memory, timeout); 2 stays "bad input". */
export const EXIT_BENCH_FAILED = 4;

const ENERGY_CHOICES: readonly (EnergySource | 'auto')[] = ['auto', 'rapl', 'nvml', 'powermetrics', 'estimate'];

type Runner = typeof runBenchmark;

/** Estimated per-layer latency next to the measured one, when the model can be analysed. */
interface EstimateSide {
  readonly profile: string;
  readonly latencyMs: number;
  readonly energyJPerInference: number;
  readonly layers: readonly { readonly layer: string; readonly latencyMs: number; readonly energyJ: number }[];
}

/** `{ key: value }`, or nothing when the value is undefined (the options are exact optional properties). */
function pickDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function positive(options: Options, name: string, integer: boolean): number | undefined {
  const value = options.number(name);
  if (value === undefined) return undefined;
  if (!(value > 0) || (integer && !Number.isSafeInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number of at least 1' : 'more than 0'}, got ${value}.`);
  }
  return value;
}

/** onnxruntime would block opening a FIFO named like a model: only regular files are benchmarked. */
function checkRegularModel(file: string): void {
  try {
    fs.closeSync(openRegularFile(file).fd);
  } catch (e) {
    // A missing or unreadable file is reported by the runner, as before.
    if (e instanceof NotRegularFileError) throw new AnalysisInputError(e.message);
  }
}

function benchOptionsFrom(options: Options, io: CliIo, model: string): BenchOptions {
  checkRegularModel(path.resolve(io.cwd, model));
  const energy = options.string('energy') ?? 'auto';
  if (!(ENERGY_CHOICES as readonly string[]).includes(energy)) throw new UsageError(`--energy must be one of ${ENERGY_CHOICES.join(', ')}, got "${energy}".`);
  const dims = parseDims(options.list('dim'));
  const warmup = options.number('warmup');
  if (warmup !== undefined && !(Number.isSafeInteger(warmup) && warmup >= 0)) throw new UsageError(`--warmup must be a whole number of 0 or more, got ${warmup}.`);
  return {
    modelPath: path.resolve(io.cwd, model),
    ...pickDefined('iterations', positive(options, 'iterations', true)),
    ...pickDefined('durationS', positive(options, 'duration', false)),
    ...pickDefined('warmup', warmup),
    ...pickDefined('intraOpThreads', positive(options, 'threads', true)),
    ...pickDefined('interOpThreads', positive(options, 'inter-threads', true)),
    ...pickDefined('provider', options.string('provider')),
    ...pickDefined('batch', positive(options, 'batch', true)),
    ...pickDefined('timeoutS', positive(options, 'timeout', false)),
    ...(Object.keys(dims).length > 0 ? { dims } : {}),
    ...inputsFrom(options, io, path.resolve(io.cwd, model)),
    profile: !options.flag('no-layers'),
    energy: {
      prefer: energy as EnergySource | 'auto',
      ...pickDefined('tdpW', positive(options, 'tdp', false)),
    },
  };
}

/** `--input name=VALUE|FILE` entries, typed from the model's declared inputs; anything else is generated. */
function inputsFrom(options: Options, io: CliIo, modelPath: string): Pick<BenchOptions, 'inputs'> {
  const entries = options.list('input');
  if (entries.length === 0) return {};
  try {
    return { inputs: parseInputValues(entries, declarationsFromFile(modelPath), io.cwd) };
  } catch (e) {
    if (e instanceof InputValueError) throw new UsageError(e.message);
    throw e;
  }
}

/** The estimate beside the measurement, as the JSON and the table show it. */
function estimateSide(analysis: Analysis): EstimateSide {
  return {
    profile: analysis.profile.id,
    latencyMs: analysis.totals.latencyS * 1000,
    energyJPerInference: analysis.totals.energy.totalJ,
    layers: analysis.layers.map((l) => ({ layer: l.name, latencyMs: l.latencyS * 1000, energyJ: l.energy.totalJ })),
  };
}

function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(4)} ms`;
}

function fmtJ(j: number): string {
  if (j >= 1) return `${j.toFixed(3)} J`;
  if (j >= 1e-3) return `${(j * 1e3).toFixed(3)} mJ`;
  return `${(j * 1e6).toFixed(3)} µJ`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

export function renderBenchTable(result: BenchResult, estimate: EstimateSide | undefined): string {
  const p = result.protocol;
  const threads = p.runtime.intraOpThreads === undefined ? 'default threads' : `intra-op threads: ${p.runtime.intraOpThreads}`;
  const energyKind = result.energy.kind === 'measured' ? `measured (${result.energy.source}, ${result.energy.scope})` : 'estimated (no energy counter)';
  const l = result.latencyMs;
  const rows: string[][] = [
    ['metric', 'value', 'kind'],
    ['session load', fmtMs(result.loadMs), 'measured'],
    ['latency p50', fmtMs(l.p50), 'measured'],
    ['latency p90', fmtMs(l.p90), 'measured'],
    ['latency p99', fmtMs(l.p99), 'measured'],
    ['latency min / max', `${fmtMs(l.min)} / ${fmtMs(l.max)}`, 'measured'],
    ['latency mean ± sd', `${fmtMs(l.mean)} ± ${fmtMs(l.stdDev)}`, 'measured'],
    ['throughput', `${result.throughputPerS.toFixed(1)} /s`, 'measured'],
    ['peak RSS', `${(result.peakRssBytes / 2 ** 20).toFixed(1)} MiB`, 'measured'],
    ['energy / inference', fmtJ(result.energy.joulesPerInference), energyKind],
    ['average power', `${result.energy.averagePowerW.toFixed(1)} W`, result.energy.kind],
  ];
  if (estimate) {
    rows.push(['latency (model)', fmtMs(estimate.latencyMs), `estimated (profile ${estimate.profile})`]);
    rows.push(['energy / inference (model)', fmtJ(estimate.energyJPerInference), `estimated (profile ${estimate.profile})`]);
  }
  let text = `Benchmark of ${p.model.fileName}: onnxruntime ${p.runtime.onnxruntime}, ${p.runtime.provider}, ${threads}, ` +
    `${p.iterations} runs after ${p.warmup} warm-up, inputs ${result.inputs.map((i) => `${i.name}[${i.dims.join('x')}]`).join(' ')}\n\n`;
  text += table(rows);
  if (result.layers.length > 0) {
    const estimated = new Map(estimate?.layers.map((e) => [e.layer, e.latencyMs]) ?? []);
    const layerRows = [['node', 'op', 'layer', 'measured', 'share', estimate ? `estimated (${estimate.profile})` : 'estimated']];
    for (const layer of [...result.layers].sort((a, b) => b.meanMs - a.meanMs).slice(0, 30)) {
      const est = layer.layer === undefined ? undefined : estimated.get(layer.layer);
      layerRows.push([layer.node, layer.opType, layer.layer ?? '-', fmtMs(layer.meanMs), `${(layer.share * 100).toFixed(1)}%`, est === undefined ? '-' : fmtMs(est)]);
    }
    text += `\nPer node (measured by onnxruntime's profiler; estimated from the energy model):\n${table(layerRows)}`;
    if (result.layers.length > 30) text += `… ${result.layers.length - 30} more nodes (--format json has all)\n`;
  }
  const notes = [...result.energy.notes, ...result.warnings];
  if (notes.length > 0) text += `\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  return text;
}

function sweepThreads(options: Options): number[] | undefined {
  const text = options.string('sweep-threads');
  if (text === undefined) return undefined;
  const threads = text.split(',').map((t) => Number(t.trim()));
  if (threads.length === 0 || threads.some((t) => !Number.isSafeInteger(t) || t < 1)) throw new UsageError(`--sweep-threads expects whole numbers like 1,2,4, got "${text}".`);
  return threads;
}

async function sweepCommand(
  { options, io }: { options: Options; io: CliIo },
  run: Runner,
  machine: MachineAccess,
  bench: BenchOptions,
  modelled: readonly PowerCapPoint[],
  format: string,
): Promise<number> {
  const threads = sweepThreads(options);
  const intensityOverride = options.number('intensity');
  if (intensityOverride !== undefined && intensityOverride < 0) throw new UsageError(`--intensity must be 0 or more g CO2e/kWh, got ${intensityOverride}.`);
  const grid = options.string('grid');
  let sweep: PowerCapSweepResult;
  try {
    sweep = await runPowerCapSweep({ ...bench, profile: false }, threads ? { threads } : {}, { ...machine, run, modelled: [...modelled] });
  } catch (e) {
    if (!(e instanceof BenchFailure)) throw e;
    io.stderr(`joule bench: ${e.message}\n`);
    return e.reason === 'worker-error' || e.reason === 'spawn' ? 2 : EXIT_BENCH_FAILED;
  }
  const intensity = intensityOverride !== undefined
    ? { gPerKWh: intensityOverride, source: 'table' as const, attribution: 'given with --intensity' }
    : await currentGridIntensity(grid === undefined ? {} : { region: grid });
  const advice = adviseOnSweep(sweep, intensity);
  const text = format === 'json' ? `${JSON.stringify({ sweep, advice }, null, 2)}\n` : renderSweep(sweep, advice);
  emit(io, text, options, [bench.modelPath]);
  return 0;
}

/** Where the sweep finds cpufreq and nvidia-smi: injectable so tests never touch the real machine's limits. */
export type MachineAccess = Pick<SweepDeps, 'cpuRoot' | 'searchPath' | 'nvidiaSmiCommand'>;

export function createBenchCommand(run: Runner = runBenchmark, machine: MachineAccess = {}): CommandDefinition {
  return {
    name: 'bench',
    summary: 'measure latency, memory and energy of a model with onnxruntime',
    usage: 'bench MODEL [--iterations N] [--threads N] [--provider P] [--format table|json] [options]',
    details:
      'Runs the model with onnxruntime-node in a separate process: warm-up, then timed runs, then a profiling pass for time per node. ' +
      'Energy comes from RAPL, nvidia-smi or powermetrics when readable, otherwise it is estimated (and labelled so). ' +
      'Exit codes: 0 done, 2 bad arguments or a model onnxruntime cannot run, 4 the benchmark crashed, ran out of memory or timed out.',
    options: [
      { name: 'iterations', kind: 'number', valueName: 'N', description: 'timed runs (default 100; with --duration, the most runs)' },
      { name: 'duration', kind: 'number', valueName: 'S', description: 'measure for S seconds instead of a fixed count' },
      { name: 'warmup', kind: 'number', valueName: 'N', description: 'untimed runs first (default 10)' },
      { name: 'threads', kind: 'number', valueName: 'N', description: 'intra-op threads (default: onnxruntime chooses)' },
      { name: 'inter-threads', kind: 'number', valueName: 'N', description: 'inter-op threads' },
      { name: 'provider', kind: 'string', valueName: 'P', description: 'execution provider (cpu, cuda, ...; default cpu)' },
      { name: 'batch', kind: 'number', valueName: 'N', description: 'value of the leading symbolic dimension (default 1)' },
      { name: 'dim', kind: 'list', valueName: 'NAME=VALUE', description: 'value of a symbolic dimension (repeatable); unset ones take the values the analysis assumes' },
      { name: 'input', kind: 'list', valueName: 'NAME=VALUE', description: 'real value of an input: a number or comma list (sr=16000), or a .npy, .pb (TensorProto) or .json file (repeatable); inputs not given are generated' },
      { name: 'timeout', kind: 'number', valueName: 'S', description: 'stop the benchmark after S seconds (default 300)' },
      { name: 'energy', kind: 'string', valueName: ENERGY_CHOICES.join('|'), description: 'energy meter (default auto: the best readable)' },
      { name: 'tdp', kind: 'number', valueName: 'W', description: 'CPU TDP for the energy estimate (default 85 W)' },
      { name: 'no-layers', kind: 'flag', description: 'skip the per-node profiling pass' },
      { ...MAX_NODES_OPTION, description: `node budget of the estimate shown beside the measurement (default ${DEFAULT_MAX_GRAPH_NODES}); the benchmark itself runs larger graphs` },
      { ...PROFILE_OPTION, description: 'hardware profile for the estimated numbers shown beside the measured ones (default: this-machine when calibrated)' },
      { name: 'profiles-dir', kind: 'string', valueName: 'DIR', description: 'folder of your own profiles (default .joule/profiles)' },
      { name: 'save', kind: 'string', valueName: 'DIR', description: 'also save the run as JSON in DIR (e.g. .joule/runs)' },
      { name: 'label', kind: 'string', valueName: 'TEXT', description: 'label stored with a saved run (e.g. int8)' },
      { name: 'fit', kind: 'flag', description: 'refine this machine\'s calibrated profile from this run\'s kernel times (least squares) and print the error before and after' },
      { name: 'sweep', kind: 'flag', description: 'power-cap sweep: thread counts (and CPU frequency or GPU power limits where allowed), with a recommended cap' },
      { name: 'sweep-threads', kind: 'string', valueName: 'LIST', description: 'thread counts to sweep, e.g. 1,2,4 (default 1..cores)' },
      { name: 'grid', kind: 'string', valueName: 'REGION', description: 'grid region for the sweep\'s recommendation (default world)' },
      { name: 'intensity', kind: 'number', valueName: 'G', description: 'grid intensity in g CO2e/kWh for the recommendation (overrides --grid)' },
      { name: 'format', kind: 'string', valueName: 'table|json', description: 'output format (default table)' },
      OUT_OPTION,
      FORCE_OPTION,
    ],
    positionals: [1, 1],
    async run({ options, io, services }) {
      const model = options.positionals[0];
      if (model === undefined) throw new UsageError('bench needs a model file.');
      const format = options.string('format') ?? 'table';
      if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}".`);
      const profilesDir = path.resolve(io.cwd, options.string('profiles-dir') ?? path.join('.joule', 'profiles'));
      const requested = benchOptionsFrom(options, io, model);
      const maxNodes = maxNodesFrom(options);
      if (options.flag('fit') && (options.flag('sweep') || options.flag('no-layers'))) throw new UsageError('--fit needs the per-kernel times of a plain benchmark: leave out --sweep and --no-layers.');
      const prepared = await prepareBenchmark({
        bench: requested,
        profiles: services.profiles(profilesDir).profiles,
        ...pickDefined('namedProfileId', options.string('profile')),
        defaultProfileId: DEFAULT_PROFILE_ID,
        analyze: (profileId) => services.analyze(requested.modelPath, {
          profileId,
          ...pickDefined('batch', requested.batch),
          ...pickDefined('dims', requested.dims),
          ...pickDefined('maxGraphNodes', maxNodes),
          userProfilesDir: profilesDir,
        }),
      });
      const { bench, analysis, estimateNote: note } = prepared;
      if (prepared.profileNote) io.stderr(`${prepared.profileNote}\n`);
      if (options.flag('sweep')) return sweepCommand({ options, io }, run, machine, bench, prepared.modelledCaps, format);
      const side = analysis ? estimateSide(analysis) : undefined;
      let result: BenchResult;
      try {
        result = await run(bench);
      } catch (e) {
        if (!(e instanceof BenchFailure)) throw e;
        io.stderr(`joule bench: ${e.message}\n`);
        return e.reason === 'worker-error' || e.reason === 'spawn' ? 2 : EXIT_BENCH_FAILED;
      }
      if (note) io.stderr(`${note}\n`);
      const saveDir = options.string('save');
      if (saveDir !== undefined) {
        const label = options.string('label');
        const file = await saveRun(io.cwd, result, { folder: path.resolve(io.cwd, saveDir), ...(label ? { label } : {}) });
        io.stderr(`Saved ${file}\n`);
      }
      const fit = options.flag('fit') ? benchFit(services, profilesDir, bench, result, analysis) : undefined;
      if (fit?.error !== undefined) {
        io.stderr(`joule bench --fit: ${fit.error}\n`);
        return 2;
      }
      const text = format === 'json'
        ? `${JSON.stringify({ ...result, ...(side ? { estimate: side } : {}), ...(fit?.report ? { fit: fit.report } : {}) }, null, 2)}\n`
        : renderBenchTable(result, side) + (fit?.text ?? '');
      emit(io, text, options, [model]);
      return 0;
    },
  };
}

export const benchCommand = createBenchCommand();
