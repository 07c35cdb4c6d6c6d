/**
 * Measured time per layer (onnxruntime's profile) beside the energy model's estimated time per layer,
 * for the report panel and the CLI: one row per layer of the analysis, or one row per fused kernel
 * naming the layers it executes (their estimates summed), plus the profiled nodes that map to no
 * layer (runtime-inserted nodes such as layout reorders).
 */
import type { Analysis } from '../energy/analysis';
import { timeByLayer } from './profileParser';
import type { BenchResult } from './types';

export interface LayerTimeRow {
  readonly layer: string;
  /** The layers of a fused kernel, `layer` first (absent when the row is one layer). */
  readonly fusedLayers?: readonly string[];
  readonly opType: string;
  /** Mean kernel time per inference, ms; undefined when the layer was fused away or not profiled. */
  readonly measuredMs?: number;
  readonly estimatedMs: number;
  /** measured / estimated; undefined without a measurement or with a zero estimate. */
  readonly ratio?: number;
}

export interface MeasuredVsEstimated {
  readonly rows: readonly LayerTimeRow[];
  /** Profiled nodes with no layer, and their time (ms per inference). */
  readonly unmapped: readonly { readonly node: string; readonly opType: string; readonly measuredMs: number }[];
  readonly measuredTotalMs: number;
  readonly estimatedTotalMs: number;
  readonly profile: string;
}

export function measuredVsEstimated(result: BenchResult, analysis: Analysis): MeasuredVsEstimated {
  const measured = timeByLayer(result.layers);
  // A fused kernel's layers fold into the row of its first layer.
  const headOf = new Map<string, string>();
  const membersOf = new Map<string, readonly string[]>();
  for (const kernel of result.layers) {
    if (kernel.layer === undefined || kernel.fusedLayers === undefined) continue;
    membersOf.set(kernel.layer, kernel.fusedLayers);
    for (const member of kernel.fusedLayers) if (member !== kernel.layer) headOf.set(member, kernel.layer);
  }
  const estimatedMsOf = new Map(analysis.layers.map((l) => [l.name, l.latencyS * 1000]));
  const rows = analysis.layers.filter((l) => !headOf.has(l.name)).map((l) => {
    const measuredMs = measured.get(l.name);
    const members = membersOf.get(l.name);
    const estimatedMs = (members ?? [l.name]).reduce((sum, name) => sum + (estimatedMsOf.get(name) ?? 0), 0);
    return {
      layer: l.name,
      ...(members === undefined ? {} : { fusedLayers: members }),
      opType: l.opType,
      ...(measuredMs === undefined ? {} : { measuredMs }),
      estimatedMs,
      ...(measuredMs !== undefined && estimatedMs > 0 ? { ratio: measuredMs / estimatedMs } : {}),
    };
  });
  const unmapped = result.layers.filter((l) => l.layer === undefined).map((l) => ({ node: l.node, opType: l.opType, measuredMs: l.meanMs }));
  return {
    rows,
    unmapped,
    measuredTotalMs: result.layers.reduce((sum, l) => sum + l.meanMs, 0),
    estimatedTotalMs: analysis.totals.latencyS * 1000,
    profile: analysis.profile.id,
  };
}
