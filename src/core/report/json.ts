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

type Comparator = (a: string, b: string) => number;

/** One comparator per parent key, made once: 150k layers share the `layers` one. */
const COMPARATORS = new Map<string, Comparator>();

function keyComparator(parentKey: string): Comparator {
  let compare = COMPARATORS.get(parentKey);
  if (compare) return compare;
  const rank = new Map((ORDER_BY_PARENT[parentKey] ?? []).map((key, i) => [key, i]));
  compare = (a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined && rb !== undefined) return ra - rb;
    if (ra !== undefined) return -1;
    if (rb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  COMPARATORS.set(parentKey, compare);
  return compare;
}

/** The defined keys of an object in canonical order for the key it sits under. */
function orderedKeys(value: Record<string, unknown>, parentKey: string): string[] {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (!DATA_KEYED.has(parentKey)) keys.sort(keyComparator(parentKey));
  return keys;
}

/**
 * A copy of `value` with object keys in canonical order. `parentKey` is the key the value sits under
 * ('' at the root); array items inherit their array's key, so every layer sorts by the `layers` order.
 */
export function canonicalize(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, parentKey));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of orderedKeys(record, parentKey)) out[key] = canonicalize(record[key], key);
  return out;
}

/** Key lists already seen in canonical order, per parent key (a few shapes each: layers with and without a note). */
const CANONICAL_LISTS = new Map<string, string[][]>();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether every object in `value` already has its keys in canonical order, so that plain
 * JSON.stringify writes exactly what the canonical copy would (it drops undefined keys and writes
 * non-finite numbers as null itself). The estimator builds layers in one shape, so after the first
 * layer this is a comparison of key lists, not a sort.
 */
function isCanonical(value: unknown, parentKey: string): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((item) => isCanonical(item, parentKey));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!DATA_KEYED.has(parentKey)) {
    const known = CANONICAL_LISTS.get(parentKey) ?? [];
    if (!known.some((list) => sameList(list, keys))) {
      const compare = keyComparator(parentKey);
      for (let i = 1; i < keys.length; i++) if (compare(keys[i - 1]!, keys[i]!) > 0) return false;
      if (known.length < 16) CANONICAL_LISTS.set(parentKey, [...known, keys]);
    }
  }
  for (const key of keys) if (!isCanonical(record[key], key)) return false;
  return true;
}

/** `items` (all under `key`) as JSON.stringify writes them inside a top-level array at depth 1, joined by ",\n". */
function arrayItemsText(key: string, items: readonly unknown[]): string {
  const ready = items.every((item) => isCanonical(item, key)) ? items : items.map((item) => canonicalize(item, key));
  // Wrapping in { key: [...] } puts the items at the depth they have in the output; cut the wrapper.
  const text = JSON.stringify({ [key]: ready }, null, 2);
  const head = `{\n  ${JSON.stringify(key)}: [\n`;
  return text.slice(head.length, text.length - '\n  ]\n}'.length);
}

/** Items of a long array are written this many at a time (each batch one piece of the output). */
const BATCH_ITEMS = 512;

/**
 * Pretty JSON (2-space indent, trailing newline) in canonical key order, in pieces whose
 * concatenation is `renderJson(value)`: a 150k-layer analysis streams to its output 512 layers at a
 * time instead of as one 200 MB string. `extras` are top-level keys appended after the value's own
 * (views, advice), written as plain JSON.stringify writes them (insertion order).
 */
export function* jsonChunks(value: unknown, extras: Readonly<Record<string, unknown>> = {}): Generator<string> {
  const extraKeys = Object.keys(extras).filter((k) => extras[k] !== undefined);
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!isObject) {
    yield `${JSON.stringify(canonicalize(value), null, 2)}\n`;
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = orderedKeys(record, '');
  if (keys.length + extraKeys.length === 0) {
    yield '{}\n';
    return;
  }
  let buffer = '{';
  let first = true;
  const open = (key: string): string => {
    const text = `${first ? '\n' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    return text;
  };
  const nested = (text: string): string => text.replace(/\n/g, '\n  ');
  for (const key of keys) {
    const item = record[key];
    if (!Array.isArray(item) || item.length === 0) {
      buffer += open(key) + nested(JSON.stringify(canonicalize(item, key), null, 2));
      continue;
    }
    // A long array (the layers): a batch of items at a time, each batch yielded as written.
    yield `${buffer}${open(key)}[\n`;
    for (let i = 0; i < item.length; i += BATCH_ITEMS) {
      yield (i === 0 ? '' : ',\n') + arrayItemsText(key, item.slice(i, i + BATCH_ITEMS));
    }
    buffer = '\n  ]';
  }
  for (const key of extraKeys) {
    const text = JSON.stringify(extras[key], null, 2);
    if (text !== undefined) buffer += open(key) + nested(text);
  }
  yield `${buffer}\n}\n`;
}

/** Pretty JSON (2-space indent, trailing newline) in canonical key order. */
export function renderJson(value: unknown): string {
  return [...jsonChunks(value)].join('');
}
