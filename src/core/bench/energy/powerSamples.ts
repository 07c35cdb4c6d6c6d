/**
 * Energy from sampled power: trapezoids between samples, and the first and last sample held flat to
 * the start and the end of the interval (a sampler's first line arrives some time after it starts).
 * Also a small helper that runs a sampling command and hands each output line to a parser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface PowerSample {
  /** Milliseconds on the `performance.now()` clock. */
  readonly atMs: number;
  readonly watts: number;
}

/** Power at time `t`: linear between the samples around it, the nearest sample beyond the ends. */
function powerAt(samples: readonly PowerSample[], t: number): number {
  let before: PowerSample | undefined;
  for (const s of samples) {
    if (s.atMs === t) return s.watts;
    if (s.atMs > t) {
      if (!before) return s.watts;
      return before.watts + ((s.watts - before.watts) * (t - before.atMs)) / (s.atMs - before.atMs);
    }
    before = s;
  }
  return before?.watts ?? 0;
}

/**
 * Joules over [startMs, endMs] from samples sorted by time (trapezoids). Samples outside the interval
 * give the power at its ends; with none at all the result is 0.
 */
export function integratePower(samples: readonly PowerSample[], startMs: number, endMs: number): number {
  if (samples.length === 0 || endMs <= startMs) return 0;
  const points: PowerSample[] = [
    { atMs: startMs, watts: powerAt(samples, startMs) },
    ...samples.filter((s) => s.atMs > startMs && s.atMs < endMs),
    { atMs: endMs, watts: powerAt(samples, endMs) },
  ];
  let joules = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as PowerSample;
    const b = points[i] as PowerSample;
    joules += ((a.watts + b.watts) / 2) * (b.atMs - a.atMs) / 1000;
  }
  return joules;
}

/** A running sampler process; `lines` receives each complete stdout line with its arrival time. */
export class LineSampler {
  private child: ChildProcess | undefined;
  private buffered = '';
  private stderr = '';
  private exitInfo: string | undefined;

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly onLine: (line: string, atMs: number) => void,
  ) {}

  start(): void {
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const now = performance.now();
      this.buffered += chunk;
      let newline = this.buffered.indexOf('\n');
      while (newline >= 0) {
        this.onLine(this.buffered.slice(0, newline).replace(/\r$/, ''), now);
        this.buffered = this.buffered.slice(newline + 1);
        newline = this.buffered.indexOf('\n');
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    child.on('error', (e) => {
      this.exitInfo = `could not start ${this.command}: ${e.message}`;
    });
    child.on('exit', (code, signal) => {
      if (this.exitInfo === undefined && code !== null && code !== 0) this.exitInfo = `${this.command} exited with code ${code}${signal ? ` (${signal})` : ''}`;
    });
  }

  /** Why the sampler stopped early, with its stderr tail; undefined while it ran normally. */
  problem(): string | undefined {
    if (this.exitInfo === undefined) return undefined;
    const tail = this.stderr.trim();
    return tail ? `${this.exitInfo}: ${tail}` : this.exitInfo;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 1000).unref();
    });
  }
}
