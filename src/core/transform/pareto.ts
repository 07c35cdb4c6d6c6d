/**
 * Mixed precision by sensitivity: the per-layer drift (each layer transformed alone) orders the
 * layers; variants transform the least sensitive share of them (25 %, 50 %, 75 %, all) and leave the
 * rest float. Every variant is a real file, verified like any transform, so each point has measured
 * output agreement (or accuracy on labelled data) and latency, and an estimated energy; the points no
 * other variant beats on both agreement and energy form the Pareto front.
 */
import * as path from 'node:path';
import { TransformError } from './transformError';
import type { LayerSensitivity, TransformRequest, TransformResult } from './types';

export interface ParetoPoint {
  /** Share of the candidate layers transformed. */
  readonly share: number;
  readonly transformed: number;
  /** The most sensitive layers, left untransformed in this variant. */
  readonly floatLayers: readonly string[];
  readonly output: string;
  /** Output cosine vs the original (measured). */
  readonly cosine: number;
  /** Top-1 accuracy after, when the verification data has labels (measured). */
  readonly top1?: number;
  /** Estimated energy per inference after the transform (J). */
  readonly energyJ?: number;
  readonly speedup?: number;
  readonly onFront: boolean;
}

export interface ParetoResult {
  readonly sensitivity: readonly LayerSensitivity[];
  /** Layers ordered by drift: those the full variant transformed. */
  readonly ordered: number;
  readonly baselineEnergyJ?: number;
  readonly points: readonly ParetoPoint[];
}

export type TransformRunner = (request: TransformRequest) => Promise<TransformResult>;

export const PARETO_SHARES: readonly number[] = [0.25, 0.5, 0.75, 1];

/** Output file of the variant that transforms `share` of the layers: model.<mode>.p50.onnx. */
export function variantPath(request: TransformRequest, share: number): string {
  const base = request.out ?? request.model;
  const ext = path.extname(base);
  const suffix = request.transform.mode.replace(':', '');
  const stem = request.out ? base.slice(0, base.length - ext.length) : `${base.slice(0, base.length - ext.length)}.${suffix}`;
  return `${stem}.p${Math.round(share * 100)}${ext || '.onnx'}`;
}

export async function paretoSearch(request: TransformRequest, run: TransformRunner, shares: readonly number[] = PARETO_SHARES): Promise<ParetoResult> {
  // The full variant first, with sensitivity measured but nothing excluded by it.
  const sorted = [...shares].sort((a, b) => b - a);
  const full = await run({ ...request, out: variantPath(request, 1), sensitivity: { maxDrift: 0.999999 } });
  const sensitivity = full.sensitivity ?? [];
  // Only layers the full variant really transformed are worth ordering (a classifier whose channels
  // are the output is measured but never pruned).
  const transformed = new Set(full.decisions.filter((d) => d.action === 'transformed').map((d) => d.node));
  const byDrift = [...sensitivity].filter((s) => transformed.has(s.node)).sort((a, b) => a.drift - b.drift).map((s) => s.node);
  const results: { share: number; result: TransformResult; floatLayers: string[] }[] = [{ share: 1, result: full, floatLayers: [] }];
  const counts = new Set([byDrift.length]);
  for (const share of sorted.filter((s) => s < 1)) {
    const keep = Math.round(byDrift.length * share);
    if (keep === 0 || counts.has(keep)) continue; // the same variant as a larger share
    counts.add(keep);
    const floatLayers = byDrift.slice(keep);
    try {
      results.push({ share, floatLayers, result: await run({ ...request, out: variantPath(request, share), exclude: [...(request.exclude ?? []), ...floatLayers] }) });
    } catch (e) {
      // A share too small to transform anything (grouped layers) is no variant; other errors stop.
      if (!(e instanceof TransformError && e.code === 'nothing-to-do')) throw e;
    }
  }
  const points = results.map(({ share, result, floatLayers }): Omit<ParetoPoint, 'onFront'> => {
    const v = result.verification;
    return {
      share, output: result.output, cosine: v.cosine, floatLayers,
      transformed: result.decisions.filter((d) => d.action === 'transformed').length,
      ...(v.accuracy ? { top1: v.accuracy.top1.after } : {}),
      ...(v.energyJ ? { energyJ: v.energyJ.after } : {}),
      ...(v.latencyMs ? { speedup: v.latencyMs.speedup } : {}),
    };
  });
  const quality = (p: Omit<ParetoPoint, 'onFront'>): number => p.top1 ?? p.cosine;
  const dominated = (p: Omit<ParetoPoint, 'onFront'>): boolean => points.some((q) => q !== p && q.energyJ !== undefined && p.energyJ !== undefined &&
    quality(q) >= quality(p) && q.energyJ <= p.energyJ && (quality(q) > quality(p) || q.energyJ < p.energyJ));
  const baseline = full.verification.energyJ?.before;
  return {
    sensitivity, ordered: byDrift.length,
    ...(baseline !== undefined ? { baselineEnergyJ: baseline } : {}),
    points: points.map((p) => ({ ...p, onFront: !dominated(p) })).sort((a, b) => a.share - b.share),
  };
}

/** The front as text: one row per variant, the front marked. */
export function formatPareto(r: ParetoResult): string {
  const lines = [`Pareto front: ${r.ordered} layers ordered by sensitivity (drift when transformed alone, measured)` +
    (r.baselineEnergyJ !== undefined ? `; original ${(r.baselineEnergyJ * 1e3).toFixed(3)} mJ per inference (estimated)` : '')];
  lines.push('  share  layers  cosine (measured)  top-1 (measured)  energy mJ (est.)  speed-up (measured)  front  file');
  for (const p of r.points) {
    lines.push(`  ${`${Math.round(p.share * 100)}%`.padStart(5)}  ${String(p.transformed).padStart(6)}  ${p.cosine.toFixed(5).padStart(17)}  ${(p.top1 === undefined ? '—' : `${(p.top1 * 100).toFixed(1)}%`).padStart(16)}  ` +
      `${(p.energyJ === undefined ? '—' : (p.energyJ * 1e3).toFixed(3)).padStart(16)}  ${(p.speedup === undefined ? '—' : `${p.speedup.toFixed(2)}×`).padStart(19)}  ${(p.onFront ? 'yes' : '').padStart(5)}  ${p.output}`);
  }
  return `${lines.join('\n')}\n`;
}
