/**
 * Benchmark (issue 12, "keep the estimate fast"): `joule analyze vgg16.onnx --format json` on
 * torchvision's VGG-16 built by the project's builder (553 MB of fp32 weights, 15.47 GMACs). Target:
 * under 0.3 s of CPU beyond start-up and under 100 MB peak RSS. Start-up is measured the same way on
 * the small example CNN (a few KB), in runs interleaved with VGG-16's; "beyond start-up" is VGG-16's
 * CPU time minus the median of the small model's. The reader leaves weight bytes on disk, so the
 * file's size should barely show.
 *
 * Run: npm run build && npm run compile-tests && node out/scripts/bench/vgg16.js [--runs 5]
 * Results are kept in docs/benchmarks.md ("Speed of an analysis").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSmallCnn, buildVgg16 } from '../../src/core/examples';
import { CLI, median, runCli, usageProbe, type ChildRun } from './lib/childUsage';

const TARGET_CPU_S = 0.3;
const TARGET_RSS_MB = 100;
const VGG16_MACS = 15.47e9;

const runsArg = process.argv.indexOf('--runs');
const RUNS = Math.max(1, Math.floor(Number(runsArg >= 0 ? process.argv[runsArg + 1] : 5)) || 5);

function main(): number {
  if (!fs.existsSync(CLI)) {
    console.error(`vgg16: ${CLI} is missing; run npm run build first (npm run bench does).`);
    return 1;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-vgg16-'));
  try {
    const vgg16 = path.join(dir, 'vgg16.onnx');
    const small = path.join(dir, 'small-cnn.onnx');
    buildVgg16().save(vgg16);
    buildSmallCnn().save(small);
    console.log(`built ${vgg16}: ${(fs.statSync(vgg16).size / 1024 / 1024).toFixed(0)} MiB`);
    const probe = usageProbe(dir);
    const runs: { small: ChildRun[]; vgg16: ChildRun[] } = { small: [], vgg16: [] };
    for (let round = 0; round < RUNS; round++) {
      runs.small.push(runCli(['analyze', small, '--format', 'json'], path.join(dir, 'small.json'), probe));
      runs.vgg16.push(runCli(['analyze', vgg16, '--format', 'json'], path.join(dir, 'vgg16.json'), probe));
    }
    const failed = [...runs.small, ...runs.vgg16].find((r) => r.exitCode !== 0);
    if (failed) {
      console.error(`vgg16: analyze exited ${failed.exitCode}: ${failed.stderr}`);
      return 1;
    }
    const analysis = JSON.parse(fs.readFileSync(path.join(dir, 'vgg16.json'), 'utf8')) as { totals: { macs: number }; layers: unknown[] };
    const macsOk = Math.abs(analysis.totals.macs - VGG16_MACS) / VGG16_MACS < 0.01;
    const startup = median(runs.small.map((r) => r.cpuSeconds));
    const beyond = runs.vgg16.map((r) => r.cpuSeconds - startup);
    const worst = { cpu: Math.max(...beyond), rss: Math.max(...runs.vgg16.map((r) => r.rssMb)) };
    const list = (xs: readonly number[]): string => xs.map((x) => x.toFixed(3)).join(', ');
    console.log(`start-up (small CNN): CPU ${list(runs.small.map((r) => r.cpuSeconds))} s, median ${startup.toFixed(3)} s; peak RSS median ${median(runs.small.map((r) => r.rssMb)).toFixed(0)} MB`);
    console.log(`vgg16: CPU ${list(runs.vgg16.map((r) => r.cpuSeconds))} s, wall ${list(runs.vgg16.map((r) => r.seconds))} s; peak RSS ${runs.vgg16.map((r) => r.rssMb.toFixed(0)).join(', ')} MB; ${analysis.layers.length} layers, ${(analysis.totals.macs / 1e9).toFixed(2)} GMACs`);
    console.log(`vgg16 beyond start-up: CPU median ${median(beyond).toFixed(3)} s, worst ${worst.cpu.toFixed(3)} s (target < ${TARGET_CPU_S} s); peak RSS worst ${worst.rss.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB): ${worst.cpu < TARGET_CPU_S && worst.rss < TARGET_RSS_MB ? 'met' : 'NOT met'} in every run`);
    return macsOk ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
