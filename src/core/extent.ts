/**
 * Largest and smallest of a list by a loop: `Math.max(...list)` passes every entry as an argument
 * and throws "Maximum call stack size exceeded" past ~100k entries (a 150k-node model's table).
 */
export function maxOf(values: readonly number[], empty = -Infinity): number {
  let best = values.length === 0 ? empty : -Infinity;
  for (const v of values) if (v > best || Number.isNaN(v)) best = v;
  return best;
}

export function minOf(values: readonly number[], empty = Infinity): number {
  let best = values.length === 0 ? empty : Infinity;
  for (const v of values) if (v < best || Number.isNaN(v)) best = v;
  return best;
}
