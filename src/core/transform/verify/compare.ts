/** Output agreement between an original model and its transform: error, cosine, top-1 agreement. */

export interface OutputAgreement {
  readonly maxAbsError: number;
  /** Cosine similarity of all outputs concatenated over all samples (1 = same direction). */
  readonly cosine: number;
  /** Fraction of rows whose argmax agrees, for classifier-like outputs ([batch, classes]); else undefined. */
  readonly top1Agreement?: number;
  readonly samples: number;
}

/** Accumulates comparisons sample by sample. */
export class AgreementAccumulator {
  private maxAbs = 0;
  private dot = 0;
  private normA = 0;
  private normB = 0;
  private rows = 0;
  private agreeing = 0;
  private samples = 0;
  private nonFinite = false;

  add(reference: ReadonlyMap<string, Float64Array>, candidate: ReadonlyMap<string, Float64Array>, dims: ReadonlyMap<string, readonly number[]>): void {
    this.samples++;
    for (const [name, a] of reference) {
      const b = candidate.get(name);
      if (!b || b.length !== a.length) throw new Error(`output ${name} has ${b?.length ?? 0} values after the transform, ${a.length} before`);
      for (let i = 0; i < a.length; i++) {
        const x = a[i]!;
        const y = b[i]!;
        if (!Number.isFinite(y) && Number.isFinite(x)) this.nonFinite = true;
        const d = Math.abs(x - y);
        if (d > this.maxAbs) this.maxAbs = d;
        this.dot += x * y;
        this.normA += x * x;
        this.normB += y * y;
      }
      const shape = dims.get(name);
      if (shape && shape.length === 2 && shape[1]! > 1) {
        const [batch, classes] = [shape[0]!, shape[1]!];
        for (let r = 0; r < batch; r++) {
          this.rows++;
          if (argmax(a, r * classes, classes) === argmax(b, r * classes, classes)) this.agreeing++;
        }
      }
    }
  }

  result(): OutputAgreement {
    const cosine = this.nonFinite ? NaN
      : this.normA === 0 && this.normB === 0 ? 1 : this.dot / Math.sqrt(this.normA * this.normB || 1);
    return {
      maxAbsError: this.nonFinite ? Infinity : this.maxAbs,
      cosine,
      ...(this.rows > 0 ? { top1Agreement: this.agreeing / this.rows } : {}),
      samples: this.samples,
    };
  }
}

function argmax(values: Float64Array, start: number, count: number): number {
  let best = start;
  for (let i = start + 1; i < start + count; i++) if (values[i]! > values[best]!) best = i;
  return best - start;
}
