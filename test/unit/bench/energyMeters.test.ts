import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { counterDeltaUj, probeRapl, RaplMeter } from '../../../src/core/bench/energy/rapl';
import { estimatedCpuPowerW, EstimateMeter } from '../../../src/core/bench/energy/estimate';
import { integratePower } from '../../../src/core/bench/energy/powerSamples';
import { parsePowermetricsLine } from '../../../src/core/bench/energy/powermetrics';
import { NvidiaSmiMeter, parseGpuPowerLine } from '../../../src/core/bench/energy/nvidiaSmi';
import type { EnergyMeter } from '../../../src/core/bench/energy/types';
import { selectEnergyMeter } from '../../../src/core/bench/energy/selectMeter';
import { makePowercapTree } from '../../fixtures/bench/fakeSysfs';

const context = { wallS: 2, cpuTimeS: 1, inferences: 10 };
const repoRoot = path.resolve(__dirname, '../../../..');

/** A folder holding the fake nvidia-smi, to put on the search path. */
function fakeNvidiaSmiDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-nvsmi-'));
  fs.copyFileSync(path.join(repoRoot, 'test/fixtures/bench/fake-nvidia-smi.sh'), path.join(dir, 'nvidia-smi'));
  fs.chmodSync(path.join(dir, 'nvidia-smi'), 0o755);
  return dir;
}

test('RAPL sums only top-level packages, never nested sub-zones', async () => {
  const tree = makePowercapTree([
    { id: 'intel-rapl:0', name: 'package-0', energyUj: 1_000_000 },
    { id: 'intel-rapl:0/intel-rapl:0:0', name: 'core', energyUj: 500_000 },
    { id: 'intel-rapl:0:0', name: 'core', energyUj: 500_000 },
    { id: 'intel-rapl:1', name: 'package-1', energyUj: 2_000_000 },
    { id: 'intel-rapl:1:0', name: 'dram', energyUj: 100 },
  ]);
  try {
    const probe = await probeRapl(tree.root);
    assert.ok(probe.ok);
    assert.deepEqual(probe.zones.map((z) => z.name), ['package-0', 'package-1']);
    const meter = new RaplMeter(probe.zones);
    await meter.start();
    tree.setEnergy('intel-rapl:0', 4_000_000);
    tree.setEnergy('intel-rapl:1', 3_500_000);
    tree.setEnergy('intel-rapl:0:0', 9_000_000);
    tree.setEnergy('intel-rapl:1:0', 9_000_000);
    const reading = await meter.stop();
    assert.equal(reading.joules, 4.5);
    assert.deepEqual(reading.domains, [{ name: 'package-0', joules: 3 }, { name: 'package-1', joules: 1.5 }]);
  } finally {
    tree.cleanup();
  }
});

test('RAPL leaves out the psys (platform) zone, which already contains the packages', async () => {
  const tree = makePowercapTree([
    { id: 'intel-rapl:0', name: 'package-0', energyUj: 10 },
    { id: 'intel-rapl:1', name: 'psys', energyUj: 10 },
  ]);
  try {
    const probe = await probeRapl(tree.root);
    assert.ok(probe.ok);
    assert.deepEqual(probe.zones.map((z) => z.name), ['package-0']);
    assert.match(probe.notes.join(' '), /psys/);
    const selection = await selectEnergyMeter('cpu', { powercapRoot: tree.root });
    assert.equal(selection.meter.source, 'rapl');
    assert.ok(selection.notes.some((n) => /psys/.test(n)));
  } finally {
    tree.cleanup();
  }
});

test('RAPL adds the counter range when the counter wrapped', async () => {
  assert.equal(counterDeltaUj(900, 100, 1000), 200);
  assert.equal(counterDeltaUj(100, 900, 1000), 800);
  const tree = makePowercapTree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 262_000_000_000, maxRangeUj: 262_143_328_850 }]);
  try {
    const probe = await probeRapl(tree.root);
    assert.ok(probe.ok);
    const meter = new RaplMeter(probe.zones);
    await meter.start();
    tree.setEnergy('intel-rapl:0', 856_671_150);
    const reading = await meter.stop();
    assert.ok(Math.abs(reading.joules - 1000) < 1e-6, `wrapped delta ${reading.joules} J`);
  } finally {
    tree.cleanup();
  }
});

test('RAPL polling catches a counter that wraps more than once over a long run', async () => {
  const tree = makePowercapTree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 0, maxRangeUj: 1_000_000 }]);
  try {
    const probe = await probeRapl(tree.root);
    assert.ok(probe.ok);
    const meter = new RaplMeter(probe.zones, 20);
    await meter.start();
    // 0.8 J, wrap, 0.8 J: two readings alone would see 0.6 J; the poll in between sees the first 0.8 J.
    tree.setEnergy('intel-rapl:0', 800_000);
    await new Promise((r) => setTimeout(r, 80));
    tree.setEnergy('intel-rapl:0', 600_000);
    const reading = await meter.stop();
    assert.ok(Math.abs(reading.joules - 1.6) < 1e-9, `got ${reading.joules}`);
  } finally {
    tree.cleanup();
  }
});

test('RAPL denied: the reason explains how to grant access and names CVE-2020-8694', async () => {
  const tree = makePowercapTree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 1 }]);
  try {
    const denied = async (file: string): Promise<string> => {
      if (file.endsWith('energy_uj')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return fs.promises.readFile(file, 'utf8');
    };
    const probe = await probeRapl(tree.root, denied);
    assert.equal(probe.ok, false);
    assert.ok(!probe.ok && probe.permissionDenied);
    assert.match(!probe.ok ? probe.reason : '', /CVE-2020-8694/);
    assert.match(!probe.ok ? probe.reason : '', /udev/);
    assert.match(!probe.ok ? probe.reason : '', /setfacl|chmod/);
    assert.match(!probe.ok ? probe.reason : '', /intel-rapl:0\/energy_uj/);
  } finally {
    tree.cleanup();
  }
});

test('no powercap tree: RAPL is unavailable with a reason', async () => {
  const probe = await probeRapl(path.join(os.tmpdir(), 'joule-no-such-powercap'));
  assert.equal(probe.ok, false);
});

test('power integration: trapezoids, first and last sample held to the interval ends', () => {
  const samples = [{ atMs: 100, watts: 10 }, { atMs: 200, watts: 20 }, { atMs: 300, watts: 20 }];
  // 0..100 ms at 10 W, 100..200 at 15 W average, 200..300 and 300..400 at 20 W: 1 + 1.5 + 2 + 2 J.
  assert.ok(Math.abs(integratePower(samples, 0, 400) - 6.5) < 1e-12);
  assert.equal(integratePower([], 0, 1000), 0);
  // Only samples outside the interval (a short run between two samples): interpolated at both ends.
  assert.ok(Math.abs(integratePower([{ atMs: 0, watts: 10 }, { atMs: 1000, watts: 20 }], 250, 750) - 7.5) < 1e-12);
});

test('nvidia-smi and powermetrics lines are parsed; N/A power is skipped', () => {
  assert.deepEqual(parseGpuPowerLine('0, 71.39, 300.00'), { index: 0, powerW: 71.39, limitW: 300 });
  assert.equal(parseGpuPowerLine('0, [N/A], 300.00'), undefined);
  assert.equal(parsePowermetricsLine('CPU Power: 1234 mW'), 1.234);
  assert.equal(parsePowermetricsLine('Intel energy model derived package power (CPUs+GT+SA): 7.52W'), 7.52);
  assert.equal(parsePowermetricsLine('GPU Power: 50 mW'), undefined);
});

test('fake nvidia-smi on PATH: selected for a GPU provider, power of both GPUs integrated', async () => {
  const dir = fakeNvidiaSmiDir();
  try {
    const selection = await selectEnergyMeter('cuda', { searchPath: dir, powercapRoot: path.join(dir, 'none') });
    assert.equal(selection.meter.source, 'nvml');
    assert.ok(selection.meter instanceof NvidiaSmiMeter);
    const meter: EnergyMeter = selection.meter;
    await meter.prepare?.();
    await new Promise((r) => setTimeout(r, 300));
    await meter.start();
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 600));
    const wallS = (Date.now() - started) / 1000;
    const reading = await meter.stop({ wallS, cpuTimeS: 0, inferences: 1 });
    const expected = 75 * wallS;
    assert.ok(Math.abs(reading.joules - expected) < 0.2 * expected, `${reading.joules} J for ~${expected} J`);
    assert.deepEqual(reading.domains.map((d) => d.name), ['gpu0', 'gpu1']);
    const [gpu0, gpu1] = reading.domains;
    assert.ok(Math.abs((gpu0?.joules ?? 0) / (gpu1?.joules ?? 1) - 2) < 0.05);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CPU provider without counters: estimate, with the reasons better meters were not used', async () => {
  const selection = await selectEnergyMeter('cpu', { powercapRoot: path.join(os.tmpdir(), 'joule-none'), platform: 'linux', searchPath: '' });
  assert.equal(selection.meter.source, 'estimate');
  assert.equal(selection.meter.kind, 'estimated');
  assert.ok(selection.notes.some((n) => n.startsWith('rapl:')));
  assert.ok(selection.notes.some((n) => n.startsWith('powermetrics:')));
});

test('a GPU provider without nvidia-smi falls back to CPU meters and says why', async () => {
  const selection = await selectEnergyMeter('cuda', { searchPath: '', powercapRoot: path.join(os.tmpdir(), 'joule-none'), platform: 'linux' });
  assert.equal(selection.meter.source, 'estimate');
  assert.ok(selection.notes.some((n) => /nvidia-smi is not on PATH/.test(n)));
});

test('RAPL tree present: chosen for the CPU provider', async () => {
  const tree = makePowercapTree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 5 }]);
  try {
    const selection = await selectEnergyMeter('cpu', { powercapRoot: tree.root });
    assert.equal(selection.meter.source, 'rapl');
    assert.equal(selection.meter.kind, 'measured');
  } finally {
    tree.cleanup();
  }
});

test('macOS without root: powermetrics is refused with a reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-pm-'));
  try {
    fs.writeFileSync(path.join(dir, 'powermetrics'), '#!/bin/sh\n', { mode: 0o755 });
    const selection = await selectEnergyMeter('cpu', { platform: 'darwin', isRoot: false, searchPath: dir, powercapRoot: path.join(dir, 'x') });
    assert.equal(selection.meter.source, 'estimate');
    assert.ok(selection.notes.some((n) => /needs root/.test(n)));
    const asRoot = await selectEnergyMeter('cpu', { platform: 'darwin', isRoot: true, searchPath: dir, powercapRoot: path.join(dir, 'x') });
    assert.equal(asRoot.meter.source, 'powermetrics');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('estimate: max(TDP × load, 0.1 × TDP), 85 W when the TDP is unknown', async () => {
  assert.equal(estimatedCpuPowerW(100, 0.5), 50);
  assert.equal(estimatedCpuPowerW(100, 0.01), 10);
  assert.equal(estimatedCpuPowerW(100, 3), 100);
  // 1 s of CPU over 2 s on 4 cores: load 1/8 of 85 W = 10.625 W (above the 8.5 W floor), for 2 s.
  const reading = await new EstimateMeter(undefined, 4).stop(context);
  assert.ok(Math.abs(reading.joules - 21.25) < 1e-9);
  assert.match(reading.notes.join(' '), /85 W/);
  const known = await new EstimateMeter(28, 4).stop(context);
  assert.ok(Math.abs(known.joules - 2 * 3.5) < 1e-9);
  // Almost idle: 0.1 s of CPU is 0.35 W by load, below the 2.8 W floor.
  const idle = await new EstimateMeter(28, 4).stop({ ...context, cpuTimeS: 0.1 });
  assert.ok(Math.abs(idle.joules - 2 * 2.8) < 1e-9);
});
