/** Mixed precision by sensitivity: variants by drift order, measured points, the Pareto front. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTransformInProcess } from '../../../src/core/transform/job';
import { formatPareto, paretoSearch, variantPath } from '../../../src/core/transform/pareto';
import { paretoSvg } from '../../../src/core/transform/paretoChart';
import type { TransformRequest } from '../../../src/core/transform/types';
import { buildCnn, tempDir } from './fixtures';

let dir: string;
let cnn: string;

before(() => {
  dir = tempDir();
  cnn = buildCnn(path.join(dir, 'cnn.onnx'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('variants quantize the least sensitive layers first; every point is a verified file; dominated points are off the front', async () => {
  const request: TransformRequest = { model: cnn, transform: { op: 'quantize', mode: 'int8-static', calibration: { samples: 2 } }, verification: { samples: 2, latencyRuns: 2 } };
  const r = await paretoSearch(request, (req) => runTransformInProcess(req), [0.5, 1]);
  assert.equal(r.sensitivity.length, 4);
  assert.deepEqual(r.points.map((p) => p.share), [0.5, 1]);
  const [half, full] = r.points as [typeof r.points[0], typeof r.points[0]];
  assert.equal(half.output, variantPath(request, 0.5));
  assert.ok(fs.existsSync(half.output) && fs.existsSync(full.output));
  assert.ok(half.transformed < full.transformed, `${half.transformed} vs ${full.transformed}`);
  // The layers left float in the half variant are the two with the largest drift.
  const mostSensitive = [...r.sensitivity].sort((a, b) => b.drift - a.drift).slice(0, 2).map((s) => s.node);
  assert.deepEqual([...half.floatLayers].sort(), [...mostSensitive].sort());
  assert.deepEqual(full.floatLayers, []);
  assert.ok(half.energyJ !== undefined && full.energyJ !== undefined);
  for (const p of r.points) {
    const dominated = r.points.some((q) => q !== p && q.cosine >= p.cosine && q.energyJ! <= p.energyJ! && (q.cosine > p.cosine || q.energyJ! < p.energyJ!));
    assert.equal(p.onFront, !dominated);
  }
  const svg = paretoSvg(r);
  assert.equal((svg.match(/<circle /g) ?? []).length, 2);
  assert.equal((svg.match(/class="on-front"/g) ?? []).length, r.points.filter((p) => p.onFront).length);
  assert.match(svg, /cnn\.int8-static\.p50\.onnx/);
  assert.match(svg, /energy per inference, mJ \(estimated\)/);
  const text = formatPareto(r);
  assert.match(text, /4 layers ordered by sensitivity/);
  assert.match(text, /cnn\.int8-static\.p50\.onnx/);
});
