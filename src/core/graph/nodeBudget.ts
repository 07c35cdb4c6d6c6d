/**
 * The work budget of a model file's graph: how many nodes (ONNX nodes, TFLite operators, counting
 * every subgraph) one analysis decodes, infers and costs. Analysis time and memory grow linearly with
 * nodes (about 50–60 µs and 6–7 KB each on a 2-core machine, docs/security.md), so the default keeps every
 * graph within it under 2 s and 500 MB; a larger graph is refused before it is decoded (exit 2), with
 * the way to raise the budget for it: `--max-nodes` on the command line, `joule.maxGraphNodes` in VS Code.
 */
export const DEFAULT_MAX_GRAPH_NODES = 20_000;

/**
 * Jobs the user starts explicitly (a transform, a benchmark's input and kernel reading) read larger
 * graphs: each runs in a worker with progress, cancel and time and memory caps.
 */
export const JOB_MAX_GRAPH_NODES = 200_000;

/** What a reader reports when a graph passes the budget (its own error type carries it). */
export interface NodeBudgetRefusal {
  readonly expected: string;
  readonly hint: string;
}

/** Nodes taken so far against one file's limit; readers take each graph's count before decoding it. */
export class NodeBudget {
  private used = 0;

  /** `raise`: how the user lifts the limit for a graph of `needed` nodes (a sentence). */
  constructor(readonly limit: number = DEFAULT_MAX_GRAPH_NODES, private readonly raise: (needed: number) => string = raiseForAnalysis) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`A node budget is a whole number of at least 1, got ${limit}`);
  }

  /** Takes `count` more nodes; the refusal when they pass the limit, else undefined. */
  take(count: number): NodeBudgetRefusal | undefined {
    this.used += count;
    if (this.used <= this.limit) return undefined;
    const n = (x: number): string => x.toLocaleString('en-US');
    return {
      expected: `a graph within the node budget: the model has ${this.used === count ? '' : 'at least '}${n(this.used)} nodes (subgraphs included), the budget is ${n(this.limit)}`,
      hint: `Time and memory grow with the node count (docs/security.md). ${this.raise(this.used)}`,
    };
  }
}

function raiseForAnalysis(needed: number): string {
  return `To analyse it anyway, raise the budget: --max-nodes ${needed} on the command line, or the joule.maxGraphNodes setting in VS Code.`;
}
