/** Runs a model with onnxruntime-node (CPU) in the test process; loaded lazily. */
import type * as Ort from 'onnxruntime-node';

export async function runWithOrt(model: Uint8Array | string, feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof Ort;
  const session = await ort.InferenceSession.create(model as string, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
  try {
    const inputs: Record<string, Ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', f.data, f.dims);
    const result = await session.run(inputs);
    const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
    for (const [name, t] of Object.entries(result)) out[name] = { data: t.data as Float32Array, dims: t.dims };
    return out;
  } finally {
    await session.release();
  }
}

export function seededInput(count: number, seed = 7): Float32Array {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}
