/** Numpy-style multidirectional broadcasting of shapes (ONNX Add, Mul, Where, Expand...). */
import type { Dim } from '../ir';
import type { Shape } from './ruleTypes';

export function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === undefined) return typeof b === 'number' ? b : undefined;
  if (b === undefined) return a;
  if (a === b) return a;
  throw new Error(`cannot broadcast dimensions ${a} and ${b}`);
}

export function broadcastShapes(shapes: readonly Shape[]): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s.length);
      if (k >= 0) d = broadcastDim(d, s[k]);
    }
    out.push(d);
  }
  return out;
}

/** Flat index into a broadcast input for a flat output index (small tensors only). */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[], flat: number): number {
  let index = 0;
  let stride = 1;
  let rest = flat;
  const offset = outShape.length - inShape.length;
  const coords: number[] = new Array(outShape.length);
  for (let i = outShape.length - 1; i >= 0; i--) {
    coords[i] = rest % outShape[i]!;
    rest = Math.floor(rest / outShape[i]!);
  }
  for (let i = inShape.length - 1; i >= 0; i--) {
    const c = inShape[i] === 1 ? 0 : coords[i + offset]!;
    index += c * stride;
    stride *= inShape[i]!;
  }
  return index;
}
