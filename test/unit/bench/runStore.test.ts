import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareRuns } from '../../../src/core/bench/compare';
import { hostLabel, protocolDifferences } from '../../../src/core/bench/protocol';
import { listRuns, loadRun, runsFolder, safeName, saveRun } from '../../../src/core/bench/runStore';
import { sampleResult } from '../../fixtures/bench/sampleResult';

test('file names are safe whatever the model is called', () => {
  assert.equal(safeName('../../etc/passwd'), 'etc_passwd');
  assert.equal(safeName('my model (int8)'), 'my_model_int8_');
  assert.equal(safeName('...'), 'model');
  assert.ok(safeName('x'.repeat(500)).length <= 60);
});

test('runs are saved under .joule/runs, listed newest first, and loaded back intact', async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-ws-'));
  try {
    const older = sampleResult({ modelPath: '/m/../evil name.onnx', date: new Date('2026-01-01T00:00:00Z') });
    const newer = sampleResult({ date: new Date('2026-02-01T00:00:00Z') });
    const f1 = await saveRun(workspace, older, { label: 'fp32' });
    const f2 = await saveRun(workspace, newer);
    assert.equal(path.dirname(f1), runsFolder(workspace));
    assert.match(path.basename(f1), /^[A-Za-z0-9._-]+\.json$/);
    fs.writeFileSync(path.join(runsFolder(workspace), 'broken.json'), '{"nope":1}');
    const { runs, skipped } = await listRuns(workspace);
    assert.deepEqual(runs.map((r) => r.file), [f2, f1]);
    assert.equal(runs[1]?.label, 'fp32');
    assert.equal(skipped.length, 1);
    const loaded = await loadRun(f1);
    assert.deepEqual(loaded.result, JSON.parse(JSON.stringify(older)));
    await assert.rejects(loadRun(path.join(runsFolder(workspace), 'broken.json')), /not a Joule benchmark run/);
    assert.deepEqual(await listRuns(path.join(workspace, 'nothing-here')), { runs: [], skipped: [] });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('compareRuns gives b/a ratios for latency, throughput, memory, energy and layers', () => {
  const a = sampleResult({ samplesMs: [2, 2, 2, 2] });
  const b = sampleResult({ modelPath: '/models/resnet.int8.onnx', samplesMs: [1, 1, 1, 1], joulesPerInference: 0.2 });
  const c = compareRuns(a, b);
  assert.equal(c.metrics.p50Ms.ratio, 0.5);
  assert.equal(c.metrics.throughputPerS.ratio, 2);
  assert.ok(Math.abs((c.metrics.joulesPerInference.ratio ?? 0) - 0.4) < 1e-12);
  assert.equal(c.metrics.peakRssBytes.ratio, 1);
  assert.deepEqual(c.layers.map((l) => [l.layer, l.ratio]), [['conv1', 1], ['fc', 1]]);
  assert.ok(c.notes.some((n) => /variant/.test(n)));
});

test('protocol differences flag runs that are not like for like', () => {
  const a = sampleResult({ threads: 1 });
  const b = sampleResult({ threads: 4 });
  assert.deepEqual(protocolDifferences(a.protocol, a.protocol), []);
  assert.deepEqual(protocolDifferences(a.protocol, b.protocol), ['intra-op threads: 1 vs 4']);
  assert.deepEqual(compareRuns(a, b).protocolDifferences, ['intra-op threads: 1 vs 4']);
});

test('the protocol records machine, runtime and inputs; the hostname is hashed unless revealed', () => {
  const p = sampleResult().protocol;
  assert.equal(p.machine.host, hostLabel(os.hostname()));
  assert.notEqual(p.machine.host, os.hostname());
  assert.equal(hostLabel('box', true), 'box');
  assert.equal(p.machine.logicalCores, os.cpus().length);
  assert.equal(p.runtime.node, process.version);
  assert.equal(p.runtime.onnxruntime, '1.30.0');
  assert.deepEqual(p.inputs[0]?.dims, [1, 3, 8, 8]);
  assert.equal(p.iterations, 5);
  assert.ok(!Number.isNaN(Date.parse(p.date)));
});
