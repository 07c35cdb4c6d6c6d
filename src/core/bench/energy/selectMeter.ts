/**
 * Picks the best energy meter this machine allows for a provider, and records why better ones were
 * not used. GPU providers: nvidia-smi when on PATH. CPU: RAPL, then macOS powermetrics (root only),
 * then the CodeCarbon-style estimate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EstimateMeter, type MachinePowerModel } from './estimate';
import { NvidiaSmiMeter, queryGpus } from './nvidiaSmi';
import { PowermetricsMeter } from './powermetrics';
import { DEFAULT_POWERCAP_ROOT, probeRapl, RaplMeter } from './rapl';
import type { EnergyMeter, EnergySource } from './types';

export interface MeterSelectionOptions {
  /** 'auto' (default) picks the best available; a source forces it (failing over to the estimate with a note). */
  readonly prefer?: EnergySource | 'auto';
  readonly powercapRoot?: string;
  readonly nvidiaSmiCommand?: string;
  readonly powermetricsCommand?: string;
  readonly platform?: NodeJS.Platform;
  readonly isRoot?: boolean;
  /** TDP of the CPU from the hardware profile, for the estimate. */
  readonly tdpW?: number;
  /** This machine's calibrated power model, for the estimate (a given TDP takes precedence). */
  readonly machine?: MachinePowerModel;
  readonly logicalCores?: number;
  /** PATH to search for the command-line meters (default: this process's PATH). */
  readonly searchPath?: string;
}

export interface MeterSelection {
  readonly meter: EnergyMeter;
  readonly notes: readonly string[];
}

const GPU_PROVIDERS = new Set(['cuda', 'tensorrt', 'dml', 'webgpu']);

/** Absolute path of an executable on PATH (or the command itself when it contains a slash). */
export function findOnPath(command: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  const candidates = command.includes('/') ? [command] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function gpuMeter(options: MeterSelectionOptions, notes: string[]): Promise<EnergyMeter | undefined> {
  const command = findOnPath(options.nvidiaSmiCommand ?? 'nvidia-smi', options.searchPath);
  if (!command) {
    notes.push('nvml: nvidia-smi is not on PATH (no NVIDIA driver here).');
    return undefined;
  }
  try {
    await queryGpus(command);
    return new NvidiaSmiMeter(command);
  } catch (e) {
    notes.push(`nvml: ${(e as Error).message}`);
    return undefined;
  }
}

async function cpuMeter(options: MeterSelectionOptions, notes: string[], wanted: EnergySource | 'auto'): Promise<EnergyMeter | undefined> {
  if (wanted === 'auto' || wanted === 'rapl') {
    const probe = await probeRapl(options.powercapRoot ?? DEFAULT_POWERCAP_ROOT);
    if (probe.ok) {
      notes.push(...probe.notes);
      return new RaplMeter(probe.zones);
    }
    notes.push(`rapl: ${probe.reason}`);
  }
  if (wanted === 'auto' || wanted === 'powermetrics') {
    const platform = options.platform ?? process.platform;
    const isRoot = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
    const command = findOnPath(options.powermetricsCommand ?? 'powermetrics', options.searchPath);
    if (platform !== 'darwin') notes.push('powermetrics: macOS only.');
    else if (!command) notes.push('powermetrics: not found on PATH.');
    else if (!isRoot) notes.push('powermetrics: needs root; run the benchmark with sudo to measure CPU power on macOS.');
    else return new PowermetricsMeter(command);
  }
  return undefined;
}

export async function selectEnergyMeter(provider: string, options: MeterSelectionOptions = {}): Promise<MeterSelection> {
  const notes: string[] = [];
  const wanted = options.prefer ?? 'auto';
  const estimate = (): EnergyMeter => new EstimateMeter(options.tdpW, options.logicalCores, options.machine);
  if (wanted === 'estimate') return { meter: estimate(), notes: ['estimate requested.'] };
  if (wanted === 'nvml' || (wanted === 'auto' && GPU_PROVIDERS.has(provider))) {
    const meter = await gpuMeter(options, notes);
    if (meter) return { meter, notes };
  }
  if (wanted !== 'nvml') {
    const meter = await cpuMeter(options, notes, wanted);
    if (meter) return { meter, notes };
  }
  notes.push('No energy counter readable: the energy is an estimate.');
  return { meter: estimate(), notes };
}
