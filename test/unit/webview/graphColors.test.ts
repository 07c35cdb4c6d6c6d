import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerAnalysis } from '../../../src/core/energy/analysis';
import { fillFor, luminance, measuredByName, nodeValues, parseColor, scaleValues, textOn } from '../../../webview/lib/graphColors';
import { buildGraphModel } from '../../../webview/lib/graphModel';

function layer(name: string, computeJ: number, dataJ: number, latencyS: number): LayerAnalysis {
  return {
    name, opType: 'MatMul', domain: '', macs: 0, flops: 0, params: 0, precision: 'fp32', outputShapes: [],
    bytes: { weights: 0, inputs: 0, outputs: 0, byLevel: {}, offChipFloor: 0 },
    energy: { computeJ, onChipJ: dataJ / 2, offChipJ: dataJ / 2, staticJ: 0, totalJ: computeJ + dataJ },
    latencyS, bound: 'compute', intensity: 0, energyShare: 0, confidence: 'exact',
  };
}

describe('graph colours', () => {
  const layers = [layer('a', 4, 0, 1e-3), layer('b', 0, 1, 4e-3), layer('c', 1, 3, 2e-3)];
  const model = buildGraphModel(layers, undefined);

  it('colours compute and data-movement energy apart', () => {
    assert.deepEqual([...nodeValues('compute', model, layers, new Map())], [4, 0, 1]);
    assert.deepEqual([...nodeValues('data', model, layers, new Map())], [0, 1, 3]);
    assert.deepEqual([...scaleValues('energy', nodeValues('energy', model, layers, new Map()))], [1, 0.5, 1]);
  });

  it('measured modes leave unmeasured nodes without a value; the ratio is estimate ÷ measured', () => {
    const measured = measuredByName({ label: 'run', energy: { joulesPerInference: 1, source: 'estimate' }, layers: [{ name: 'a', opType: 'MatMul', measuredMs: 2, estimatedMs: 8 }, { name: 'b', opType: 'MatMul', measuredMs: 8 }] });
    const merged = measuredByName({ label: 'run', energy: { joulesPerInference: 1, source: 'estimate' }, layers: [{ name: 'c', opType: 'MatMul', estimatedMs: 3 }, { name: 'c', opType: 'MatMul', measuredMs: 6 }] });
    assert.deepEqual(merged.get('c'), { measuredMs: 6, estimatedMs: 3 }, 'a layer row and an unmapped node of the same name merge');
    const time = nodeValues('measured', model, layers, measured);
    assert.deepEqual([time[0], time[1]], [2, 8]);
    assert.ok(Number.isNaN(time[2]!));
    const ratio = nodeValues('ratio', model, layers, measured);
    assert.equal(ratio[0], 4, "the benchmark's own estimate is used when it has one");
    assert.equal(ratio[1], 0.5, "else the analysis' latency (4 ms) over the measured 8 ms");
    const scaled = scaleValues('ratio', ratio);
    assert.ok(scaled[0]! > 0 && scaled[1]! < 0, 'over- and under-estimates fall on opposite sides');
    const neutral = [40, 40, 40] as const;
    assert.deepEqual(fillFor('ratio', scaled[2]!, neutral), neutral);
    const over = fillFor('ratio', scaled[0]!, neutral);
    const under = fillFor('ratio', scaled[1]!, neutral);
    assert.ok(over[0] > over[2] && under[2] > under[0], 'red above, blue below');
  });

  it('reads theme colours and picks readable text', () => {
    assert.deepEqual(parseColor('#1f1f1f'), [31, 31, 31]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.deepEqual(parseColor('rgba(10, 20, 30, 0.5)'), [10, 20, 30]);
    assert.equal(parseColor('var(--x)'), undefined);
    assert.equal(textOn([255, 240, 200]), '#000000');
    assert.equal(textOn([120, 10, 10]), '#ffffff');
    assert.ok(luminance([255, 255, 255]) > 0.99);
  });
});
