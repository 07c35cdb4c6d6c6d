/**
 * Measured time per layer (onnxruntime's profile) beside the energy model's estimated time per layer,
 * for the report panel and the CLI: one row per layer of the analysis, plus the profiled nodes that
 * map to no layer (runtime-inserted nodes such as layout reorders, or fusions renamed beyond matching).
 */
import type { Analysis } from '../energy/analysis';
import { timeByLayer } from './profileParser';
import type { BenchResult } from './types';

export interface LayerTimeRow {
  readonly layer: string;
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
  const rows = analysis.layers.map((l) => {
    const measuredMs = measured.get(l.name);
    const estimatedMs = l.latencyS * 1000;
    return {
      layer: l.name,
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
