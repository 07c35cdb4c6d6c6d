/** Deterministic pseudo-random weights for built models: same name and seed, same bytes. */

/** mulberry32: tiny, fast, good enough for test weights (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Uniform values in ±1/sqrt(fan_in) (fan_in = product of all dims but the first), the scale of
 * common initializers, so activations of built networks stay finite through many layers.
 */
export function seededFloats(dims: readonly number[], seed: number): Float32Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const fanIn = dims.length > 1 ? dims.slice(1).reduce((a, b) => a * b, 1) : Math.max(1, dims[0] ?? 1);
  const scale = 1 / Math.sqrt(fanIn);
  const random = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (random() * 2 - 1) * scale;
  return out;
}
