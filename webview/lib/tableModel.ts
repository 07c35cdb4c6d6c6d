// Sorting, filtering and windowing of the per-layer table: pure functions, no DOM, unit-tested.
import type { LayerAnalysis } from '../../src/core/energy/analysis';

export type SortKey = 'index' | 'name' | 'opType' | 'macs' | 'params' | 'energy' | 'share' | 'latency' | 'bound';

export interface TableQuery {
  readonly sortKey: SortKey;
  readonly descending: boolean;
  /** Case-insensitive text matched against name and op type. */
  readonly text: string;
  /** Only this op type, when set. */
  readonly opType: string;
}

export const DEFAULT_QUERY: TableQuery = { sortKey: 'energy', descending: true, text: '', opType: '' };

function keyOf(layer: LayerAnalysis, index: number, key: SortKey): number | string {
  switch (key) {
    case 'index': return index;
    case 'name': return layer.name.toLowerCase();
    case 'opType': return layer.opType.toLowerCase();
    case 'macs': return layer.macs;
    case 'params': return layer.params;
    case 'energy': return layer.energy.totalJ;
    case 'share': return layer.energyShare;
    case 'latency': return layer.latencyS;
    case 'bound': return layer.bound;
  }
}

/** Indices of the layers to show, in display order. Stable: ties keep the model's order. */
export function queryLayers(layers: readonly LayerAnalysis[], q: TableQuery): number[] {
  const text = q.text.trim().toLowerCase();
  const rows: number[] = [];
  layers.forEach((l, i) => {
    if (q.opType && l.opType !== q.opType) return;
    if (text && !l.name.toLowerCase().includes(text) && !l.opType.toLowerCase().includes(text)) return;
    rows.push(i);
  });
  const sign = q.descending ? -1 : 1;
  return rows.sort((a, b) => {
    const ka = keyOf(layers[a]!, a, q.sortKey);
    const kb = keyOf(layers[b]!, b, q.sortKey);
    if (ka < kb) return -sign;
    if (ka > kb) return sign;
    return a - b;
  });
}

/** Clicking a header: the same key flips the order; a new key sorts descending (numbers) or ascending (text). */
export function toggleSort(q: TableQuery, key: SortKey): TableQuery {
  if (q.sortKey === key) return { ...q, descending: !q.descending };
  return { ...q, sortKey: key, descending: !['name', 'opType', 'index', 'bound'].includes(key) };
}

/**
 * The rows a viewport shows: first and last index (exclusive) with an overscan on both sides. A
 * scroll position past the end (the list just got shorter, or a restored state) shows the last rows.
 */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): { first: number; last: number } {
  const top = Math.max(0, scrollTop);
  const last = Math.min(rowCount, Math.ceil((top + viewportHeight) / rowHeight) + overscan);
  const lastPage = rowCount - Math.ceil(viewportHeight / rowHeight) - overscan;
  const first = Math.max(0, Math.min(Math.floor(top / rowHeight) - overscan, lastPage));
  return { first, last: Math.max(first, last) };
}

/** Distinct op types, most frequent first, for the filter picker. */
export function opTypes(layers: readonly LayerAnalysis[]): string[] {
  const counts = new Map<string, number>();
  for (const l of layers) counts.set(l.opType, (counts.get(l.opType) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
}

/** Widths (0..1 of the bar) of each energy component of a layer, relative to the largest layer. */
export function splitWidths(layer: LayerAnalysis, maxTotalJ: number): [number, number, number, number] {
  if (maxTotalJ <= 0) return [0, 0, 0, 0];
  const e = layer.energy;
  return [e.computeJ / maxTotalJ, e.onChipJ / maxTotalJ, e.offChipJ / maxTotalJ, e.staticJ / maxTotalJ];
}
