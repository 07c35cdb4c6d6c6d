/**
 * Calibrate, then benchmark (issue 13): measures this machine with `joule calibrate`'s probes, then
 * runs the project's ResNet-18, MobileNetV2 and transformer through `joule bench`'s runner with the
 * default threads and compares, per model, the estimate on the calibrated `this-machine` profile and
 * on the shipped default profile (what a benchmark showed before) with the measurement:
 *  - whole-model estimated latency / measured p50 (target within 1.3x on this-machine),
 *  - Spearman rank correlation of estimated vs measured time over kernels that run MACs (target >= 0.9),
 *  - convolution kernel time attributed to a layer that is not a convolution (target 0).
 * Rows are onnxruntime kernels mapped to the layers they execute (src/core/bench/kernelMapping.ts).
 * Then it fits this-machine to the ResNet-18 run (`joule bench --fit`, src/core/calibrate/benchFit.ts)
 * and compares all three models again on the fitted profile, against the same runs: ResNet-18 is the
 * fit's own data, MobileNetV2 and the transformer are out of sample.
 * Run: npm run compile-tests && node out/scripts/bench/calibrated.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline/modelFile';
import { resolveProfile } from '../../src/core/pipeline/settings';
import { refineFromBenchmark, renderBenchFit } from '../../src/core/calibrate/benchFit';
import { measuredVsEstimated } from '../../src/core/bench/measuredVsEstimated';
import { runBenchmark } from '../../src/core/bench/runner';
import type { BenchResult } from '../../src/core/bench/types';
import { calibrateMachine } from '../../src/core/calibrate/calibrate';
import { calibratedProfile, saveCalibratedProfile } from '../../src/core/calibrate/calibratedProfile';
import type { Analysis } from '../../src/core/energy/analysis';
import { DEFAULT_PROFILE_ID, getProfile } from '../../src/core/energy/profileRegistry';
import { buildMobileNetV2, buildResNet18, buildTransformerEncoder } from '../../src/core/examples';
import type { OnnxBuilder } from '../../src/core/onnx/builder';
import { median, spearman } from '../../src/core/bench/rankStats';

const workerPath = path.join(__dirname, '../../src/core/bench/worker.js');
const MAC_OPS = new Set(['Conv', 'ConvInteger', 'Gemm', 'MatMul', 'MatMulInteger']);

function compare(label: string, result: BenchResult, analysis: Analysis): string {
  const m = measuredVsEstimated(result, analysis);
  const macs = new Map(analysis.layers.map((l) => [l.name, l.macs]));
  const rows = m.rows.filter((r) => r.measuredMs !== undefined && (r.fusedLayers ?? [r.layer]).some((l) => (macs.get(l) ?? 0) > 0));
  const rho = spearman(rows.map((r) => r.estimatedMs), rows.map((r) => r.measuredMs!));
  const ratio = median(rows.map((r) => r.measuredMs! / Math.max(r.estimatedMs, 1e-12)));
  const whole = (analysis.totals.latencyS * 1000) / result.latencyMs.p50;
  return `  ${label.padEnd(20)} estimated/measured p50 ${whole.toFixed(2)}x  Spearman ${rho.toFixed(2)} over ${rows.length} MAC kernels  median measured/estimated ${ratio.toFixed(2)}`;
}

function misattributedConvShare(result: BenchResult, analysis: Analysis): number {
  const op = new Map(analysis.layers.map((l) => [l.name, l.opType]));
  const conv = result.layers.filter((l) => l.opType === 'Conv' || l.opType === 'FusedConv');
  const total = conv.reduce((s, l) => s + l.meanMs, 0);
  const wrong = conv.filter((l) => l.layer !== undefined && !MAC_OPS.has(op.get(l.layer) ?? '')).reduce((s, l) => s + l.meanMs, 0);
  return total > 0 ? wrong / total : 0;
}

interface Measured { readonly label: string; readonly file: string; readonly dims: Record<string, number>; readonly result: BenchResult; readonly analysis: Analysis }

async function model(label: string, builder: OnnxBuilder, dims: Record<string, number>, dir: string, profilesDir: string): Promise<Measured> {
  const file = path.join(dir, `${label}.onnx`);
  fs.writeFileSync(file, builder.toBytes());
  const calibrated = analyzeFile(file, { profileId: 'this-machine', userProfilesDir: profilesDir, dims, batch: 1 });
  const before = analyzeFile(file, { profileId: DEFAULT_PROFILE_ID, dims, batch: 1 });
  const result = await runBenchmark({ modelPath: file, iterations: 30, warmup: 5, dims, batch: 1, profileIterations: 20, layerNames: calibrated.layers.map((l) => l.name), workerPath });
  console.log(`${label}: measured p50 ${result.latencyMs.p50.toFixed(2)} ms; estimated ${(calibrated.totals.latencyS * 1000).toFixed(2)} ms on this-machine, ${(before.totals.latencyS * 1000).toFixed(2)} ms on ${DEFAULT_PROFILE_ID}; convolution time on a non-MAC layer ${(misattributedConvShare(result, calibrated) * 100).toFixed(1)}%`);
  console.log(compare('this-machine', result, calibrated));
  console.log(compare(DEFAULT_PROFILE_ID, result, before));
  return { label, file, dims, result, analysis: calibrated };
}

/** Fits this-machine to the first run, then compares every run on the fitted profile. */
function fitted(runs: readonly Measured[], profilesDir: string): void {
  const [first] = runs;
  if (!first) return;
  const again = (m: Measured): Analysis => analyzeFile(m.file, { profileId: 'this-machine', userProfilesDir: profilesDir, dims: m.dims, batch: 1 });
  const profile = resolveProfile({ profileId: 'this-machine', userProfilesDir: profilesDir }).profile;
  const report = refineFromBenchmark({ profile, analysis: first.analysis, result: first.result, profilesDir, reanalyze: () => again(first) });
  console.log(`fitted this-machine to the ${first.label} run: ${renderBenchFit(report).split('\n')[0]}`);
  for (const m of runs) console.log(compare(`${m.label} fitted`, m.result, again(m)));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-calibrated-'));
  const profilesDir = path.join(dir, 'profiles');
  try {
    const cal = await calibrateMachine({ workerPath });
    const reference = getProfile('x86-core') ?? getProfile(DEFAULT_PROFILE_ID)!;
    saveCalibratedProfile(profilesDir, calibratedProfile(cal, reference));
    console.log(`calibrated ${cal.cpuModel} (${cal.logicalCores} logical cores, threads ${cal.threads}, load ${os.loadavg()[0]!.toFixed(2)}) in ${cal.durationS.toFixed(1)} s`);
    const runs = [
      await model('resnet18', buildResNet18(), {}, dir, profilesDir),
      await model('mobilenet-v2', buildMobileNetV2(), {}, dir, profilesDir),
      await model('transformer', buildTransformerEncoder({ layers: 4, hidden: 256 }), { batch: 1, sequence: 128 }, dir, profilesDir),
    ];
    fitted(runs, profilesDir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
