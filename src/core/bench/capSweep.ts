/**
 * Power-cap sweep: benchmarks the model under each cap the machine allows, giving measured
 * (cap, latency, energy) points. CPU: intra-op thread counts always; cpufreq frequency limits where
 * writable. GPU: `nvidia-smi -pl` where permitted. Caps that cannot be applied are listed with the
 * reason, and the modelled curve (energy model's `powerCapSweep`, src/core/energy/powerCap.ts) is
 * carried beside the measured points so the chart always has something to show.
 */
import * as os from 'node:os';
import type { CancellationSignal } from '../errors';
import { throwIfCancelled } from '../errors';
import type { PowerCapPoint } from '../energy/powerCap';
import {
  DEFAULT_CPU_ROOT, probeCpuFrequencyControl, probeGpuPowerControl, setCpuMaxFrequency, setGpuPowerLimit,
} from './capControl';
import { clearCapState, defaultCapStateFile, recordCapState, restoreLeftCaps } from './capState';
import { findOnPath } from './energy/selectMeter';
import type { EnergySource } from './energy/types';
import { runBenchmark } from './runner';
import type { BenchOptions, BenchResult } from './types';

export type CapSetting =
  | { readonly kind: 'threads'; readonly threads: number }
  | { readonly kind: 'cpu-frequency'; readonly maxKHz: number }
  | { readonly kind: 'gpu-power'; readonly watts: number };

export interface MeasuredCapPoint {
  readonly cap: CapSetting;
  readonly latencyP50Ms: number;
  readonly latencyMeanMs: number;
  readonly throughputPerS: number;
  readonly joulesPerInference: number;
  readonly averagePowerW: number;
  readonly energySource: EnergySource;
  readonly energyKind: 'measured' | 'estimated';
}

export interface UnavailableCap {
  readonly kind: 'cpu-frequency' | 'gpu-power';
  readonly reason: string;
}

export interface PowerCapSweepResult {
  readonly measured: readonly MeasuredCapPoint[];
  /** From the energy model (estimated), when the caller supplied it: one point per modelled cap in watts. */
  readonly modelled: readonly PowerCapPoint[];
  readonly unavailable: readonly UnavailableCap[];
  readonly notes: readonly string[];
}

export interface SweepPlan {
  /** Intra-op thread counts (default 1..logical cores). Empty: no thread sweep. */
  readonly threads?: readonly number[];
  /** Frequency limits in kHz (default: 4 steps from the minimum to the maximum). */
  readonly cpuFrequenciesKHz?: readonly number[];
  /** GPU power limits in watts (no default: a GPU's valid range is its own). */
  readonly gpuPowerW?: readonly number[];
  readonly sweepCpuFrequency?: boolean;
}

export interface SweepDeps {
  readonly run?: typeof runBenchmark;
  readonly cpuRoot?: string;
  readonly nvidiaSmiCommand?: string;
  readonly searchPath?: string;
  /** The energy model's curve for this model and profile (energy/powerCap.ts powerCapSweep). */
  readonly modelled?: readonly PowerCapPoint[];
  readonly logicalCores?: number;
  /** Where the original limits are recorded while changed (capState.ts); default in the temp folder. */
  readonly stateFile?: string;
}

function toPoint(cap: CapSetting, r: BenchResult): MeasuredCapPoint {
  return {
    cap,
    latencyP50Ms: r.latencyMs.p50,
    latencyMeanMs: r.latencyMs.mean,
    throughputPerS: r.throughputPerS,
    joulesPerInference: r.energy.joulesPerInference,
    averagePowerW: r.energy.averagePowerW,
    energySource: r.energy.source,
    energyKind: r.energy.kind,
  };
}

function evenSteps(from: number, to: number, steps: number): number[] {
  if (to <= from) return [from];
  return Array.from({ length: steps }, (_, i) => Math.round(from + ((to - from) * i) / (steps - 1)));
}

export async function runPowerCapSweep(
  base: BenchOptions,
  plan: SweepPlan = {},
  deps: SweepDeps = {},
  onPoint?: (point: MeasuredCapPoint, index: number) => void,
  signal?: CancellationSignal,
): Promise<PowerCapSweepResult> {
  const run = deps.run ?? runBenchmark;
  const measured: MeasuredCapPoint[] = [];
  const unavailable: UnavailableCap[] = [];
  const notes: string[] = [];
  const record = (point: MeasuredCapPoint): void => {
    measured.push(point);
    onPoint?.(point, measured.length - 1);
  };
  const gpuProvider = base.provider !== undefined && base.provider !== 'cpu';
  const stateFile = deps.stateFile ?? defaultCapStateFile(deps.cpuRoot ?? DEFAULT_CPU_ROOT);
  // A sweep killed before its `finally` left limits lowered: put them back before anything else.
  notes.push(...await restoreLeftCaps(stateFile, deps.cpuRoot ?? DEFAULT_CPU_ROOT));

  const cores = deps.logicalCores ?? (os.cpus().length || 1);
  const threads = plan.threads ?? Array.from({ length: cores }, (_, i) => i + 1);
  for (const t of threads) {
    throwIfCancelled(signal);
    record(toPoint({ kind: 'threads', threads: t }, await run({ ...base, intraOpThreads: t }, undefined, signal)));
  }

  if (plan.sweepCpuFrequency !== false) {
    const cpu = await probeCpuFrequencyControl(deps.cpuRoot ?? DEFAULT_CPU_ROOT);
    if (!cpu.ok) unavailable.push({ kind: 'cpu-frequency', reason: cpu.reason });
    else {
      recordCapState(stateFile, { cpu: { files: cpu.value.files, originalKHz: cpu.value.originalKHz } });
      try {
        for (const kHz of plan.cpuFrequenciesKHz ?? evenSteps(cpu.value.minKHz, cpu.value.maxKHz, 4)) {
          throwIfCancelled(signal);
          await setCpuMaxFrequency(cpu.value, kHz);
          record(toPoint({ kind: 'cpu-frequency', maxKHz: kHz }, await run(base, undefined, signal)));
        }
      } finally {
        await setCpuMaxFrequency(cpu.value, cpu.value.originalKHz);
        clearCapState(stateFile);
      }
    }
  }

  const gpuWatts = plan.gpuPowerW ?? [];
  if (gpuProvider || gpuWatts.length > 0) {
    const gpu = await probeGpuPowerControl(findOnPath(deps.nvidiaSmiCommand ?? 'nvidia-smi', deps.searchPath));
    if (!gpu.ok) unavailable.push({ kind: 'gpu-power', reason: gpu.reason });
    else if (gpuWatts.length === 0) notes.push('GPU power limits can be set here: pass the watts to sweep (within the range `nvidia-smi -q -d POWER` reports).');
    else {
      recordCapState(stateFile, { gpu: { command: gpu.value.command, originalW: gpu.value.originalW } });
      try {
        for (const watts of gpuWatts) {
          throwIfCancelled(signal);
          await setGpuPowerLimit(gpu.value, watts);
          record(toPoint({ kind: 'gpu-power', watts }, await run(base, undefined, signal)));
        }
      } finally {
        await setGpuPowerLimit(gpu.value, gpu.value.originalW);
        clearCapState(stateFile);
      }
    }
  }

  if (!measured.some((p) => p.cap.kind !== 'threads')) {
    notes.push('No power or frequency cap could be applied on this machine; the points vary only the thread count, and the modelled curve shows the effect of caps.');
  }
  if (measured.some((p) => p.energyKind === 'estimated')) notes.push('Energy of the measured points is estimated (no readable energy counter).');
  return { measured, modelled: deps.modelled ?? [], unavailable, notes };
}
