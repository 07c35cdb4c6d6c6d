import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerAnalysis } from '../../../src/core/energy/analysis';
import { DEFAULT_QUERY, opTypes, queryLayers, splitWidths, toggleSort, visibleWindow, type TableQuery } from '../../../webview/lib/tableModel';

function layer(name: string, opType: string, totalJ: number, extra: Partial<LayerAnalysis> = {}): LayerAnalysis {
  const quarter = totalJ / 4;
  return {
    name,
    opType,
    domain: '',
    macs: totalJ * 1e9,
    flops: totalJ * 2e9,
    params: 0,
    precision: 'fp32',
    outputShapes: [[1, 8]],
    bytes: { weights: 0, inputs: 32, outputs: 32, byLevel: { dram: 64 }, offChipFloor: 64 },
    energy: { computeJ: quarter, onChipJ: quarter, offChipJ: quarter, staticJ: quarter, totalJ },
    latencyS: totalJ,
    bound: 'compute',
    intensity: 1,
    energyShare: 0,
    confidence: 'exact',
    ...extra,
  };
}

const layers: LayerAnalysis[] = [
  layer('/conv1/Conv', 'Conv', 3),
  layer('/relu1/Relu', 'Relu', 1),
  layer('/conv2/Conv', 'Conv', 3),
  layer('/fc/Gemm', 'Gemm', 5),
  layer('/Attn/MatMul', 'MatMul', 1),
];
const q = (patch: Partial<TableQuery>): TableQuery => ({ ...DEFAULT_QUERY, ...patch });

describe('queryLayers', () => {
  it('sorts by energy, largest first, by default', () => {
    assert.deepEqual(queryLayers(layers, DEFAULT_QUERY), [3, 0, 2, 1, 4]);
  });

  it('keeps the model order for ties in both directions (stable)', () => {
    assert.deepEqual(queryLayers(layers, q({ sortKey: 'energy', descending: true })).filter((i) => layers[i]!.energy.totalJ === 3), [0, 2]);
    assert.deepEqual(queryLayers(layers, q({ sortKey: 'energy', descending: false })), [1, 4, 0, 2, 3]);
    const allEqual = Array.from({ length: 50 }, (_, i) => layer(`l${i}`, 'Add', 1));
    assert.deepEqual(queryLayers(allEqual, q({ sortKey: 'latency', descending: true })), allEqual.map((_, i) => i));
  });

  it('sorts text case-insensitively and by index', () => {
    assert.deepEqual(queryLayers(layers, q({ sortKey: 'name', descending: false })).map((i) => layers[i]!.name), ['/Attn/MatMul', '/conv1/Conv', '/conv2/Conv', '/fc/Gemm', '/relu1/Relu']);
    assert.deepEqual(queryLayers(layers, q({ sortKey: 'index', descending: true })), [4, 3, 2, 1, 0]);
  });

  it('filters by text in the name or the op type, ignoring case and surrounding spaces', () => {
    assert.deepEqual(queryLayers(layers, q({ text: '  CONV ', sortKey: 'index', descending: false })), [0, 2]);
    assert.deepEqual(queryLayers(layers, q({ text: 'gemm', sortKey: 'index', descending: false })), [3]);
    assert.deepEqual(queryLayers(layers, q({ text: 'relu1', sortKey: 'index', descending: false })), [1]);
    assert.deepEqual(queryLayers(layers, q({ text: 'nothing matches' })), []);
  });

  it('filters by exact op type, combined with the text', () => {
    assert.deepEqual(queryLayers(layers, q({ opType: 'Conv', sortKey: 'index', descending: false })), [0, 2]);
    assert.deepEqual(queryLayers(layers, q({ opType: 'Conv', text: 'conv2' })), [2]);
    assert.deepEqual(queryLayers(layers, q({ opType: 'conv' })), [], 'op type is matched exactly');
  });

  it('treats markup in names as plain text to match', () => {
    const hostile = [layer('<img src=x onerror=alert(1)>', 'Conv', 1)];
    assert.deepEqual(queryLayers(hostile, q({ text: '<img' })), [0]);
  });
});

describe('toggleSort', () => {
  it('flips the direction when the same column is clicked again', () => {
    const once = toggleSort(DEFAULT_QUERY, 'energy');
    assert.equal(once.descending, !DEFAULT_QUERY.descending);
    assert.equal(toggleSort(once, 'energy').descending, DEFAULT_QUERY.descending);
  });

  it('starts numbers descending and text ascending, keeping the filter', () => {
    const filtered = q({ text: 'conv', opType: 'Conv' });
    assert.deepEqual(toggleSort(filtered, 'macs'), { ...filtered, sortKey: 'macs', descending: true });
    for (const key of ['name', 'opType', 'index', 'bound'] as const) assert.equal(toggleSort(filtered, key).descending, false, key);
  });
});

describe('visibleWindow', () => {
  it('covers the viewport plus the overscan, clamped to the rows', () => {
    assert.deepEqual(visibleWindow(0, 260, 26, 10_000, 8), { first: 0, last: 18 });
    assert.deepEqual(visibleWindow(2600, 260, 26, 10_000, 8), { first: 92, last: 118 });
    assert.deepEqual(visibleWindow(26 * 9_990, 260, 26, 10_000, 8), { first: 9_982, last: 10_000 });
  });

  it('handles partial rows, no rows and scroll positions past the end', () => {
    assert.deepEqual(visibleWindow(13, 26, 26, 100, 0), { first: 0, last: 2 });
    assert.deepEqual(visibleWindow(0, 400, 26, 0), { first: 0, last: 0 });
    assert.deepEqual(visibleWindow(1e6, 400, 26, 10), { first: 0, last: 10 }, 'past the end of a short list: all of it');
    assert.deepEqual(visibleWindow(1e7, 260, 26, 1_000, 8), { first: 982, last: 1_000 }, 'past the end of a long list: the last rows');
    assert.deepEqual(visibleWindow(-50, 260, 26, 100, 8), { first: 0, last: 18 });
  });

  it('never puts more than a viewport plus overscan in the DOM, wherever it scrolls', () => {
    for (let top = 0; top < 26 * 10_000; top += 26 * 137 + 5) {
      const w = visibleWindow(top, 600, 26, 10_000, 8);
      assert.ok(w.last - w.first <= Math.ceil(600 / 26) + 1 + 16, `${top}: ${w.first}..${w.last}`);
      assert.ok(w.first <= Math.floor(top / 26) && w.last >= Math.min(10_000, Math.ceil((top + 600) / 26)));
    }
  });
});

describe('splitWidths', () => {
  it('gives each component its share of the largest layer', () => {
    const big = layer('a', 'Conv', 4);
    assert.deepEqual(splitWidths(big, 4), [0.25, 0.25, 0.25, 0.25]);
    assert.deepEqual(splitWidths(layer('b', 'Relu', 2), 4), [0.125, 0.125, 0.125, 0.125]);
    const uneven = layer('c', 'Gemm', 4, { energy: { computeJ: 3, onChipJ: 0.5, offChipJ: 0.5, staticJ: 0, totalJ: 4 } });
    assert.deepEqual(splitWidths(uneven, 8), [0.375, 0.0625, 0.0625, 0]);
  });

  it('is all zero when no layer has energy', () => {
    assert.deepEqual(splitWidths(layer('z', 'Shape', 0), 0), [0, 0, 0, 0]);
  });
});

describe('opTypes', () => {
  it('lists distinct op types, most frequent first, then by name', () => {
    assert.deepEqual(opTypes(layers), ['Conv', 'Gemm', 'MatMul', 'Relu']);
  });
});
