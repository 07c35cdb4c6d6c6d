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

/** Joules over [startMs, endMs] from samples sorted by time; 0 when there are none. */
export function integratePower(samples: readonly PowerSample[], startMs: number, endMs: number): number {
  const inside = samples.filter((s) => s.atMs >= startMs && s.atMs <= endMs);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (first === undefined || last === undefined || endMs <= startMs) return 0;
  let joules = first.watts * (first.atMs - startMs) / 1000;
  for (let i = 1; i < inside.length; i++) {
    const a = inside[i - 1] as PowerSample;
    const b = inside[i] as PowerSample;
    joules += ((a.watts + b.watts) / 2) * (b.atMs - a.atMs) / 1000;
  }
  joules += last.watts * (endMs - last.atMs) / 1000;
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
