/**
 * NVIDIA GPU energy from `nvidia-smi` power sampling every 100 ms, integrated over the measured runs.
 * (NVML's total-energy counter would be better, but needs a native binding; nvidia-smi is on PATH
 * wherever the driver is.) All GPUs are summed: the benchmark may use any of them.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { integratePower, LineSampler, type PowerSample } from './powerSamples';
import type { EnergyMeter, MeterReading } from './types';

export const NVIDIA_SMI_QUERY = ['--query-gpu=index,power.draw,power.limit', '--format=csv,noheader,nounits'];

export interface GpuPowerLine {
  readonly index: number;
  readonly powerW: number;
  readonly limitW: number | undefined;
}

/** Parses one `index, power.draw, power.limit` line; undefined for '[N/A]' or malformed power. */
export function parseGpuPowerLine(line: string): GpuPowerLine | undefined {
  const parts = line.split(',').map((p) => p.trim());
  if (parts.length < 2) return undefined;
  const index = Number(parts[0]);
  const powerW = Number(parts[1]);
  if (!Number.isInteger(index) || !Number.isFinite(powerW)) return undefined;
  const limit = Number(parts[2]);
  return { index, powerW, limitW: Number.isFinite(limit) ? limit : undefined };
}

/** Runs nvidia-smi once; resolves with its GPUs' current lines, or rejects when it is absent or fails. */
export function queryGpus(command = 'nvidia-smi', timeoutMs = 5000): Promise<GpuPowerLine[]> {
  return new Promise((resolve, reject) => {
    execFile(command, NVIDIA_SMI_QUERY, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${command}: ${error.message}${stderr ? ` (${String(stderr).trim()})` : ''}`));
      const gpus = String(stdout).split('\n').map(parseGpuPowerLine).filter((g): g is GpuPowerLine => g !== undefined);
      if (gpus.length === 0) return reject(new Error(`${command} printed no readable power.draw (the GPU may not report power)`));
      resolve(gpus);
    });
  });
}

export class NvidiaSmiMeter implements EnergyMeter {
  readonly source = 'nvml' as const;
  readonly kind = 'measured' as const;
  readonly scope = 'gpu';
  private readonly perGpu = new Map<number, PowerSample[]>();
  private sampler: LineSampler | undefined;
  private startMs = 0;

  constructor(
    private readonly command = 'nvidia-smi',
    private readonly intervalMs = 100,
  ) {}

  /** Starts nvidia-smi during warm-up: its first line comes a few hundred ms after launch. */
  async prepare(): Promise<void> {
    if (this.sampler) return;
    this.perGpu.clear();
    this.sampler = new LineSampler(this.command, [...NVIDIA_SMI_QUERY, `-lms`, String(this.intervalMs)], (line, atMs) => {
      const gpu = parseGpuPowerLine(line);
      if (!gpu) return;
      const list = this.perGpu.get(gpu.index) ?? [];
      list.push({ atMs, watts: gpu.powerW });
      this.perGpu.set(gpu.index, list);
    });
    this.sampler.start();
  }

  async start(): Promise<void> {
    await this.prepare();
    this.startMs = performance.now();
  }

  async stop(): Promise<MeterReading> {
    const endMs = performance.now();
    const problem = this.sampler?.problem();
    await this.sampler?.stop();
    this.sampler = undefined;
    const notes = ['Power sampled with nvidia-smi every ' + `${this.intervalMs} ms and integrated; GPU board power only (host CPU not included).`];
    if (problem) notes.push(problem);
    const domains = [...this.perGpu].sort(([a], [b]) => a - b).map(([index, samples]) => ({
      name: `gpu${index}`,
      joules: integratePower(samples, this.startMs, endMs),
    }));
    if (domains.length === 0) notes.push('nvidia-smi gave no power sample during the run: measure longer (at least a few hundred ms).');
    return { joules: domains.reduce((sum, d) => sum + d.joules, 0), domains, notes };
  }

  abort(): void {
    void this.sampler?.stop();
    this.sampler = undefined;
  }
}
