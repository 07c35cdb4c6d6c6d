import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPowerCapSweep } from '../../../src/core/bench/capSweep';
import { recordCapState } from '../../../src/core/bench/capState';
import { CancelledError } from '../../../src/core/errors';
import type { runBenchmark } from '../../../src/core/bench/runner';
import { makeCpufreqTree } from '../../fixtures/bench/fakeCpufreq';
import { sampleResult } from '../../fixtures/bench/sampleResult';

const repoRoot = path.resolve(__dirname, '../../../..');
const base = { modelPath: '/models/m.onnx', iterations: 5 };
const noCpufreq = path.join(os.tmpdir(), 'joule-no-cpufreq');

/** A runner whose latency halves per thread, and that records the cpufreq limit seen while it ran. */
function fakeRunner(seenLimits?: () => number[], log: number[][] = []): typeof runBenchmark {
  return async (options) => {
    if (seenLimits) log.push(seenLimits());
    const t = options.intraOpThreads ?? 1;
    return sampleResult({ samplesMs: [4 / t, 4 / t], joulesPerInference: 0.1 * (1 + 0.2 * t) });
  };
}

test('thread sweep gives one measured point per thread count; no cap applicable is said so', async () => {
  const result = await runPowerCapSweep(base, { threads: [1, 2, 4] }, { run: fakeRunner(), cpuRoot: noCpufreq, modelled: [{ capW: 10, latencyS: 1, energyJ: 2 }] });
  assert.deepEqual(result.measured.map((p) => [p.cap, p.latencyP50Ms]), [
    [{ kind: 'threads', threads: 1 }, 4],
    [{ kind: 'threads', threads: 2 }, 2],
    [{ kind: 'threads', threads: 4 }, 1],
  ]);
  assert.equal(result.unavailable[0]?.kind, 'cpu-frequency');
  assert.ok(result.notes.some((n) => /No power or frequency cap could be applied/.test(n)));
  assert.deepEqual(result.modelled, [{ capW: 10, latencyS: 1, energyJ: 2 }]);
});

test('writable cpufreq: each limit is applied during its run and the original restored', async () => {
  const tree = makeCpufreqTree(2, 1_000_000, 3_000_000);
  try {
    const log: number[][] = [];
    const result = await runPowerCapSweep(base, { threads: [] }, { run: fakeRunner(tree.limits, log), cpuRoot: tree.root });
    assert.deepEqual(result.measured.map((p) => p.cap), [1_000_000, 1_666_667, 2_333_333, 3_000_000].map((maxKHz) => ({ kind: 'cpu-frequency', maxKHz })));
    assert.deepEqual(log, [[1_000_000, 1_000_000], [1_666_667, 1_666_667], [2_333_333, 2_333_333], [3_000_000, 3_000_000]]);
    assert.deepEqual(tree.limits(), [3_000_000, 3_000_000]);
    assert.ok(!result.notes.some((n) => /No power or frequency cap/.test(n)));
  } finally {
    tree.cleanup();
  }
});

test('limits are restored even when a run fails or is cancelled', async () => {
  const tree = makeCpufreqTree(1, 1_000_000, 2_000_000);
  try {
    const failing: typeof runBenchmark = async () => {
      throw new CancelledError();
    };
    await assert.rejects(runPowerCapSweep(base, { threads: [], cpuFrequenciesKHz: [1_200_000] }, { run: failing, cpuRoot: tree.root }), CancelledError);
    assert.deepEqual(tree.limits(), [2_000_000]);
    await assert.rejects(runPowerCapSweep(base, { threads: [1] }, { run: fakeRunner(), cpuRoot: tree.root }, undefined, { cancelled: true }), CancelledError);
  } finally {
    tree.cleanup();
  }
});

function withFakeNvidiaSmi<T>(env: Record<string, string>, body: (dir: string, state: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-nvsmi-'));
  fs.copyFileSync(path.join(repoRoot, 'test/fixtures/bench/fake-nvidia-smi.sh'), path.join(dir, 'nvidia-smi'));
  fs.chmodSync(path.join(dir, 'nvidia-smi'), 0o755);
  const state = path.join(dir, 'limits.txt');
  const saved = { ...process.env };
  Object.assign(process.env, { FAKE_NVSMI_STATE: state, ...env });
  return body(dir, state).finally(() => {
    for (const key of ['FAKE_NVSMI_STATE', 'FAKE_NVSMI_DENY']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test('GPU power limits through nvidia-smi -pl, restored to the original limit afterwards', async () => {
  await withFakeNvidiaSmi({}, async (dir, state) => {
    const result = await runPowerCapSweep({ ...base, provider: 'cuda' }, { threads: [], gpuPowerW: [150, 200] }, { run: fakeRunner(), cpuRoot: noCpufreq, searchPath: dir });
    assert.deepEqual(result.measured.map((p) => p.cap), [{ kind: 'gpu-power', watts: 150 }, { kind: 'gpu-power', watts: 200 }]);
    // The probe sets the current limit again (300 W), then 150, 200, then restores 300.
    assert.deepEqual(fs.readFileSync(state, 'utf8').trim().split('\n'), ['300', '150', '200', '300']);
  });
});

test('GPU power limit refused: reported unavailable with nvidia-smi\'s reason', async () => {
  await withFakeNvidiaSmi({ FAKE_NVSMI_DENY: '1' }, async (dir) => {
    const result = await runPowerCapSweep({ ...base, provider: 'cuda' }, { threads: [1], gpuPowerW: [150] }, { run: fakeRunner(), cpuRoot: noCpufreq, searchPath: dir });
    const gpu = result.unavailable.find((u) => u.kind === 'gpu-power');
    assert.match(gpu?.reason ?? '', /Insufficient Permissions/);
    assert.equal(result.measured.length, 1);
  });
});

test('a sweep killed with limits lowered: the next sweep restores the recorded originals first', async () => {
  const tree = makeCpufreqTree(2, 1_000_000, 3_000_000);
  const stateFile = path.join(tree.root, 'state.json');
  try {
    // What a SIGKILL in the middle of a sweep leaves: the originals recorded, the limits lowered.
    const files = [0, 1].map((i) => path.join(tree.root, `cpu${i}`, 'cpufreq', 'scaling_max_freq'));
    recordCapState(stateFile, { cpu: { files, originalKHz: [3_000_000, 2_500_000] } });
    for (const f of files) fs.writeFileSync(f, '1000000\n');
    const log: number[][] = [];
    const result = await runPowerCapSweep(base, { threads: [1], sweepCpuFrequency: false }, { run: fakeRunner(tree.limits, log), cpuRoot: tree.root, stateFile });
    assert.deepEqual(log[0], [3_000_000, 2_500_000], 'restored before the first run');
    assert.ok(result.notes.some((n) => /Restored the CPU frequency limits/.test(n)));
    assert.equal(fs.existsSync(stateFile), false);
    // A completed sweep leaves no state behind.
    await runPowerCapSweep(base, { threads: [], cpuFrequenciesKHz: [1_500_000] }, { run: fakeRunner(), cpuRoot: tree.root, stateFile });
    assert.equal(fs.existsSync(stateFile), false);
  } finally {
    tree.cleanup();
  }
});

test('recorded values outside the hardware range are not written back', async () => {
  const tree = makeCpufreqTree(1, 1_000_000, 2_000_000);
  const stateFile = path.join(tree.root, 'state.json');
  try {
    recordCapState(stateFile, { cpu: { files: [path.join(tree.root, 'cpu0', 'cpufreq', 'scaling_max_freq')], originalKHz: [9_999_999] } });
    const result = await runPowerCapSweep(base, { threads: [], sweepCpuFrequency: false }, { run: fakeRunner(), cpuRoot: tree.root, stateFile });
    assert.deepEqual(tree.limits(), [2_000_000]);
    assert.ok(!result.notes.some((n) => /Restored/.test(n)));
  } finally {
    tree.cleanup();
  }
});
