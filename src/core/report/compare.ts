import type { Analysis, LayerAnalysis } from '../energy/analysis';

/**
 * Two analyses side by side: model A versus model B on one profile, or one model on profiles A and
 * B. Pure data; the renderers in compareRender.ts and html/compareHtml.ts print it.
 */

export type ComparisonKind = 'models' | 'profiles' | 'mixed';

export interface MetricRow {
  readonly metric: string;
  readonly unit: 'J' | 's' | 'count' | 'bytes' | 'g';
  readonly a: number;
  readonly b: number;
  /** b − a. */
  readonly delta: number;
  /** b / a (undefined when a is 0). */
  readonly ratio: number | undefined;
}

export interface LayerPair {
  /** Name used for matching (the node name; duplicates get `#2`, `#3` appended). */
  readonly key: string;
  readonly a?: LayerAnalysis;
  readonly b?: LayerAnalysis;
}

export interface Comparison {
  readonly kind: ComparisonKind;
  readonly labelA: string;
  readonly labelB: string;
  readonly a: Analysis;
  readonly b: Analysis;
  readonly totals: readonly MetricRow[];
  /** Layers matched by name, in A's order, then layers only in B. */
  readonly layers: readonly LayerPair[];
}

function row(metric: string, unit: MetricRow['unit'], a: number, b: number): MetricRow {
  return { metric, unit, a, b, delta: b - a, ratio: a === 0 ? undefined : b / a };
}

/** Layer names made unique by occurrence, so two nodes called "Relu" still pair up in order. */
function keyed(layers: readonly LayerAnalysis[]): Map<string, LayerAnalysis> {
  const seen = new Map<string, number>();
  const out = new Map<string, LayerAnalysis>();
  for (const layer of layers) {
    const count = (seen.get(layer.name) ?? 0) + 1;
    seen.set(layer.name, count);
    out.set(count === 1 ? layer.name : `${layer.name}#${count}`, layer);
  }
  return out;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Labels that tell A and B apart: profile ids when the model is the same, file names otherwise. */
function labels(a: Analysis, b: Analysis, kind: ComparisonKind): [string, string] {
  if (kind === 'profiles') return [a.profile.id, b.profile.id];
  const [la, lb] = [baseName(a.model.path), baseName(b.model.path)];
  if (kind === 'models') return la === lb ? [a.model.path, b.model.path] : [la, lb];
  return [`${la} on ${a.profile.id}`, `${lb} on ${b.profile.id}`];
}

export function compareAnalyses(a: Analysis, b: Analysis): Comparison {
  const sameModel = a.model.path === b.model.path;
  const sameProfile = a.profile.id === b.profile.id;
  const kind: ComparisonKind = sameModel ? 'profiles' : sameProfile ? 'models' : 'mixed';
  const [labelA, labelB] = labels(a, b, kind);
  const ta = a.totals;
  const tb = b.totals;
  const totals: MetricRow[] = [
    row('energy per inference', 'J', ta.energy.totalJ, tb.energy.totalJ),
    row('compute', 'J', ta.energy.computeJ, tb.energy.computeJ),
    row('on-chip movement', 'J', ta.energy.onChipJ, tb.energy.onChipJ),
    row('off-chip movement', 'J', ta.energy.offChipJ, tb.energy.offChipJ),
    row('static', 'J', ta.energy.staticJ, tb.energy.staticJ),
    row('latency', 's', ta.latencyS, tb.latencyS),
    row('MACs', 'count', ta.macs, tb.macs),
    row('FLOPs', 'count', ta.flops, tb.flops),
    row('parameters', 'count', a.model.params, b.model.params),
    row('weight bytes', 'bytes', a.model.weightBytes, b.model.weightBytes),
    row('CO2e per inference', 'g', ta.co2eGrams, tb.co2eGrams),
    row('energy per 1M inferences', 'J', ta.per1M.energyJ, tb.per1M.energyJ),
  ];
  const layersA = keyed(a.layers);
  const layersB = keyed(b.layers);
  const pairs: LayerPair[] = [];
  for (const [key, layer] of layersA) pairs.push({ key, a: layer, b: layersB.get(key) });
  for (const [key, layer] of layersB) if (!layersA.has(key)) pairs.push({ key, b: layer });
  return { kind, labelA, labelB, a, b, totals, layers: pairs };
}
