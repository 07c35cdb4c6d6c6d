/**
 * Measures this machine for `joule calibrate`: every probe of probes.ts runs in the benchmark's
 * isolated child process (runBenchmark), with the thread count the benchmarks use, and its kernel
 * time from onnxruntime's profiler becomes a rate. Power comes from the benchmark's energy counter when one is readable
 * (RAPL, NVML, powermetrics) and is left unmeasured otherwise.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../errors';
import { runBenchmark, type CancelSignal } from '../bench/runner';
import type { MeterSelectionOptions } from '../bench/energy/selectMeter';
import { buildProbes, type Probe, type ProbeId, type ProbeSizes } from './probes';

export interface CalibrationOptions {
  /** onnxruntime intra-op threads, as `joule bench --threads` (default: onnxruntime's choice). */
  readonly threads?: number;
  /** Shrinks the probes (1 = the real calibration); tests use a small value. */
  readonly scale?: number;
  /** Timed runs per probe (default 20). */
  readonly iterations?: number;
  /**
   * Passes over all the probes (default 3); each probe keeps its fastest pass. A shared or throttled
   * machine only ever slows a probe down, and one slow pass made a whole calibration 1.6x pessimistic.
   */
  readonly rounds?: number;
  readonly workerPath?: string;
  readonly energy?: MeterSelectionOptions;
  /** Where the machine's cache sizes are read (default the Linux sysfs). */
  readonly sysCpuRoot?: string;
}

export interface ProbeResult {
  readonly id: ProbeId;
  readonly what: string;
  /**
   * Kernel time of one run from onnxruntime's profiler (what the probe's operators take, without the
   * JavaScript binding's per-run cost); the run's median latency where no profile was written.
   */
  readonly medianS: number;
  /** Median latency of a whole run (session.run from JavaScript), seconds. */
  readonly runS: number;
  readonly macs: number;
  readonly bytes: number;
  readonly elementOps: number;
  readonly gemm?: Probe['gemm'];
  /** Average power during the timed runs, W, when a counter measured it. */
  readonly measuredPowerW?: number;
  readonly powerSource?: string;
}

export interface CalibrationResult {
  readonly date: string;
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly threads: number | 'default';
  readonly onnxruntime: string;
  readonly caches: CacheSizes;
  readonly probes: readonly ProbeResult[];
  readonly durationS: number;
}

export interface CacheSizes {
  /** Per-core cache (L2 where there is one), bytes. */
  readonly coreBytes: number;
  /** Last-level cache, bytes. */
  readonly lastLevelBytes: number;
  /** Where the sizes came from. */
  readonly source: 'sysfs' | 'default';
}

/** Cache sizes from /sys/devices/system/cpu/cpu0/cache (Linux); typical x86 sizes elsewhere. */
export function readCacheSizes(sysCpuRoot = '/sys/devices/system/cpu'): CacheSizes {
  const dir = path.join(sysCpuRoot, 'cpu0', 'cache');
  const sizes = new Map<number, number>();
  try {
    for (const entry of fs.readdirSync(dir).filter((e) => /^index\d+$/.test(e))) {
      const read = (f: string): string => fs.readFileSync(path.join(dir, entry, f), 'utf8').trim();
      if (read('type') === 'Instruction') continue;
      const m = /^(\d+)([KMG]?)$/.exec(read('size'));
      if (!m) continue;
      const bytes = Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G']);
      const level = Number(read('level'));
      sizes.set(level, Math.max(sizes.get(level) ?? 0, bytes));
    }
  } catch {
    // No sysfs (macOS, Windows, a container without it): fall through to the defaults.
  }
  const levels = [...sizes.keys()].sort((a, b) => a - b);
  if (levels.length === 0) return { coreBytes: 512 * 1024, lastLevelBytes: 32 * 1024 ** 2, source: 'default' };
  const core = sizes.get(2) ?? sizes.get(levels[0]!)!;
  const last = sizes.get(levels.at(-1)!)!;
  return { coreBytes: core, lastLevelBytes: Math.max(last, core), source: 'sysfs' };
}

export function probeSizes(caches: CacheSizes, scale: number): ProbeSizes {
  return {
    cacheBytes: caches.coreBytes / 2,
    // A last-level cache shared by all cores: half of it stays clear of the other working sets.
    llcBytes: Math.max(caches.coreBytes * 2, caches.lastLevelBytes / 2),
    dramBytes: Math.max(64 * 1024 ** 2, caches.lastLevelBytes * 4) * Math.min(1, Math.max(scale, 1 / 16)),
    scale,
  };
}

export type CalibrationProgress = (done: number, total: number, what: string) => void;

/** One timed pass of a probe: its kernel time from onnxruntime's profiler, and power when readable. */
async function measureProbe(probe: Probe, modelPath: string, options: CalibrationOptions, signal: CancelSignal | undefined): Promise<{ readonly result: ProbeResult; readonly onnxruntime: string }> {
  const result = await runBenchmark(
    {
      modelPath,
      iterations: options.iterations ?? 20,
      warmup: 3,
      profile: true,
      profileIterations: options.iterations ?? 20,
      ...(options.threads === undefined ? {} : { intraOpThreads: options.threads }),
      ...(options.workerPath === undefined ? {} : { workerPath: options.workerPath }),
      ...(options.energy === undefined ? {} : { energy: options.energy }),
    },
    undefined,
    signal,
  );
  const measured = result.energy.kind === 'measured';
  // Layout reorders around a lone convolution (NCHW to the blocked NCHWc layout and back) happen
  // once at a model's ends, not per layer: the probe's rate is its operator's kernel time alone.
  const kernelMs = result.layers.filter((l) => !l.opType.startsWith('Reorder')).reduce((sum, l) => sum + l.meanMs, 0);
  return {
    onnxruntime: result.protocol.runtime.onnxruntime,
    result: {
      id: probe.id,
      what: probe.what,
      medianS: (kernelMs > 0 ? kernelMs : result.latencyMs.p50) / 1000,
      runS: result.latencyMs.p50 / 1000,
      macs: probe.macs,
      bytes: probe.bytes,
      elementOps: probe.elementOps,
      ...(probe.gemm === undefined ? {} : { gemm: probe.gemm }),
      ...(measured ? { measuredPowerW: result.energy.averagePowerW, powerSource: result.energy.source } : {}),
    },
  };
}

export async function calibrateMachine(options: CalibrationOptions = {}, onProgress?: CalibrationProgress, signal?: CancelSignal): Promise<CalibrationResult> {
  const started = Date.now();
  const caches = readCacheSizes(options.sysCpuRoot);
  const probes = buildProbes(probeSizes(caches, options.scale ?? 1));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-calibrate-'));
  const rounds = Math.max(1, Math.floor(options.rounds ?? 3));
  const fastest = new Map<ProbeId, ProbeResult>();
  let onnxruntime = 'unknown';
  try {
    for (const probe of probes) fs.writeFileSync(path.join(dir, `${probe.id}.onnx`), probe.model.toBytes());
    // Passes interleave the probes, so a slow minute of the machine hits one pass of each, not every pass of one.
    for (let round = 0; round < rounds; round++) {
      for (const [i, probe] of probes.entries()) {
        if (signal && ('aborted' in signal ? signal.aborted : signal.cancelled)) throw new CancelledError('Calibration cancelled');
        onProgress?.(round * probes.length + i, rounds * probes.length, probe.what);
        const measured = await measureProbe(probe, path.join(dir, `${probe.id}.onnx`), options, signal);
        onnxruntime = measured.onnxruntime;
        const best = fastest.get(probe.id);
        if (!best || measured.result.medianS < best.medianS) fastest.set(probe.id, measured.result);
      }
    }
    onProgress?.(rounds * probes.length, rounds * probes.length, 'done');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const results = probes.map((p) => fastest.get(p.id)!);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCores: cpus.length,
    threads: options.threads ?? 'default',
    onnxruntime,
    caches,
    probes: results,
    durationS: (Date.now() - started) / 1000,
  };
}
