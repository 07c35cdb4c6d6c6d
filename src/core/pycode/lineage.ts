/**
 * The layers a tensor went through, as a shared graph: applying a layer adds one node whatever the
 * depth, so following a chain of n layers costs O(n), not O(n²) (a 14k-layer Sequential took 8 s
 * when each tensor copied its whole history). The set is read once, where a model's outputs are.
 */
export interface Lineage {
  /** The layer applied at this step, if any. */
  readonly layer?: number;
  readonly from: readonly Lineage[];
}

export const NO_LINEAGE: Lineage = { from: [] };

/** The lineage of a value computed from `inputs`, through `layer` when one is applied. */
export function lineageOf(inputs: readonly (Lineage | undefined)[], layer?: number): Lineage {
  const from = inputs.filter((l): l is Lineage => l !== undefined && l !== NO_LINEAGE);
  if (layer === undefined && from.length <= 1) return from[0] ?? NO_LINEAGE;
  return { layer, from };
}

/** Every layer in the lineages (iterative: a deep chain must not overflow the stack). */
export function layersOf(roots: readonly (Lineage | undefined)[]): Set<number> {
  const layers = new Set<number>();
  const seen = new Set<Lineage>();
  const stack = roots.filter((l): l is Lineage => l !== undefined);
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.layer !== undefined) layers.add(node.layer);
    stack.push(...node.from);
  }
  return layers;
}
