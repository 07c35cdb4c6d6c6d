/**
 * int8 static against onnxruntime's quantize_static: builds ResNet-18 and MobileNetV2 (torchvision
 * layouts, the project's builder), writes one set of calibration inputs as .npy, quantizes with Joule
 * and with onnxruntime's tool (Python, `scripts/bench/ort_quantize_static.py`, per-channel, QDQ,
 * MinMax) on those same inputs, then measures in onnxruntime-node (CPU, 1 intra-op thread) the
 * latency of fp32 / Joule / onnxruntime interleaved round by round (medians), the cosine and top-1
 * agreement of each against fp32 on 8 held-out inputs, and each tool's quantization time (Joule's
 * without its verification). Python onnxruntime is a benchmark-only dependency
 * (`pip install onnxruntime onnx numpy`); without it the script says so and exits 0.
 * Run: `npm run compile-tests && node out/scripts/bench/transformVsOrt.js [--quick]`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildMobileNetV2, buildResNet18 } from '../../src/core/examples';
import { openModel } from '../../src/core/transform/io/openModel';
import { runTransformInProcess } from '../../src/core/transform/job';
import { AgreementAccumulator } from '../../src/core/transform/verify/compare';
import { type Feeds, generateFeeds, inputSpecs } from '../../src/core/transform/verify/feeds';
import { OrtSession } from '../../src/core/transform/verify/ortRunner';

const PY = process.env.PYTHON ?? 'python3';
const helper = path.join(__dirname, '..', '..', '..', 'scripts', 'bench', 'ort_quantize_static.py');

function npy(dims: readonly number[], values: readonly number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.from(values).buffer)]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function agreement(reference: OrtSession, candidate: OrtSession, feeds: readonly Feeds[]): Promise<{ cosine: number; top1?: number }> {
  const acc = new AgreementAccumulator();
  for (const f of feeds) {
    const a = await reference.run(f);
    const b = await candidate.run(f);
    acc.add(a.values, b.values, a.dims);
  }
  const r = acc.result();
  return { cosine: r.cosine, ...(r.top1Agreement !== undefined ? { top1: r.top1Agreement } : {}) };
}

async function compare(name: string, file: string, dir: string, rounds: number): Promise<string> {
  const opened = openModel(file);
  const inputs = inputSpecs(opened.working());
  opened.close();
  const calib = path.join(dir, `${name}-calib`);
  fs.mkdirSync(calib);
  for (let i = 0; i < 16; i++) {
    const f = generateFeeds(inputs, 1000 + i)[inputs[0]!.name]!;
    fs.writeFileSync(path.join(calib, `sample_${String(i).padStart(2, '0')}.npy`), npy(f.dims, f.values));
  }
  const ours = await runTransformInProcess({
    model: file, out: path.join(dir, `${name}.joule-int8.onnx`),
    transform: { op: 'quantize', mode: 'int8-static', calibration: { data: calib, method: 'minmax' } },
    verification: { samples: 8, latencyRuns: 0 },
  });
  const ortOut = path.join(dir, `${name}.ort-int8.onnx`);
  const py = spawnSync(PY, [helper, file, ortOut, calib, inputs[0]!.name], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`onnxruntime quantize_static failed: ${py.stderr.split('\n').slice(-3).join(' ')}`);
  const ortTime = JSON.parse(py.stdout.trim().split('\n').pop()!) as { seconds: number; version: string };

  const sessions = [await OrtSession.open(file, 'fp32'), await OrtSession.open(ours.output, 'joule'), await OrtSession.open(ortOut, 'ort')];
  const probe = generateFeeds(inputs, 0);
  const times: number[][] = [[], [], []];
  for (let r = 0; r < rounds; r++) {
    // Interleaved A/B/C rounds: load changes on the shared machine hit all three alike.
    for (let s = 0; s < 3; s++) times[s]!.push(await sessions[s]!.latencyMs(probe, 5, r === 0 ? 3 : 1));
  }
  const held = Array.from({ length: 8 }, (_, i) => generateFeeds(inputs, i));
  const jouleAgree = await agreement(sessions[0]!, sessions[1]!, held);
  const ortAgree = await agreement(sessions[0]!, sessions[2]!, held);
  for (const s of sessions) await s.release();
  const [fp32, joule, ort] = times.map(median) as [number, number, number];
  const pct = (x?: number): string => (x === undefined ? '—' : `${(x * 100).toFixed(0)}%`);
  const t = ours.timingsMs!;
  return [
    `| ${name} | Joule int8-static | ${joule.toFixed(2)} | ${(fp32 / joule).toFixed(2)}× | ${(joule / ort).toFixed(2)}× | ${jouleAgree.cosine.toFixed(5)} | ${pct(jouleAgree.top1)} | ${(t.transform / 1e3).toFixed(1)} s (verify ${(t.verify / 1e3).toFixed(1)} s) |`,
    `| ${name} | onnxruntime ${ortTime.version} quantize_static | ${ort.toFixed(2)} | ${(fp32 / ort).toFixed(2)}× | 1.00× | ${ortAgree.cosine.toFixed(5)} | ${pct(ortAgree.top1)} | ${ortTime.seconds.toFixed(1)} s |`,
    `| ${name} | fp32 | ${fp32.toFixed(2)} | 1.00× | — | — | — | — |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const check = spawnSync(PY, ['-c', 'import onnxruntime.quantization, onnx, numpy'], { encoding: 'utf8' });
  if (check.status !== 0) {
    console.log('Python onnxruntime is not available (pip install onnxruntime onnx numpy): the comparison with quantize_static is skipped.');
    return;
  }
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 5 : 15;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-vs-ort-'));
  try {
    const models: [string, string][] = [['resnet18', path.join(dir, 'resnet18.onnx')], ['mobilenet_v2', path.join(dir, 'mobilenet_v2.onnx')]];
    buildResNet18({ batch: 1 }).save(models[0]![1]);
    buildMobileNetV2({ batch: 1 }).save(models[1]![1]);
    console.log(`int8 static vs onnxruntime quantize_static on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}), onnxruntime-node CPU, 1 intra-op thread; latency: median of ${rounds} interleaved rounds × 5 runs (measured); cosine/top-1 agreement vs fp32 on 8 generated inputs (agreement, not accuracy)`);
    console.log('');
    console.log('| model | variant | latency ms | speed-up vs fp32 | vs onnxruntime | cosine vs fp32 | top-1 agreement | quantization time |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, file] of models) console.log(await compare(name, file, dir, rounds));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
