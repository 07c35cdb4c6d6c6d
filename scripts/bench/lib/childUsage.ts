/**
 * Runs the built CLI in a fresh child process and reports what it cost: wall time of the whole child
 * (start-up included), its CPU time and its peak RSS. CPU and memory come from a preloaded hook that
 * writes them when the child exits: VmHWM of /proc/self/status where there is one, since Linux carries
 * the parent's peak across fork+exec into ru_maxrss (a benchmark that holds built models would read
 * hundreds of MB for any child). Shared by the benchmarks in scripts/bench (this folder is not run
 * as a benchmark itself).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export const CLI = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

export interface ChildRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rssMb: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

export interface UsageProbe {
  readonly hook: string;
  readonly file: string;
}

/** Writes the exit hook into `dir`; pass the probe to every run. */
export function usageProbe(dir: string): UsageProbe {
  const hook = path.join(dir, 'usage-hook.js');
  fs.writeFileSync(hook, [
    "process.on('exit', () => {",
    "  const fs = require('fs');",
    '  let kib = process.resourceUsage().maxRSS;',
    "  try { kib = Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}",
    '  const cpu = process.cpuUsage();',
    '  fs.writeFileSync(process.env.JOULE_BENCH_USAGE, JSON.stringify({ kib, cpuUs: cpu.user + cpu.system }));',
    '});',
    '',
  ].join('\n'));
  return { hook, file: path.join(dir, 'usage.json') };
}

/** `node dist/cli.js ...args` with stdout to `out` (as a CI job writes it). */
export function runCli(args: readonly string[], out: string, probe: UsageProbe): ChildRun {
  const fd = fs.openSync(out, 'w');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-r', probe.hook, CLI, ...args], {
    stdio: ['ignore', fd, 'pipe'],
    env: { ...process.env, JOULE_BENCH_USAGE: probe.file },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  fs.closeSync(fd);
  const usage = JSON.parse(fs.readFileSync(probe.file, 'utf8')) as { kib: number; cpuUs: number };
  return { seconds, cpuSeconds: usage.cpuUs / 1e6, rssMb: usage.kib / 1024, exitCode: child.status, stderr: child.stderr.toString('utf8').slice(0, 2000) };
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
