import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareAnalyses } from '../../../src/core/report/compare';
import { formatChange, formatRatio } from '../../../src/core/report/compareRender';
import { renderComparison } from '../../../src/core/report';
import type { Analysis, LayerAnalysis } from '../../../src/core/energy/analysis';
import { sampleAnalysis } from './sampleAnalysis';

function onProfile(analysis: Analysis, id: string, scale: number): Analysis {
  const scaleLayer = (l: LayerAnalysis): LayerAnalysis => ({ ...l, energy: { ...l.energy, totalJ: l.energy.totalJ * scale } });
  return {
    ...analysis,
    profile: { id, name: id.toUpperCase() },
    layers: analysis.layers.map(scaleLayer),
    totals: { ...analysis.totals, energy: { ...analysis.totals.energy, totalJ: analysis.totals.energy.totalJ * scale } },
  };
}

test('one model on two profiles: labels are profile ids, layers pair by name', () => {
  const a = sampleAnalysis();
  const c = compareAnalyses(a, onProfile(a, 'a100', 0.25));
  assert.equal(c.kind, 'profiles');
  assert.deepEqual([c.labelA, c.labelB], ['laptop-x86', 'a100']);
  const energy = c.totals.find((r) => r.metric === 'energy per inference')!;
  assert.equal(energy.ratio, 0.25);
  assert.ok(Math.abs(energy.delta - -0.75e-3) < 1e-12);
  assert.equal(c.layers.length, 3);
  assert.ok(c.layers.every((p) => p.a && p.b));
});

test('two models: unmatched layers are kept on their side, duplicate names pair in order', () => {
  const a = sampleAnalysis();
  const extra = { ...a.layers[0]!, name: 'conv1' };
  const b: Analysis = { ...a, model: { ...a.model, path: 'models/other.onnx' }, layers: [a.layers[0]!, extra, { ...a.layers[1]!, name: 'only_b' }] };
  const c = compareAnalyses(a, b);
  assert.equal(c.kind, 'models');
  assert.deepEqual([c.labelA, c.labelB], ['tiny.onnx', 'other.onnx']);
  const keys = c.layers.map((p) => [p.key, Boolean(p.a), Boolean(p.b)]);
  assert.deepEqual(keys, [
    ['conv1', true, true],
    ['<img src=x onerror=alert(1)>', true, false],
    ['fc, "final"\nlayer', true, false],
    ['conv1#2', false, true],
    ['only_b', false, true],
  ]);
});

test('change and ratio wording', () => {
  assert.equal(formatChange(2, 1), '−50.0%');
  assert.equal(formatChange(1, 1.5), '+50.0%');
  assert.equal(formatChange(1, 1), '=');
  assert.equal(formatChange(0, 1), 'new');
  assert.equal(formatRatio(4, 1), '4.00× less');
  assert.equal(formatRatio(1, 3), '3.00× more');
});

test('every comparison format renders; JSON carries both analyses and the metrics', () => {
  const a = sampleAnalysis();
  const b = onProfile(a, 'a100', 0.5);
  const table = renderComparison(a, b, 'table');
  assert.match(table, /energy per inference\s+1 mJ\s+500 µJ\s+−50\.0%\s+2\.00× less/);
  const json = JSON.parse(renderComparison(a, b, 'json')) as { kind: string; comparison: string; metrics: unknown[]; analysisA: Analysis; analysisB: Analysis };
  assert.equal(json.kind, 'comparison');
  assert.equal(json.comparison, 'profiles');
  assert.equal(json.analysisB.profile.id, 'a100');
  assert.equal(json.metrics.length, 12);
  assert.match(renderComparison(a, b, 'md'), /\| energy per inference \| 1 mJ \| 500 µJ \|/);
  const csv = renderComparison(a, b, 'csv').split('\r\n');
  assert.equal(csv[0]!.split(',')[0], 'layer');
  // Records end in CRLF; the bare LF inside the quoted name stays inside its record.
  assert.equal(csv.filter((l) => l.length > 0).length, 4, 'header and three layers');
});
