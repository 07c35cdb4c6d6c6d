/**
 * Transform benchmark: builds a transformer encoder and CNNs with the project's example builders,
 * runs every transform with onnxruntime verification, and prints a Markdown table (the numbers in
 * docs/transforms.md). Standalone: `npx tsc -p tsconfig.json --noEmit false && node out/scripts/bench/transform.js [--quick | --cnn]`
 * (`--cnn`: only the ResNet-18 and MobileNetV2 rows). The last column is the measured time of the
 * transform itself and, apart, of its verification.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildMobileNetV2, buildResNet18, buildSmallCnn, buildTransformerEncoder } from '../../src/core/examples';
import { runTransformInProcess } from '../../src/core/transform/job';
import type { PruneSpec, QuantizeSpec, TransformResult } from '../../src/core/transform/types';

interface Case {
  readonly model: string;
  readonly transform: QuantizeSpec | PruneSpec;
}

function fmt(n: number | undefined, digits = 3): string {
  return n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

function row(model: string, r: TransformResult): string {
  const v = r.verification;
  const latency = v.latencyMs ? `${fmt(v.latencyMs.before, 2)} → ${fmt(v.latencyMs.after, 2)} (${v.latencyMs.speedup >= 1 ? `${fmt(v.latencyMs.speedup, 2)}× faster` : `${fmt(1 / v.latencyMs.speedup, 2)}× slower`})` : '—';
  const energy = v.energyJ ? `${(v.energyJ.before * 1e3).toFixed(3)} → ${(v.energyJ.after * 1e3).toFixed(3)}` : '—';
  const t = r.timingsMs ? `${(r.timingsMs.transform / 1e3).toFixed(1)} s / ${(r.timingsMs.verify / 1e3).toFixed(1)} s` : '—';
  return `| ${model} | ${r.label} | ${fmt(v.fileBytes.ratio)} | ${fmt(v.cosine, 5)} | ${v.maxAbsError.toExponential(2)} | ${v.top1Agreement === undefined ? '—' : `${(v.top1Agreement * 100).toFixed(0)}%`} | ${v.macs ? fmt(v.macs.ratio) : '—'} | ${latency} | ${energy} | ${t} |`;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const cnnOnly = process.argv.includes('--cnn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-transform-'));
  const transformer = path.join(dir, 'transformer.onnx');
  buildTransformerEncoder({ hidden: 256, heads: 4, layers: 4, ffn: 1024, vocab: 2000, maxPositions: 128, batch: 1, sequence: 64 }).save(transformer);
  const cnn = path.join(dir, 'cnn.onnx');
  buildSmallCnn({ imageSize: 64, batch: 1 }).save(cnn);
  const mobilenet = path.join(dir, 'mobilenet_v2.onnx');
  if (!quick) buildMobileNetV2({ batch: 1 }).save(mobilenet);
  const resnet = path.join(dir, 'resnet18.onnx');
  if (!quick) buildResNet18({ batch: 1 }).save(resnet);
  const cnnCases: Case[] = quick ? [] : [
    { model: mobilenet, transform: { op: 'quantize', mode: 'int8-dynamic' } },
    { model: mobilenet, transform: { op: 'quantize', mode: 'int8-static', calibration: { method: 'minmax', samples: 16 } } },
    { model: mobilenet, transform: { op: 'prune', mode: 'structured', ratio: 0.3 } },
    { model: resnet, transform: { op: 'quantize', mode: 'int8-static', calibration: { method: 'minmax', samples: 16 } } },
    { model: resnet, transform: { op: 'prune', mode: 'structured', ratio: 0.3 } },
  ];
  const cases: Case[] = cnnOnly ? cnnCases : [
    { model: transformer, transform: { op: 'quantize', mode: 'int8-dynamic' } },
    { model: transformer, transform: { op: 'quantize', mode: 'int8-static', calibration: { method: 'percentile', samples: 8 } } },
    { model: transformer, transform: { op: 'quantize', mode: 'fp16' } },
    { model: transformer, transform: { op: 'quantize', mode: 'int4', blockSize: 32 } },
    { model: transformer, transform: { op: 'prune', mode: 'structured', ratio: 0.3 } },
    { model: transformer, transform: { op: 'prune', mode: '2:4' } },
    { model: cnn, transform: { op: 'quantize', mode: 'int8-dynamic' } },
    { model: cnn, transform: { op: 'quantize', mode: 'int8-static', calibration: { method: 'minmax', samples: 16 } } },
    { model: cnn, transform: { op: 'quantize', mode: 'int8-static', calibration: { method: 'percentile', samples: 16 } } },
    { model: cnn, transform: { op: 'quantize', mode: 'fp16' } },
    { model: cnn, transform: { op: 'prune', mode: 'structured', ratio: 0.3 } },
    { model: cnn, transform: { op: 'prune', mode: 'magnitude', ratio: 0.5 } },
    ...cnnCases,
  ];
  console.log(`Transform benchmark on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), onnxruntime-node CPU, 1 intra-op thread, median of ${quick ? 12 : 60} runs, load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log('');
  console.log('| model | transform | file ratio | cosine | max abs err | top-1 agreement | MAC ratio | latency ms (measured) | energy mJ (est.) | transform / verify time (measured) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const name = path.basename(c.model, '.onnx');
    try {
      const r = await runTransformInProcess({ model: c.model, transform: c.transform, verification: { samples: 8, latencyRuns: quick ? 12 : 60 } });
      console.log(row(name, r));
      const skipped = r.decisions.filter((d) => d.action === 'skipped');
      if (skipped.length > 0 && c.transform.op === 'prune') {
        const reasons = new Map<string, number>();
        // Group by reason with node and tensor names blanked, so 17 depthwise convs read as one line.
        for (const d of skipped) {
          const reason = (d.reason ?? '').replace(/\S*[/.]\S*|\([^)]*\)/g, '…');
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        console.error(`  ${name} ${r.label}: skipped ${skipped.length}: ${[...reasons].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
      }
      fs.rmSync(r.output, { force: true });
    } catch (e) {
      console.log(`| ${name} | ${c.transform.op} ${c.transform.mode} | failed: ${e instanceof Error ? e.message : String(e)} |||||||`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
