import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { readTflite } from '../../../src/core/formats/tflite';
import { writeTflite } from '../../fixtures/formats/tflite/writer';
import { tinyInt8CnnSpec } from '../../fixtures/formats/tflite/tinyCnn';
import { costGraph } from '../../../src/core/cost/costGraph';
import { estimate } from '../../../src/core/energy/estimate';
import { getProfile } from '../../../src/core/energy/profileRegistry';
import { weightTotals } from '../../../src/core/graph/weights';
import { inferShapes } from '../../../src/core/graph/shapeInference';

describe('TFLite models through the cost and energy pipeline', () => {
  const { model } = readTflite(new BufferByteSource(writeTflite(tinyInt8CnnSpec()), 'tiny.tflite'));
  const { layers, unknownOps } = costGraph(model);
  const byOp = new Map(layers.map((l) => [l.opType, l]));

  it('costs every operator of the tiny int8 CNN at int8 with exact MACs', () => {
    assert.deepEqual(unknownOps, []);
    assert.ok(layers.every((l) => l.confidence === 'exact'), JSON.stringify(layers.map((l) => [l.opType, l.confidence, l.note])));
    // CONV_2D: 8×8×8 outputs × 3×3×3; DEPTHWISE: 8×8×8 outputs × 3×3; FC: 10 × 128.
    assert.equal(byOp.get('CONV_2D')?.macs, 512 * 27);
    assert.deepEqual(byOp.get('CONV_2D')?.gemm, { m: 64, n: 8, k: 27, batch: 1, convolution: true });
    assert.equal(byOp.get('DEPTHWISE_CONV_2D')?.macs, 512 * 9);
    assert.equal(byOp.get('FULLY_CONNECTED')?.macs, 1280);
    assert.equal(byOp.get('MAX_POOL_2D')?.flops.elementwise, 128 * 4);
    assert.equal(byOp.get('CONV_2D')?.precision, 'int8');
    // Bias add + ReLU per output; ReLU6 takes two compares.
    assert.equal(byOp.get('CONV_2D')?.flops.elementwise, 512 + 512);
    assert.equal(byOp.get('DEPTHWISE_CONV_2D')?.flops.elementwise, 512 + 2 * 512);
    assert.equal(byOp.get('RESHAPE')?.bytes.inputs, 0);
  });

  it('counts int8 weights and int32 biases as the weight bytes', () => {
    const conv = byOp.get('CONV_2D');
    assert.equal(conv?.bytes.weights, 216 + 8 * 4);
    assert.equal(conv?.params, 216 + 8);
    assert.equal(conv?.bytes.inputs, 16 * 16 * 3);
    assert.equal(conv?.bytes.outputs, 512);
    const totals = weightTotals(model);
    assert.equal(totals.weightBytes, 216 + 32 + 72 + 32 + 8 + 1280 + 40);
  });

  it('scales with a dynamic batch bound by shape inference', () => {
    const dynamic = readTflite(new BufferByteSource(writeTflite(tinyInt8CnnSpec({ dynamicBatch: true })))).model;
    const { boundDims } = inferShapes(dynamic, { dims: {}, batch: 4 });
    assert.equal(boundDims.get('batch'), 4);
    const costed = costGraph({ ...dynamic, boundDims });
    assert.deepEqual(costed.layers.map((l) => l.macs), layers.map((l) => 4 * l.macs));
  });

  it('estimates energy on a microcontroller profile', () => {
    const profile = getProfile('cortex-m4');
    assert.ok(profile);
    const totals = weightTotals(model);
    const analysis = estimate({
      model: { path: 'tiny.tflite', format: 'tflite', params: totals.params, weightBytes: totals.weightBytes },
      layers, unknownOps, warnings: [], dims: {}, batch: 1,
    }, profile);
    assert.equal(analysis.totals.macs, 512 * 27 + 512 * 9 + 1280);
    assert.ok(analysis.totals.energy.totalJ > 0 && Number.isFinite(analysis.totals.energy.totalJ));
    assert.ok(analysis.warnings.every((w) => !w.includes('does not fit')), analysis.warnings.join(' | '));
  });
});
