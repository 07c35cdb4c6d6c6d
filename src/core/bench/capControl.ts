/**
 * The knobs a power-cap sweep can turn, each checked before use and restored after:
 * CPU frequency limits through cpufreq's `scaling_max_freq` (writable only as root, and absent in
 * most VMs), and the GPU board power limit through `nvidia-smi -pl WATTS` (root, supported GPUs).
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { queryGpus } from './energy/nvidiaSmi';

export const DEFAULT_CPU_ROOT = '/sys/devices/system/cpu';

export type Availability<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface CpuFrequencyControl {
  readonly files: readonly string[];
  readonly minKHz: number;
  readonly maxKHz: number;
  /** Current limits, to restore. */
  readonly originalKHz: readonly number[];
}

/** Finds writable `cpuN/cpufreq/scaling_max_freq` files, or says why frequency cannot be limited. */
export async function probeCpuFrequencyControl(root = DEFAULT_CPU_ROOT): Promise<Availability<CpuFrequencyControl>> {
  let entries: string[];
  try {
    entries = (await fsp.readdir(root)).filter((e) => /^cpu\d+$/.test(e));
  } catch {
    return { ok: false, reason: `no ${root} (not Linux)` };
  }
  const files: string[] = [];
  const originalKHz: number[] = [];
  let minKHz = 0;
  let maxKHz = Infinity;
  for (const cpu of entries.sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))) {
    const dir = path.join(root, cpu, 'cpufreq');
    const file = path.join(dir, 'scaling_max_freq');
    try {
      originalKHz.push(Number((await fsp.readFile(file, 'utf8')).trim()));
      minKHz = Math.max(minKHz, Number((await fsp.readFile(path.join(dir, 'cpuinfo_min_freq'), 'utf8')).trim()));
      maxKHz = Math.min(maxKHz, Number((await fsp.readFile(path.join(dir, 'cpuinfo_max_freq'), 'utf8')).trim()));
    } catch {
      return { ok: false, reason: `no cpufreq for ${cpu} (frequency scaling not exposed, common in VMs and containers)` };
    }
    try {
      await fsp.access(file, fsConstants.W_OK);
    } catch {
      return { ok: false, reason: `${file} is not writable: limiting CPU frequency needs root` };
    }
    files.push(file);
  }
  if (files.length === 0) return { ok: false, reason: `no CPUs under ${root}` };
  if (!(minKHz > 0 && Number.isFinite(maxKHz) && maxKHz >= minKHz)) return { ok: false, reason: 'cpufreq reports no usable frequency range' };
  return { ok: true, value: { files, minKHz, maxKHz, originalKHz } };
}

export async function setCpuMaxFrequency(control: CpuFrequencyControl, kHz: number | readonly number[]): Promise<void> {
  await Promise.all(control.files.map((file, i) => fsp.writeFile(file, `${Math.round(typeof kHz === 'number' ? kHz : (kHz[i] as number))}\n`)));
}

export interface GpuPowerControl {
  readonly command: string;
  /** Current limit of the first GPU (nvidia-smi -pl sets every GPU), to restore. */
  readonly originalW: number;
}

function runNvidiaSmi(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(String(stderr).trim() || error.message));
      else resolve();
    });
  });
}

/** Whether nvidia-smi can change the power limit here: it tries to set the current limit again. */
export async function probeGpuPowerControl(command: string | undefined): Promise<Availability<GpuPowerControl>> {
  if (!command) return { ok: false, reason: 'nvidia-smi is not on PATH (no NVIDIA GPU)' };
  try {
    const [first] = await queryGpus(command);
    if (first?.limitW === undefined) return { ok: false, reason: 'nvidia-smi reports no power limit for this GPU' };
    await runNvidiaSmi(command, ['-pl', String(first.limitW)]);
    return { ok: true, value: { command, originalW: first.limitW } };
  } catch (e) {
    return { ok: false, reason: `nvidia-smi -pl refused: ${(e as Error).message} (setting power limits needs root and a supported GPU)` };
  }
}

export function setGpuPowerLimit(control: GpuPowerControl, watts: number): Promise<void> {
  return runNvidiaSmi(control.command, ['-pl', String(watts)]);
}
