/**
 * Reads onnxruntime's profile (Chrome trace JSON written when `enableProfiling` is on) and sums the
 * kernel time of each node, then maps node names back to the model's layers so measured time can
 * stand beside estimated time. ORT writes one event per node run, named `<node>_kernel_time`, with
 * `args.op_name` and `args.provider`; fence events and session events are ignored.
 */
import type { MeasuredLayer } from './types';

export interface NodeTiming {
  readonly node: string;
  readonly opType: string;
  readonly provider: string;
  /** Summed kernel time over all profiled runs, microseconds. */
  readonly totalUs: number;
  readonly calls: number;
  /**
   * The model's layers this kernel executes, from onnxruntime's optimized graph (kernelMapping.ts):
   * several for a fused kernel, none for a runtime-inserted one. Undefined when no optimized graph
   * could be read; names are then matched as a fallback.
   */
  readonly layers?: readonly string[];
}

interface TraceEvent {
  readonly cat?: unknown;
  readonly name?: unknown;
  readonly ts?: unknown;
  readonly dur?: unknown;
  readonly args?: { readonly op_name?: unknown; readonly provider?: unknown };
}

const KERNEL_SUFFIX = '_kernel_time';

function isEvent(raw: unknown): raw is TraceEvent {
  return typeof raw === 'object' && raw !== null;
}

/** End time (µs) of the `skipRuns`-th `model_run` event, so the first runs' one-time costs can be left out. */
function endOfRuns(events: readonly TraceEvent[], skipRuns: number): number {
  if (skipRuns <= 0) return -Infinity;
  const runEnds = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number' && typeof e.dur === 'number')
    .map((e) => (e.ts as number) + (e.dur as number))
    .sort((a, b) => a - b);
  return runEnds[skipRuns - 1] ?? -Infinity;
}

/**
 * Sums kernel time per node, in first-seen (execution) order, leaving out node events of the first
 * `skipRuns` runs (allocations and caches make a first run unrepresentative). Throws on text that is
 * not a trace.
 */
export function parseOrtProfile(json: string, skipRuns = 0): NodeTiming[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new TypeError('onnxruntime profile: expected a JSON array of trace events');
  const events = (parsed as unknown[]).filter(isEvent);
  const skipBefore = endOfRuns(events, skipRuns);
  const byNode = new Map<string, { opType: string; provider: string; totalUs: number; calls: number }>();
  for (const event of events) {
    if (event.cat !== 'Node' || typeof event.name !== 'string' || !event.name.endsWith(KERNEL_SUFFIX)) continue;
    if (typeof event.ts === 'number' && event.ts < skipBefore) continue;
    if (typeof event.dur !== 'number' || !Number.isFinite(event.dur)) continue;
    const node = event.name.slice(0, -KERNEL_SUFFIX.length);
    const entry = byNode.get(node) ?? {
      opType: typeof event.args?.op_name === 'string' ? event.args.op_name : '',
      provider: typeof event.args?.provider === 'string' ? event.args.provider : '',
      totalUs: 0,
      calls: 0,
    };
    entry.totalUs += event.dur;
    entry.calls += 1;
    byNode.set(node, entry);
  }
  return [...byNode].map(([node, e]) => ({ node, ...e }));
}

/**
 * Finds the model layer of a profiled node: the exact name first; then, for nodes the optimizer
 * renamed (fusions such as `conv1_Relu` or `MatMulBiasFusion_fused_...`), the longest layer name the
 * node name contains as a whole `_`/`/`-separated part. Unmatched nodes keep `layer` undefined.
 */
export function matchLayer(node: string, layerNames: ReadonlySet<string>): string | undefined {
  if (layerNames.has(node)) return node;
  let best: string | undefined;
  for (const layer of layerNames) {
    if (layer.length === 0 || (best !== undefined && layer.length <= best.length)) continue;
    const at = node.indexOf(layer);
    if (at < 0) continue;
    const before = at === 0 ? '' : node[at - 1];
    const after = node[at + layer.length] ?? '';
    const boundary = (c: string): boolean => c === '' || c === '_' || c === '/' || c === ' ';
    if (boundary(before as string) && boundary(after)) best = layer;
  }
  return best;
}

/**
 * Per-inference mean time of each node with its share of the total, mapped to layers: exactly through
 * the optimized graph when the worker could read it (`t.layers`), else by name when names are given.
 */
export function toMeasuredLayers(timings: readonly NodeTiming[], runs: number, layerNames?: ReadonlySet<string>): MeasuredLayer[] {
  const totalUs = timings.reduce((sum, t) => sum + t.totalUs, 0);
  const perRun = Math.max(1, runs);
  return timings.map((t) => {
    const executed = t.layers?.filter((l) => !layerNames || layerNames.has(l));
    const layer = executed ? executed[0] : layerNames ? matchLayer(t.node, layerNames) : undefined;
    return {
      node: t.node,
      opType: t.opType,
      provider: t.provider,
      ...(layer === undefined ? {} : { layer }),
      ...(executed && executed.length > 1 ? { fusedLayers: executed } : {}),
      meanMs: t.totalUs / perRun / 1000,
      share: totalUs > 0 ? t.totalUs / totalUs : 0,
      calls: t.calls,
    };
  });
}

/** Measured time summed by layer (several fused nodes may land on one layer). */
export function timeByLayer(layers: readonly MeasuredLayer[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const l of layers) {
    if (l.layer === undefined) continue;
    result.set(l.layer, (result.get(l.layer) ?? 0) + l.meanMs);
  }
  return result;
}
