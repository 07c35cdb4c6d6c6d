import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferShapes } from '../../../src/core/graph/shapeInference';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import type { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { buildSmallCnn, buildTransformerBlock } from '../onnx/fixtures';
import { runWithOrt, seededInput } from '../onnx/ortHelper';

/**
 * Exposes every intermediate value as a graph output, runs onnxruntime and compares each tensor's
 * real dims with the inferred shape: an independent check of the shape rules and data propagation.
 */
async function checkAgainstOrt(build: () => OnnxBuilder, input: string, dims: number[], bind: { batch: number; dims?: Record<string, number> }): Promise<number> {
  const model = readOnnxModel(new BufferByteSource(build().toBytes()));
  inferShapes(model, bind);
  const exposed = build();
  const declared = new Set(model.graph.outputs);
  const names = model.graph.nodes.flatMap((n) => n.outputs).filter((o) => o && !declared.has(o));
  for (const name of names) exposed.output(name);
  const count = dims.reduce((a, b) => a * b, 1);
  const results = await runWithOrt(exposed.toBytes(), { [input]: { data: seededInput(count), dims } });
  let compared = 0;
  for (const [name, tensor] of Object.entries(results)) {
    assert.deepEqual(model.graph.values.get(name)?.type?.shape, [...tensor.dims], `shape of ${name}`);
    compared++;
  }
  return compared;
}

test('inferred shapes equal onnxruntime\'s for every value of the CNN', async () => {
  const compared = await checkAgainstOrt(() => buildSmallCnn(), 'input', [3, 3, 32, 32], { batch: 3 });
  assert.equal(compared, 8);
});

test('inferred shapes equal onnxruntime\'s for every value of the transformer block', async () => {
  const compared = await checkAgainstOrt(() => buildTransformerBlock(), 'hidden_states', [2, 9, 32], { batch: 2, dims: { sequence: 9 } });
  assert.ok(compared >= 30, `compared ${compared}`);
});
