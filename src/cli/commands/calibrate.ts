import * as path from 'node:path';
import { BenchFailure } from '../../core/bench/benchFailure';
import { calibrateMachine, type CalibrationOptions, type CalibrationResult } from '../../core/calibrate/calibrate';
import { CALIBRATED_PROFILE_ID, calibratedProfile, saveCalibratedProfile } from '../../core/calibrate/calibratedProfile';
import { getProfile } from '../../core/energy/profileRegistry';
import type { HardwareProfile } from '../../core/energy/profileSchema';
import { formatBytes, formatCount, formatSeconds } from '../../core/report/units';
import { UsageError } from '../args';
import { EXIT_BENCH_FAILED } from './bench';
import type { CommandDefinition } from './types';

/** Shipped profiles the values calibration cannot measure come from, first found wins. */
const REFERENCE_PROFILES = ['x86-core', 'laptop-x86'];

function rateOf(p: CalibrationResult['probes'][number]): string {
  if (p.macs > 0) return `${formatCount(p.macs / p.medianS)}MAC/s`;
  if (p.bytes > 0) return `${formatBytes(p.bytes / p.medianS)}/s`;
  return `${formatSeconds(p.runS)} per run`;
}

export function renderCalibration(result: CalibrationResult, profile: HardwareProfile, file: string): string {
  const lines = [
    `Calibrated ${result.cpuModel} (${result.logicalCores} logical cores, threads ${result.threads}) with onnxruntime ${result.onnxruntime} in ${result.durationS.toFixed(0)} s:`,
    ...result.probes.map((p) => `  ${p.what.padEnd(62)} ${(p.medianS * 1000).toFixed(3).padStart(10)} ms  ${rateOf(p)}${p.measuredPowerW === undefined ? '' : `  ${p.measuredPowerW.toFixed(1)} W`}`),
    '',
    `Kernel efficiency relative to the fp32 GEMM: convolution ${profile.kernelEfficiency?.conv?.value.toFixed(2)}, depthwise ${profile.kernelEfficiency?.depthwise?.value.toFixed(3)}; ConvInteger / fp32 convolution ${profile.kernelEfficiency?.convInteger?.value.toFixed(2)}`,
    `Wrote ${file}: use it with --profile ${CALIBRATED_PROFILE_ID} (all measured rates; ${profile.notes ?? ''})`,
  ];
  return `${lines.join('\n')}\n`;
}

export function createCalibrateCommand(calibrate: typeof calibrateMachine = calibrateMachine, calibrationOptions: CalibrationOptions = {}): CommandDefinition {
  return {
    name: 'calibrate',
    summary: 'measure this machine with onnxruntime and write a "this-machine" hardware profile',
    usage: 'calibrate [--threads N] [--profiles-dir DIR] [--format table|json]',
    details:
      'Runs micro-benchmarks in the benchmark\'s isolated process: GEMM and convolution throughput per precision actually executed (fp32 MatMul and Conv, int8 MatMulInteger and ConvInteger, depthwise), ' +
      'elementwise bandwidth with working sets in the core cache, the last-level cache and DRAM, and the fixed cost of one operator; power from RAPL, NVML or powermetrics when readable. ' +
      'Writes DIR/this-machine.json (default .joule/profiles), every value marked measured with the date and method, or taken from a shipped profile and marked approximate when it cannot be measured. ' +
      'Takes under 2 minutes. Use the same --threads as your benchmarks.',
    options: [
      { name: 'threads', kind: 'number', valueName: 'N', description: 'intra-op threads (default: onnxruntime chooses, as joule bench does)' },
      { name: 'profiles-dir', kind: 'string', valueName: 'DIR', description: 'where to write this-machine.json (default .joule/profiles)' },
      { name: 'format', kind: 'string', valueName: 'table|json', description: 'print a table (default) or the profile as JSON' },
    ],
    positionals: [0, 0],
    async run({ options, io }) {
      const format = options.string('format') ?? 'table';
      if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}".`);
      const threads = options.number('threads');
      if (threads !== undefined && !(Number.isSafeInteger(threads) && threads >= 1)) throw new UsageError(`--threads must be a whole number of at least 1, got ${threads}.`);
      const reference = REFERENCE_PROFILES.map((id) => getProfile(id)).find((p) => p !== undefined);
      if (!reference) throw new Error(`no reference profile (${REFERENCE_PROFILES.join(', ')}) is shipped`);
      let result: CalibrationResult;
      try {
        result = await calibrate({ ...calibrationOptions, ...(threads === undefined ? {} : { threads }) }, (done, total, what) => {
          io.stderr(done < total ? `calibrate: ${done + 1}/${total} ${what}\n` : `calibrate: done\n`);
        });
      } catch (e) {
        if (!(e instanceof BenchFailure)) throw e;
        io.stderr(`joule calibrate: ${e.message}\n`);
        return EXIT_BENCH_FAILED;
      }
      const profile = calibratedProfile(result, reference);
      const file = saveCalibratedProfile(path.resolve(io.cwd, options.string('profiles-dir') ?? path.join('.joule', 'profiles')), profile);
      io.stdout(format === 'json' ? `${JSON.stringify(profile, null, 2)}\n` : renderCalibration(result, profile, file));
      return 0;
    },
  };
}

export const calibrateCommand = createCalibrateCommand();
