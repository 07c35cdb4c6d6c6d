/**
 * Side-by-side comparison of two runs (two caps, two machines, or model variants such as original,
 * quantized and pruned). Ratios are `b / a`: below 1 means b is lower (faster, smaller, greener).
 * Protocol differences are listed so a reader knows when the comparison is not like for like.
 */
import { protocolDifferences } from './protocol';
import type { BenchResult } from './types';

export interface MetricComparison {
  readonly a: number;
  readonly b: number;
  /** b / a; undefined when a is 0. */
  readonly ratio?: number;
}

export interface LayerComparison {
  readonly layer: string;
  readonly aMs?: number;
  readonly bMs?: number;
  readonly ratio?: number;
}

export interface RunComparison {
  readonly a: { readonly model: string; readonly date: string };
  readonly b: { readonly model: string; readonly date: string };
  readonly metrics: {
    readonly p50Ms: MetricComparison;
    readonly p90Ms: MetricComparison;
    readonly p99Ms: MetricComparison;
    readonly meanMs: MetricComparison;
    readonly throughputPerS: MetricComparison;
    readonly peakRssBytes: MetricComparison;
    readonly loadMs: MetricComparison;
    readonly joulesPerInference: MetricComparison;
  };
  readonly layers: readonly LayerComparison[];
  /** Empty when both runs followed the same protocol. */
  readonly protocolDifferences: readonly string[];
  readonly notes: readonly string[];
}

function metric(a: number, b: number): MetricComparison {
  return a !== 0 ? { a, b, ratio: b / a } : { a, b };
}

/** Per-layer time keyed by mapped layer name (or node name when unmapped). */
function layerTimes(result: BenchResult): Map<string, number> {
  const times = new Map<string, number>();
  for (const l of result.layers) {
    const key = l.layer ?? l.node;
    times.set(key, (times.get(key) ?? 0) + l.meanMs);
  }
  return times;
}

export function compareRuns(a: BenchResult, b: BenchResult): RunComparison {
  const notes: string[] = [];
  if (a.energy.source !== b.energy.source || a.energy.kind !== b.energy.kind) {
    notes.push(`Energy comes from different sources (${a.energy.source} vs ${b.energy.source}): compare with care.`);
  }
  if (a.modelPath !== b.modelPath) notes.push('Different model files: a variant comparison.');
  const aTimes = layerTimes(a);
  const bTimes = layerTimes(b);
  const names = [...new Set([...aTimes.keys(), ...bTimes.keys()])];
  const layers = names.map((layer) => {
    const aMs = aTimes.get(layer);
    const bMs = bTimes.get(layer);
    return {
      layer,
      ...(aMs === undefined ? {} : { aMs }),
      ...(bMs === undefined ? {} : { bMs }),
      ...(aMs !== undefined && bMs !== undefined && aMs > 0 ? { ratio: bMs / aMs } : {}),
    };
  });
  return {
    a: { model: a.protocol.model.fileName, date: a.protocol.date },
    b: { model: b.protocol.model.fileName, date: b.protocol.date },
    metrics: {
      p50Ms: metric(a.latencyMs.p50, b.latencyMs.p50),
      p90Ms: metric(a.latencyMs.p90, b.latencyMs.p90),
      p99Ms: metric(a.latencyMs.p99, b.latencyMs.p99),
      meanMs: metric(a.latencyMs.mean, b.latencyMs.mean),
      throughputPerS: metric(a.throughputPerS, b.throughputPerS),
      peakRssBytes: metric(a.peakRssBytes, b.peakRssBytes),
      loadMs: metric(a.loadMs, b.loadMs),
      joulesPerInference: metric(a.energy.joulesPerInference, b.energy.joulesPerInference),
    },
    layers,
    protocolDifferences: protocolDifferences(a.protocol, b.protocol),
    notes,
  };
}
