/**
 * End to end: build → read → infer shapes → cost, checked against torchvision's published figures
 * (its docs' "GFLOPS" are MACs) at batch 1, 224×224, within 1%.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costGraph } from '../../../src/core/cost/costGraph';
import { EXAMPLE_MODELS } from '../../../src/core/examples';
import type { Model } from '../../../src/core/graph/ir';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { loadModelFromSource } from '../../../src/core/formats/loadModel';

/** torchvision's published parameter counts. */
const PUBLISHED_PARAMS: Record<string, number> = { 'resnet18': 11_689_512, 'resnet50': 25_557_032, 'mobilenet-v2': 3_504_872, 'vgg16': 138_357_544 };

function load(id: string, options: { batch?: number; dims?: Record<string, number> } = {}): Model {
  const example = EXAMPLE_MODELS.find((e) => e.id === id)!;
  return loadModelFromSource(new BufferByteSource(example.build().toBytes(), `${id}.onnx`), options);
}

describe('torchvision reference MACs (build → read → inferShapes → costGraph)', () => {
  for (const example of EXAMPLE_MODELS.filter((e) => e.publishedGMacs !== undefined)) {
    it(`${example.id}: ${example.publishedGMacs} GMACs within 1%`, () => {
      const { layers, unknownOps } = costGraph(load(example.id));
      assert.deepEqual(unknownOps, []);
      const notExact = layers.filter((l) => l.confidence !== 'exact');
      assert.deepEqual(notExact.map((l) => `${l.name}: ${l.note ?? ''}`), []);
      const gmacs = layers.reduce((s, l) => s + l.macs, 0) / 1e9;
      // Parameters as PyTorch counts them (BatchNorm running stats are buffers, not parameters).
      const params = layers.reduce((s, l) => s + l.params, 0);
      assert.equal(params, PUBLISHED_PARAMS[example.id]);
      const error = Math.abs(gmacs - example.publishedGMacs!) / example.publishedGMacs!;
      assert.ok(error < 0.01, `${example.id}: ${gmacs.toFixed(4)} GMACs vs published ${example.publishedGMacs}`);
      // BatchNorm, ReLU and Add carry FLOPs, not MACs.
      for (const l of layers) if (!['Conv', 'Gemm'].includes(l.opType)) assert.equal(l.macs, 0, l.name);
      for (const l of layers.filter((x) => x.opType === 'Conv')) {
        assert.equal(l.gemm!.m * l.gemm!.n * l.gemm!.k * l.gemm!.batch, l.macs, l.name);
      }
    });
  }
});

describe('demo examples end to end', () => {
  it('small CNN: MACs scale with the bound batch size', () => {
    const one = costGraph(load('small-cnn', { batch: 1 })).layers;
    const four = costGraph(load('small-cnn', { batch: 4 })).layers;
    const macs = (ls: typeof one): number => ls.reduce((s, l) => s + l.macs, 0);
    // conv1 3→32 at 32², conv2 32→64 at 16², conv3 64→128 at 8², fc 128→10.
    const expected = 32 * 32 * 32 * 3 * 9 + 16 * 16 * 64 * 32 * 9 + 8 * 8 * 128 * 64 * 9 + 128 * 10;
    assert.equal(macs(one), expected);
    assert.equal(macs(four), 4 * expected);
    assert.ok(one.every((l) => l.confidence === 'exact'));
  });

  it('transformer: symbolic batch/sequence resolve, attention products and GELU counted, embedding reads rows', () => {
    const hidden = 64, ffn = 256, seq = 32, layers = 2;
    const model = load('transformer', { batch: 2, dims: { sequence: seq } });
    const { layers: costs, unknownOps } = costGraph(model);
    assert.deepEqual(unknownOps, []);
    assert.deepEqual(costs.filter((l) => l.confidence !== 'exact').map((l) => `${l.name}: ${l.note ?? ''}`), []);
    const tokens = 2 * seq;
    const perLayer = tokens * hidden * hidden * 4 + tokens * hidden * ffn * 2 + 2 * (2 * 4 * seq * seq * (hidden / 4));
    assert.equal(costs.reduce((s, l) => s + l.macs, 0), layers * perLayer);
    const scores = costs.find((l) => l.name === '/encoder/layers.0/attn/MatMul_scores')!;
    assert.deepEqual(scores.gemm, { m: seq, n: seq, k: 16, batch: 2 * 4 });
    const erf = costs.find((l) => l.name === '/encoder/layers.0/mlp/act/Erf')!;
    assert.equal(erf.flops.transcendental, tokens * ffn);
    const embed = costs.find((l) => l.name === '/embeddings/word/Gather')!;
    assert.equal(embed.bytes.weights, tokens * hidden * 4);
    assert.equal(embed.params, 1000 * hidden);
    const reshape = costs.find((l) => l.opType === 'Reshape')!;
    assert.deepEqual(reshape.bytes, { weights: 0, inputs: 0, outputs: 0 });
  });
});
