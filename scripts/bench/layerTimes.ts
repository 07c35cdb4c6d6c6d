/**
 * Estimated vs measured time per layer on this CPU (issue 12, item 6). The project's example models
 * (ResNet-18, MobileNetV2, the transformer encoder) are built, timed with onnxruntime's per-node
 * profiler on one thread (src/core/bench maps profiled nodes to layers), and estimated on the
 * `x86-core` profile. Per model it prints, over the layers with MACs that were measured:
 *  - Spearman rank correlation of estimated vs measured kernel time (target >= 0.85),
 *  - median measured/estimated ratio (target 0.67-1.5) and the same over depthwise layers (within 2x).
 * A fused kernel's time (conv + BN + activation) is compared with the estimated time of its whole
 * group, because onnxruntime reports the fused node under the convolution's name.
 * Timings are noisy on a shared machine: ranks and medians are reported, never a single run.
 * Run: npm run compile-tests && node out/scripts/bench/layerTimes.js [iterations]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { costGraph } from '../../src/core/cost/costGraph';
import { estimate } from '../../src/core/energy/estimate';
import { getProfile } from '../../src/core/energy/profileRegistry';
import { runBenchmark } from '../../src/core/bench/runner';
import { timeByLayer } from '../../src/core/bench/profileParser';
import { buildMobileNetV2, buildResNet18, buildTransformerEncoder } from '../../src/core/examples';
import { BufferByteSource } from '../../src/core/io/byteSource';
import { loadModelFromSource } from '../../src/core/formats/loadModel';
import type { OnnxBuilder } from '../../src/core/onnx/builder';
import { median, spearman } from '../../src/core/bench/rankStats';

const ITERATIONS = Number(process.argv[2] ?? 20);
const PROFILE = 'x86-core';

async function measureModel(label: string, builder: OnnxBuilder, dims: Record<string, number>, dir: string): Promise<void> {
  const file = path.join(dir, `${label}.onnx`);
  fs.writeFileSync(file, builder.toBytes());
  const model = loadModelFromSource(new BufferByteSource(fs.readFileSync(file), file), { batch: 1, dims });
  const { layers, unknownOps } = costGraph(model);
  const profile = getProfile(PROFILE)!;
  const analysis = estimate({ model: { path: file, format: 'onnx', params: 0, weightBytes: layers.reduce((s, l) => s + l.bytes.weights, 0) }, layers, unknownOps, warnings: [], dims, batch: 1 }, profile);
  const result = await runBenchmark({
    modelPath: file, iterations: ITERATIONS, warmup: 3, intraOpThreads: 1, interOpThreads: 1, dims, batch: 1,
    profile: true, profileIterations: ITERATIONS, layerNames: layers.map((l) => l.name), workerPath: path.join(__dirname, '../../src/core/bench/worker.js'),
  });
  const measured = timeByLayer(result.layers);
  if (process.env.JOULE_BENCH_DEBUG) for (const l of result.layers.slice(0, 12)) console.log(`  ${l.node} (${l.opType}) -> ${l.layer ?? "?"} ${l.meanMs.toFixed(3)} ms`);
  // Per kernel (fusion group): estimated time of all its members, measured time of whichever member
  // onnxruntime named the fused node after (it names it after the last one, e.g. `.../Relu_out0_nchwc`).
  const kernels = new Map<string, { name: string; cls: string; est: number; meas: number; macs: number }>();
  for (const l of analysis.layers) {
    if (l.kernel === undefined || l.kernel.kernelClass === 'none') continue;
    const k = kernels.get(l.kernel.id) ?? { name: l.kernel.members[0]!, cls: l.kernel.kernelClass, est: 0, meas: 0, macs: 0 };
    k.est += l.latencyS * 1e3;
    k.meas += measured.get(l.name) ?? 0;
    k.macs += l.macs;
    kernels.set(l.kernel.id, k);
  }
  const rows = [...kernels.values()].filter((k) => k.macs > 0 && k.meas > 0);
  const ratios = rows.map((r) => r.meas / r.est);
  if (process.env.JOULE_BENCH_DEBUG) for (const r of rows) console.log(`  ${r.name} ${r.cls} est ${r.est.toFixed(3)} meas ${r.meas.toFixed(3)} ms`);
  const dw = rows.filter((r) => r.cls === 'depthwise').map((r) => r.meas / r.est);
  const rho = spearman(rows.map((r) => r.est), rows.map((r) => r.meas));
  console.log(`${label.padEnd(14)} MAC kernels ${String(rows.length).padStart(3)}  Spearman ${rho.toFixed(2)}  median measured/estimated ${median(ratios).toFixed(2)}`
    + `  depthwise ${dw.length > 0 ? `${median(dw).toFixed(2)} (n=${dw.length}, range ${Math.min(...dw).toFixed(2)}-${Math.max(...dw).toFixed(2)})` : '-'}`
    + `  total measured ${result.latencyMs.p50.toFixed(2)} ms, estimated ${(analysis.totals.latencyS * 1e3).toFixed(2)} ms`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-layer-times-'));
  console.log(`onnxruntime CPU, 1 thread, ${ITERATIONS} profiled runs; estimates on profile ${PROFILE}; machine: ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)})`);
  try {
    await measureModel('resnet18', buildResNet18(), {}, dir);
    await measureModel('mobilenet-v2', buildMobileNetV2(), {}, dir);
    await measureModel('transformer', buildTransformerEncoder({ layers: 4, hidden: 256 }), { batch: 1, sequence: 128 }, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
