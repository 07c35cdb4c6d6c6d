import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../../src/core/pipeline/modelFile';
import { measuredVsEstimated } from '../../../src/core/bench/measuredVsEstimated';
import { runBenchmark } from '../../../src/core/bench/runner';
import { OnnxBuilder } from '../../../src/core/onnx/builder';

test('measured time per layer stands beside the estimated time of the same layer', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-mve-'));
  try {
    const b = new OnnxBuilder();
    let x = b.input('x', 'float32', ['batch', 32]);
    [x] = b.node('MatMul', [x, b.weight('w0', [32, 32])], {}, { name: 'fc0' }) as [string];
    [x] = b.node('Tanh', [x], {}, { name: 'act0' }) as [string];
    [x] = b.node('MatMul', [x, b.weight('w1', [32, 8])], {}, { name: 'fc1' }) as [string];
    b.output(x, 'float32');
    const file = path.join(dir, 'mlp.onnx');
    fs.writeFileSync(file, b.toBytes());
    const analysis = analyzeFile(file, { batch: 2 });
    const result = await runBenchmark({
      modelPath: file, iterations: 3, warmup: 1, profileIterations: 3, batch: 2, intraOpThreads: 1,
      workerPath: path.resolve(__dirname, '../../../src/core/bench/worker.js'),
      layerNames: analysis.layers.map((l) => l.name),
      energy: { prefer: 'estimate' },
    });
    const table = measuredVsEstimated(result, analysis);
    assert.deepEqual(table.rows.map((r) => r.layer), ['fc0', 'act0', 'fc1']);
    for (const row of table.rows) {
      assert.ok(row.measuredMs !== undefined && row.measuredMs > 0, `${row.layer} measured`);
      assert.ok(row.estimatedMs > 0, `${row.layer} estimated`);
      assert.ok(row.ratio !== undefined && Math.abs(row.ratio - row.measuredMs / row.estimatedMs) < 1e-12);
    }
    assert.equal(table.profile, analysis.profile.id);
    assert.ok(Math.abs(table.estimatedTotalMs - analysis.totals.latencyS * 1000) < 1e-12);
    assert.ok(table.measuredTotalMs > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
