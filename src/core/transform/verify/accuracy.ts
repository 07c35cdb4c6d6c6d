/** Top-1 / top-5 accuracy of a classifier output against labels, accumulated sample by sample. */
import type { AccuracyResult } from '../types';

export class AccuracyAccumulator {
  private row = 0;
  private readonly hits = { top1: [0, 0], top5: [0, 0] };
  private classes = 0;

  constructor(private readonly labels: readonly number[]) {}

  /**
   * Adds one sample's outputs of both models: the first [batch, classes] output is the prediction.
   * Rows are matched to labels in order.
   */
  add(before: ReadonlyMap<string, Float64Array>, after: ReadonlyMap<string, Float64Array>, dims: ReadonlyMap<string, readonly number[]>): void {
    const name = [...dims.keys()].find((n) => dims.get(n)!.length === 2 && dims.get(n)![1]! > 1);
    if (!name) throw new Error('labels were given but the model has no [batch, classes] output');
    const [batch, classes] = dims.get(name)! as [number, number];
    this.classes = classes;
    for (let r = 0; r < batch; r++, this.row++) {
      const label = this.labels[this.row];
      if (label === undefined) return;
      [before.get(name)!, after.get(name)!].forEach((values, which) => {
        const rank = rankOf(values, r * classes, classes, label);
        if (rank < 1) this.hits.top1[which]!++;
        if (rank < 5) this.hits.top5[which]!++;
      });
    }
  }

  result(): AccuracyResult {
    const n = this.row || 1;
    return {
      rows: this.row,
      top1: { before: this.hits.top1[0]! / n, after: this.hits.top1[1]! / n },
      ...(this.classes > 5 ? { top5: { before: this.hits.top5[0]! / n, after: this.hits.top5[1]! / n } } : {}),
    };
  }
}

/** How many classes score strictly higher than `label` in one row (0 = top-1). */
function rankOf(values: Float64Array, start: number, count: number, label: number): number {
  const score = values[start + label];
  if (score === undefined || label >= count) return Infinity;
  let higher = 0;
  for (let i = start; i < start + count; i++) if (values[i]! > score) higher++;
  return higher;
}
