/**
 * The work budget of a model file's graph: how many nodes (ONNX nodes, TFLite operators, counting
 * every subgraph) one analysis decodes, infers and costs. Analysis time and memory grow linearly with
 * nodes (about 50–60 µs and 6–7 KB each on a 2-core machine, docs/security.md), so the default keeps every
 * graph within it under 2 s and 500 MB; a larger graph is refused before it is decoded (exit 2), with
 * the way to raise the budget for it: `--max-nodes` on the command line, `joule.maxGraphNodes` in VS Code.
 */
import { GraphBudgetError } from '../errors';

export const DEFAULT_MAX_GRAPH_NODES = 20_000;

/**
 * Jobs the user starts explicitly (a transform, a benchmark's input and kernel reading) read larger
 * graphs: each runs in a worker with progress, cancel and time and memory caps.
 */
export const JOB_MAX_GRAPH_NODES = 200_000;


/** Nodes taken so far against one file's limit; readers take each graph's count before decoding it. */
export class NodeBudget {
  private used = 0;

  /** `raise`: how the user lifts the limit for a graph of `needed` nodes (a sentence). */
  constructor(readonly limit: number = DEFAULT_MAX_GRAPH_NODES, private readonly raise: (needed: number) => string = raiseForAnalysis) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`A node budget is a whole number of at least 1, got ${limit}`);
  }

  /** Takes `count` more nodes of `file` (a graph at byte `offset`); throws GraphBudgetError past the limit. */
  take(count: number, file: string, offset: number | undefined): void {
    this.used += count;
    if (this.used <= this.limit) return;
    const n = (x: number): string => x.toLocaleString('en-US');
    throw new GraphBudgetError(
      file,
      offset,
      `a graph within the node budget: the model has ${this.used === count ? '' : 'at least '}${n(this.used)} nodes (subgraphs included), the budget is ${n(this.limit)}`,
      `Time and memory grow with the node count (docs/security.md). ${this.raise(this.used)}`,
      this.used,
      this.limit,
    );
  }
}

function raiseForAnalysis(needed: number): string {
  return `To analyse it anyway, raise the budget: --max-nodes ${needed} on the command line, or the joule.maxGraphNodes setting in VS Code.`;
}
