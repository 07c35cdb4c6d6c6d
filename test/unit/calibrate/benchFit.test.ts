import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Options, parseArgs } from '../../../src/cli/args';
import { createBenchCommand } from '../../../src/cli/commands/bench';
import { nodeServices } from '../../../src/cli/nodeServices';
import { runBenchmark } from '../../../src/core/bench/runner';
import type { BenchFitReport } from '../../../src/core/calibrate/benchFit';
import { saveCalibratedProfile } from '../../../src/core/calibrate/calibratedProfile';
import { getProfile, loadUserProfiles } from '../../../src/core/energy/profileRegistry';
import type { HardwareProfile } from '../../../src/core/energy/profileSchema';
import { buildSmallCnn } from '../../../src/core/examples';
import { captureIo } from '../cli/fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-fit-'));
const profilesDir = path.join(dir, '.joule', 'profiles');
const workerPath = path.resolve(__dirname, '../../../src/core/bench/worker.js');

/**
 * A this-machine profile shaped as calibration writes it, with its convolutions deliberately 20x too
 * slow and its per-operator overhead 10x too large: the fit must find its way back from there.
 */
function miscalibrated(): HardwareProfile {
  const base = getProfile('x86-core')!;
  const c = (value: number, note: string) => ({ value, source: 'calibration', note });
  return {
    ...base,
    id: 'this-machine',
    name: 'This machine (test)',
    peakOpsPerS: { fp32: c(base.peakOpsPerS.fp32!.value, 'test'), int8: c((base.peakOpsPerS.int8 ?? base.peakOpsPerS.fp32!).value, 'test') },
    efficiency: { compute: c(1, 'test'), memory: c(1, 'test') },
    kernelEfficiency: { conv: c(0.04, 'wrong on purpose'), depthwise: c(0.1, 'test'), convInteger: c(0.25, 'test') },
    perOpOverheadS: c(base.perOpOverheadS.value * 10, 'wrong on purpose'),
    sources: { ...base.sources, calibration: 'test calibration' },
  };
}

async function bench(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const real: typeof runBenchmark = (options, progress, signal) =>
    runBenchmark({ ...options, workerPath, energy: { ...options.energy, powercapRoot: path.join(dir, 'none'), searchPath: '' } }, progress, signal);
  const command = createBenchCommand(real, { cpuRoot: path.join(dir, 'no-cpu'), searchPath: '' });
  const io = captureIo(dir);
  const code = await command.run({ options: new Options(parseArgs(argv, command.options)), io, services: nodeServices() });
  return { code, out: io.out, err: io.err };
}

test('bench --fit refines this-machine from a real run: lower error after, fit error recorded, profile still valid', async (t) => {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'cnn.onnx'), buildSmallCnn().toBytes());
  saveCalibratedProfile(profilesDir, miscalibrated());

  const refused = await bench('cnn.onnx', '--profile', 'laptop-x86', '--fit', '--iterations', '3', '--warmup', '1', '--threads', '1');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--fit refines this machine's calibrated profile, but this benchmark was estimated on 'laptop-x86'/);

  const r = await bench('cnn.onnx', '--fit', '--iterations', '10', '--warmup', '2', '--threads', '1', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const fit = (JSON.parse(r.out) as { fit: BenchFitReport }).fit;
  assert.ok(fit.kernels >= 3, `${fit.kernels} kernels`);
  assert.ok(fit.after.rmsLog < fit.before.rmsLog, `RMS log error ${fit.before.rmsLog} -> ${fit.after.rmsLog}`);
  assert.ok(fit.scales.conv < 1, 'convolutions were estimated too slow: their time scale falls');
  const loaded = loadUserProfiles(profilesDir);
  assert.deepEqual(loaded.errors, []);
  const refined = loaded.profiles.find((p) => p.id === 'this-machine')!;
  assert.equal(refined.fitError?.source, 'fit');
  assert.ok(Math.abs(refined.fitError!.value - fit.after.rmsLog) < 1e-9);
  assert.ok(refined.kernelEfficiency!.conv!.value > 0.04);
  assert.match(refined.sources['fit'] ?? '', /joule bench cnn\.onnx --fit on \d{4}-\d\d-\d\d/);

  // The table form prints the before/after lines and the new band.
  const table = await bench('cnn.onnx', '--fit', '--iterations', '5', '--warmup', '1', '--threads', '1');
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^ {2}before {2}estimated\/measured p50 [\d.]+x .* RMS log error [\d.]+$/m);
  assert.match(table.out, /^ {2}after {3}estimated\/measured p50 [\d.]+x/m);
  assert.match(table.out, /now carry a ±\d+% band/);
});
