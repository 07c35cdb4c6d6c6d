// Data for the webview preview, made with the project's own pipeline: example models written by
// src/core/examples, analysed by analyzeFile, advised by the advisor, benchmarked by runBenchmark.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { advise } from '../../src/core/advise';
import { weightTotals } from '../../src/core/graph/weights';
import { analyzeFile } from '../../src/core/pipeline/modelFile';
import { runBenchmark } from '../../src/core/bench';
import { costGraph } from '../../src/core/cost/costGraph';
import type { Analysis, LayerAnalysis } from '../../src/core/energy/analysis';
import { powerCapSweep } from '../../src/core/energy/powerCap';
import { getProfile, listProfiles } from '../../src/core/energy/profileRegistry';
import { exampleModelBytes } from '../../src/core/examples';
import { loadModel } from '../../src/core/formats/loadModel';
import type { AdviceView, BenchView, HostToWebview, ModelSummaryView, ProfileChoice } from '../../src/core/protocol';
import { hotspotIndices } from '../../src/core/report/hotspots';
import { layerGraph, type LayerGraph } from '../../src/core/report/layerGraph';
import { buildTransformerEncoder } from '../../src/core/examples';
import { toBenchView } from '../../src/extension/benchView';

export type AnalysisMessage = Extract<HostToWebview, { type: 'analysis' }>;

/** What the stubbed host answers: the first message after `ready`, and one per picked profile. */
export interface PageData {
  readonly initial: HostToWebview;
  /** Sent right after `initial` (a benchmark's measured overlay). */
  readonly followUps?: readonly HostToWebview[];
  readonly byProfile?: Readonly<Record<string, HostToWebview>>;
}

export const HOSTILE_NAMES = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>'] as const;

export function writeExample(dir: string, id: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id}.onnx`);
  fs.writeFileSync(file, exampleModelBytes(id));
  return file;
}

export function profileChoices(): ProfileChoice[] {
  return listProfiles().map((p) => ({ id: p.id, name: p.name, kind: p.kind }));
}

/** The advisor's per-layer recommendations, shaped as the report shows them. */
export function adviceFor(file: string, profileId: string): AdviceView[] {
  const profile = getProfile(profileId);
  if (!profile) throw new Error(`no profile ${profileId}`);
  const model = loadModel(file, { dims: {}, batch: 1 });
  const { layers, unknownOps } = costGraph(model);
  const { params, weightBytes } = weightTotals(model);
  const advice = advise({ model: { path: file, format: model.format, params, weightBytes }, layers, unknownOps, warnings: [], dims: {}, batch: 1 }, profile);
  return advice.recommendations.map((r) => ({ layer: r.layer, action: r.action, title: r.title, reason: r.reason, savingJ: r.savingJ, savingShare: r.savingShare }));
}

/** The report's messages for a model on every shipped profile (the picker switches between them). */
export function reportData(file: string, profileIds: readonly string[]): PageData {
  const profiles = profileChoices();
  const byProfile: Record<string, AnalysisMessage> = {};
  const graph = graphOf(file);
  for (const id of profileIds) {
    const analysis = analyzeFile(file, { profileId: id });
    byProfile[id] = { type: 'analysis', analysis, profiles, advice: adviceFor(file, id), hotspots: hotspotIndices(analysis), graph };
  }
  return { initial: byProfile[profileIds[0]!]!, byProfile };
}

/** The layer edges the analysis worker sends with an analysis. */
export function graphOf(file: string): LayerGraph {
  return layerGraph(costGraph(loadModel(file, { dims: {}, batch: 1 })).layers);
}

/**
 * A real transformer encoder of about 1,000 layers (30 blocks) with its graph, and the measured
 * overlay of a real benchmark of it (onnxruntime-node on the CPU, per-node profile), as the host
 * sends them after a run.
 */
export async function graphReport(dir: string, workerPath: string): Promise<PageData> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'transformer-1k.onnx');
  buildTransformerEncoder({ hidden: 64, heads: 4, layers: 30, ffn: 128, vocab: 1000, maxPositions: 64, batch: 1, sequence: 32 }).save(file);
  const analysis = analyzeFile(file, {});
  const message: AnalysisMessage = { type: 'analysis', analysis, profiles: profileChoices(), advice: [], hotspots: hotspotIndices(analysis), graph: graphOf(file) };
  const result = await runBenchmark({ modelPath: file, iterations: 10, warmup: 2, intraOpThreads: 1, workerPath, timeoutS: 120 });
  const view = toBenchView(result, { analysis });
  return { initial: message, followUps: [{ type: 'measured', measured: { label: view.label, energy: view.energy, layers: view.layers } }] };
}

/** A synthetic report with `count` layers: the real model's layers repeated under distinct names. */
export function largeReport(base: AnalysisMessage, count: number): PageData {
  const src = base.analysis.layers;
  const layers: LayerAnalysis[] = Array.from({ length: count }, (_, i) => {
    const l = src[i % src.length]!;
    return { ...l, name: `/block${Math.floor(i / src.length)}${l.name}`, energyShare: l.energyShare / Math.ceil(count / src.length) };
  });
  const analysis: Analysis = { ...base.analysis, layers, warnings: [...base.analysis.warnings, `Synthetic: ${src.length} real layers repeated to ${count}.`] };
  // Each repeat of the model gets the model's edges; block b's first layer reads block b-1's last.
  const edges = [];
  for (let start = 0; start < count; start += src.length) {
    for (const e of base.graph?.edges ?? []) if (start + e.to < count) edges.push({ ...e, from: start + e.from, to: start + e.to });
    if (start > 0) edges.push({ from: start - 1, to: start, bytes: 0, tensor: `block${start / src.length}` });
  }
  return { initial: { ...base, analysis, advice: [], hotspots: hotspotIndices(analysis), graph: { edges } } };
}

/**
 * The CNN's report with hand-made fused kernels (each Conv with the BatchNormalization and Relu
 * after it), in the shape the estimator's execution model writes LayerAnalysis.kernel: the graph
 * draws each group as one box.
 */
export function fusedReport(base: AnalysisMessage): PageData {
  const src = base.analysis.layers;
  const groupOf: number[] = [];
  src.forEach((l, i) => {
    const prev = src[i - 1];
    const joins = i > 0 && (l.opType === 'BatchNormalization' || l.opType === 'Relu') && ['Conv', 'BatchNormalization'].includes(prev!.opType) && src[groupOf[i - 1]!]!.opType === 'Conv';
    groupOf.push(joins ? groupOf[i - 1]! : i);
  });
  const layers = src.map((l, i) => {
    const g = groupOf[i]!;
    const members = src.filter((_, k) => groupOf[k] === g).map((m) => m.name);
    const kernelClass = src[g]!.opType === 'Conv' ? 'conv' : l.opType === 'Gemm' ? 'gemm' : 'elementwise';
    return { ...l, kernel: { id: `k${g}`, kernelClass, members } };
  });
  return { initial: { ...base, analysis: { ...base.analysis, layers } } };
}

/** A report whose layer names, op type and warnings are markup: they must show as text. */
export function hostileReport(base: AnalysisMessage): PageData {
  const layers = base.analysis.layers.map((l, i) => (i < HOSTILE_NAMES.length ? { ...l, name: HOSTILE_NAMES[i]!, opType: i === 0 ? HOSTILE_NAMES[1] : l.opType } : l));
  const analysis: Analysis = { ...base.analysis, layers, warnings: [...base.analysis.warnings, ...HOSTILE_NAMES] };
  const advice = HOSTILE_NAMES.map((name) => ({ layer: name, action: 'quantize-int8', title: name, reason: name, savingJ: 1e-6, savingShare: 0.01 }));
  return { initial: { ...base, analysis, advice, hotspots: hotspotIndices(analysis) } };
}

export function summaryData(reports: readonly { file: string; message: AnalysisMessage }[], hostile: boolean): PageData {
  const models: ModelSummaryView[] = reports.map(({ file, message }) => ({
    path: file,
    label: path.basename(file),
    energyJ: message.analysis.totals.energy.totalJ,
    profileId: message.analysis.profile.id,
    hotspots: hotspotIndices(message.analysis).map((i) => ({ name: message.analysis.layers[i]!.name, share: message.analysis.layers[i]!.energyShare })),
  }));
  models.push({ path: '/tmp/broken.onnx', label: 'broken.onnx', error: 'Not an ONNX model: protobuf field 1 has wire type 7', hotspots: [] });
  if (hostile) models.push({ path: HOSTILE_NAMES[0], label: HOSTILE_NAMES[1], energyJ: 1e-3, hotspots: [{ name: HOSTILE_NAMES[0], share: 0.5 }] });
  return { initial: { type: 'summary', models, profileId: reports[0]?.message.analysis.profile.id ?? '' } };
}

/** A real benchmark (onnxruntime-node on the CPU, few iterations) mapped the way the panel gets it. */
export async function benchData(file: string, analysis: Analysis, workerPath: string): Promise<PageData> {
  const options = { modelPath: file, iterations: 30, warmup: 3, intraOpThreads: 1, workerPath, timeoutS: 120 };
  const first = await runBenchmark(options);
  const second = await runBenchmark({ ...options, iterations: 15 });
  const profile = getProfile(analysis.profile.id);
  const view: BenchView = toBenchView(first, {
    analysis,
    modelledCaps: profile ? powerCapSweep(analysis, profile, { steps: 6 }) : [],
    variants: [
      { run: { file: 'a.json', date: first.protocol.date, model: file, label: 'original (run 1)', p50Ms: first.latencyMs.p50, provider: 'cpu', energySource: first.energy.source }, result: first },
      { run: { file: 'b.json', date: second.protocol.date, model: file, label: 'original (run 2)', p50Ms: second.latencyMs.p50, provider: 'cpu', energySource: second.energy.source }, result: second },
    ],
  });
  return { initial: { type: 'bench', bench: view } };
}
