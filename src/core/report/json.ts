/**
 * JSON output with a stable key order, so two runs diff cleanly in CI whatever order the estimator
 * happened to build its objects in. Keys the schema (docs/analysis-schema.md) names come in schema
 * order for their object; keys added later follow, alphabetically. Non-finite numbers, which JSON
 * cannot hold, become null rather than breaking consumers.
 */

const ENERGY = ['computeJ', 'onChipJ', 'offChipJ', 'staticJ', 'totalJ'];

/** Key order per object, found by the key under which the object (or its array) sits. */
const ANALYSIS = ['kind', 'model', 'profile', 'settings', 'totals', 'layers', 'unknownOps', 'warnings'];

const ORDER_BY_PARENT: Readonly<Record<string, readonly string[]>> = {
  '': ANALYSIS,
  // The two sides of a comparison (compareRender.ts) are whole analyses.
  analysisA: ANALYSIS,
  analysisB: ANALYSIS,
  model: ['path', 'format', 'opset', 'producer', 'params', 'weightBytes'],
  profile: ['id', 'name', 'roofline'],
  roofline: ['precision', 'peakFlopsPerS', 'offChipBytesPerS'],
  settings: ['batch', 'dims', 'gridRegion', 'gridIntensityGPerKWh', 'pue'],
  totals: ['macs', 'flops', 'latencyS', 'energy', 'co2eGrams', 'per1k', 'per1M'],
  layers: [
    'name', 'opType', 'domain', 'macs', 'flops', 'params', 'precision', 'outputShapes', 'bytes', 'energy',
    'latencyS', 'bound', 'intensity', 'energyShare', 'confidence', 'note',
  ],
  energy: ENERGY,
  bytes: ['weights', 'inputs', 'outputs', 'byLevel', 'offChipFloor'],
  per1k: ['energyJ', 'co2eGrams'],
  per1M: ['energyJ', 'co2eGrams'],
  unknownOps: ['opType', 'domain', 'count', 'nodes'],
  assumedDims: ['name', 'value', 'role', 'source', 'input', 'axis'],
  openDims: ['name', 'value', 'role', 'source', 'input', 'axis'],
  // Comparison JSON (compareRender.ts).
  metrics: ['metric', 'unit', 'a', 'b', 'delta', 'ratio'],
  layerPairs: ['name', 'opType', 'aTotalJ', 'bTotalJ'],
};

/** Maps whose keys are data (level names, dimension names) keep their own insertion order. */
const DATA_KEYED = new Set(['byLevel', 'dims']);

function keyComparator(order: readonly string[] | undefined): (a: string, b: string) => number {
  const rank = new Map((order ?? []).map((key, i) => [key, i]));
  return (a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined && rb !== undefined) return ra - rb;
    if (ra !== undefined) return -1;
    if (rb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/**
 * A copy of `value` with object keys in canonical order. `parentKey` is the key the value sits under
 * ('' at the root); array items inherit their array's key, so every layer sorts by the `layers` order.
 */
export function canonicalize(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, parentKey));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (!DATA_KEYED.has(parentKey)) {
    const compare = keyComparator(ORDER_BY_PARENT[parentKey]);
    entries.sort(([a], [b]) => compare(a, b));
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) out[key] = canonicalize(v, key);
  return out;
}

/** Pretty JSON (2-space indent, trailing newline) in canonical key order. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(canonicalize(value), null, 2)}\n`;
}
