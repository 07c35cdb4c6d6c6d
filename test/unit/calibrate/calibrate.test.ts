import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { createCalibrateCommand } from '../../../src/cli/commands/calibrate';
import { calibrateMachine, readCacheSizes } from '../../../src/core/calibrate/calibrate';
import { validateProfile } from '../../../src/core/energy/profileSchema';
import { loadUserProfiles } from '../../../src/core/energy/profileRegistry';
import { Options, parseArgs } from '../../../src/cli/args';
import { nodeServices } from '../../../src/cli/nodeServices';
import { buildSmallCnn } from '../../../src/core/examples';
import { captureIo } from '../cli/fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-calibrate-test-'));
const workerPath = path.resolve(__dirname, '../../../src/core/bench/worker.js');

test('cache sizes come from sysfs: per-core L2 and the last level, instruction caches left out', () => {
  const root = path.join(dir, 'sys');
  const index = (i: number, level: number, type: string, size: string): void => {
    const d = path.join(root, 'cpu0', 'cache', `index${i}`);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'level'), `${level}\n`);
    fs.writeFileSync(path.join(d, 'type'), `${type}\n`);
    fs.writeFileSync(path.join(d, 'size'), `${size}\n`);
  };
  index(0, 1, 'Data', '32K');
  index(1, 1, 'Instruction', '64K');
  index(2, 2, 'Unified', '512K');
  index(3, 3, 'Unified', '32768K');
  assert.deepEqual(readCacheSizes(root), { coreBytes: 512 * 1024, lastLevelBytes: 32 * 1024 ** 2, source: 'sysfs' });
  assert.equal(readCacheSizes(path.join(dir, 'nowhere')).source, 'default');
});

test('joule calibrate measures every probe in the isolated runner and writes a valid this-machine profile that analyses use', async (t) => {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Small probes keep the test quick; the command is the real one, with the real runner.
  const command = createCalibrateCommand((options, progress, signal) => calibrateMachine({ ...options, scale: 0.1, iterations: 3, workerPath }, progress, signal));
  const io = captureIo(dir);
  const code = await command.run({ options: new Options(parseArgs(['--threads', '1'], command.options)), io, services: nodeServices() });
  assert.equal(code, 0, io.err);
  // Three interleaved passes over the ten probes; each probe keeps its fastest.
  assert.match(io.err, /calibrate: 1\/30 fp32 GEMM/);
  assert.match(io.err, /calibrate: 11\/30 fp32 GEMM/);
  assert.match(io.out, /Wrote .*this-machine\.json/);
  const file = path.join(dir, '.joule', 'profiles', 'this-machine.json');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const check = validateProfile(profile);
  assert.ok(check.ok, check.ok ? '' : check.errors.join('\n'));
  if (!check.ok) return;
  const p = check.profile;
  assert.equal(p.id, 'this-machine');
  assert.match(p.sources['calibration'] ?? '', /^joule calibrate on \d{4}-\d\d-\d\d: onnxruntime 1\.\d+/);
  for (const value of [p.peakOpsPerS.fp32, p.peakOpsPerS.int8, p.vectorOpsPerS, p.perOpOverheadS, ...p.memory.map((m) => m.bandwidthBytesPerS)]) {
    assert.equal(value?.source, 'calibration', JSON.stringify(value));
    assert.ok((value?.value ?? 0) > 0);
  }
  // Without a power counter (none in this container) energy values say where they come from.
  assert.ok(p.energyPerMacPJ.fp32?.approx === true || p.energyPerMacPJ.fp32?.source === 'calibration');
  assert.ok((p.kernelEfficiency?.depthwise?.value ?? 1) < (p.kernelEfficiency?.conv?.value ?? 0), 'depthwise convolutions run far below dense ones');
  assert.deepEqual(loadUserProfiles(path.dirname(file)).errors, []);
  // The profile prices models at once.
  fs.writeFileSync(path.join(dir, 'cnn.onnx'), buildSmallCnn().toBytes());
  const analyzed = captureIo(dir);
  assert.equal(await main(['analyze', path.join(dir, 'cnn.onnx'), '--profile', 'this-machine', '--profiles-dir', path.dirname(file), '--format', 'json'], analyzed), 0, analyzed.err);
  assert.equal((JSON.parse(analyzed.out) as { profile: { id: string } }).profile.id, 'this-machine');
});
