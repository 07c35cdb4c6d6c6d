/**
 * macOS: `powermetrics --samplers cpu_power` (root only) prints the CPU power of each sample period,
 * as `CPU Power: 1234 mW` on Apple silicon or `... package power (CPUs+GT+SA): 1.23W` on Intel Macs.
 * The samples are integrated over the measured runs.
 */
import { performance } from 'node:perf_hooks';
import { integratePower, LineSampler, type PowerSample } from './powerSamples';
import type { EnergyMeter, MeterReading } from './types';

/** Watts from one powermetrics line, or undefined when the line is not a CPU power line. */
export function parsePowermetricsLine(line: string): number | undefined {
  const apple = /^CPU Power:\s*([\d.]+)\s*mW/.exec(line.trim());
  if (apple) return Number(apple[1]) / 1000;
  const intel = /package power[^:]*:\s*([\d.]+)\s*W/i.exec(line);
  if (intel) return Number(intel[1]);
  return undefined;
}

export class PowermetricsMeter implements EnergyMeter {
  readonly source = 'powermetrics' as const;
  readonly kind = 'measured' as const;
  readonly scope = 'cpu-package';
  private samples: PowerSample[] = [];
  private sampler: LineSampler | undefined;
  private startMs = 0;

  constructor(
    private readonly command = 'powermetrics',
    private readonly intervalMs = 100,
  ) {}

  /** Starts powermetrics during warm-up so samples exist when timing starts. */
  async prepare(): Promise<void> {
    if (this.sampler) return;
    this.samples = [];
    this.sampler = new LineSampler(this.command, ['--samplers', 'cpu_power', '-i', String(this.intervalMs)], (line, atMs) => {
      const watts = parsePowermetricsLine(line);
      if (watts !== undefined) this.samples.push({ atMs, watts });
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
    const joules = integratePower(this.samples, this.startMs, endMs);
    const notes = ['CPU power sampled with powermetrics and integrated; covers every process on the CPU.'];
    if (problem) notes.push(problem);
    return { joules, domains: [{ name: 'cpu', joules }], notes };
  }

  abort(): void {
    void this.sampler?.stop();
    this.sampler = undefined;
  }
}
