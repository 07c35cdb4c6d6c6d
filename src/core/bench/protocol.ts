/**
 * The fixed protocol recorded with every run, so two runs can be judged comparable (same machine,
 * runtime, provider, threads, inputs and iteration counts) before their numbers are compared.
 * The hostname is stored as a short hash by default: run files may be committed or shared.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnergySource } from './energy/types';
import type { InputShape } from './types';

export const PROTOCOL_VERSION = 1;

export interface BenchProtocol {
  readonly version: number;
  /** ISO 8601 date of the run. */
  readonly date: string;
  readonly machine: {
    /** `sha256:<12 hex>` of the hostname, or the hostname itself when the user asked for it. */
    readonly host: string;
    readonly os: string;
    readonly arch: string;
    readonly cpuModel: string;
    readonly logicalCores: number;
    readonly totalMemoryBytes: number;
  };
  readonly runtime: {
    readonly node: string;
    readonly onnxruntime: string;
    readonly provider: string;
    /** undefined = onnxruntime's default. */
    readonly intraOpThreads?: number;
    readonly interOpThreads?: number;
  };
  readonly model: { readonly path: string; readonly fileName: string; readonly bytes: number };
  readonly inputs: readonly InputShape[];
  readonly iterations: number;
  readonly durationS?: number;
  readonly warmup: number;
  readonly energySource: EnergySource;
}

export interface ProtocolFacts {
  readonly modelPath: string;
  readonly ortVersion: string;
  readonly provider: string;
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly inputs: readonly InputShape[];
  /** Iterations actually measured. */
  readonly iterations: number;
  readonly durationS?: number;
  readonly warmup: number;
  readonly energySource: EnergySource;
  readonly revealHostname?: boolean;
  readonly date?: Date;
}

export function hostLabel(hostname: string, reveal = false): string {
  return reveal ? hostname : `sha256:${createHash('sha256').update(hostname).digest('hex').slice(0, 12)}`;
}

export function recordProtocol(facts: ProtocolFacts): BenchProtocol {
  const cpus = os.cpus();
  let bytes = 0;
  try {
    bytes = fs.statSync(facts.modelPath).size;
  } catch {
    // The model may have been removed since the run; the size is informative only.
  }
  return {
    version: PROTOCOL_VERSION,
    date: (facts.date ?? new Date()).toISOString(),
    machine: {
      host: hostLabel(os.hostname(), facts.revealHostname),
      os: `${os.type()} ${os.release()}`,
      arch: os.arch(),
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      logicalCores: cpus.length,
      totalMemoryBytes: os.totalmem(),
    },
    runtime: {
      node: process.version,
      onnxruntime: facts.ortVersion,
      provider: facts.provider,
      ...(facts.intraOpThreads === undefined ? {} : { intraOpThreads: facts.intraOpThreads }),
      ...(facts.interOpThreads === undefined ? {} : { interOpThreads: facts.interOpThreads }),
    },
    model: { path: facts.modelPath, fileName: path.basename(facts.modelPath), bytes },
    inputs: facts.inputs,
    iterations: facts.iterations,
    ...(facts.durationS === undefined ? {} : { durationS: facts.durationS }),
    warmup: facts.warmup,
    energySource: facts.energySource,
  };
}

/** Differences that make two runs' numbers not directly comparable (empty when comparable). */
export function protocolDifferences(a: BenchProtocol, b: BenchProtocol): string[] {
  const differences: string[] = [];
  const check = (label: string, x: unknown, y: unknown): void => {
    if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`${label}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  check('machine', a.machine.host, b.machine.host);
  check('CPU', a.machine.cpuModel, b.machine.cpuModel);
  check('onnxruntime', a.runtime.onnxruntime, b.runtime.onnxruntime);
  check('provider', a.runtime.provider, b.runtime.provider);
  check('intra-op threads', a.runtime.intraOpThreads, b.runtime.intraOpThreads);
  check('inter-op threads', a.runtime.interOpThreads, b.runtime.interOpThreads);
  check('input shapes', a.inputs.map((i) => [i.name, i.dims]), b.inputs.map((i) => [i.name, i.dims]));
  check('energy source', a.energySource, b.energySource);
  return differences;
}
