/**
 * Graph view layout benchmark (issue 18 target: 10,000 nodes laid out in under 2 s, in the page's
 * Web Worker). Builds a transformer encoder with the project's builder, deep enough for about
 * 1,000 and 10,000 layers, analyses it, and times the steps the Graph view runs: the layer edges
 * (analysis worker), the display graph and the layout (the page's layout worker runs the same
 * layoutGraph). Prints a Markdown table; the numbers are recorded in docs/webview.md.
 * Run: npm run compile-tests && node out/scripts/bench/graphLayout.js [--rounds N]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { estimatePrepared, prepareEstimate } from '../../src/core/pipeline/modelFile';
import { buildTransformerEncoder } from '../../src/core/examples';
import { layerGraph } from '../../src/core/report/layerGraph';
import { buildGraphModel } from '../../webview/lib/graphModel';
import { layoutGraph } from '../../webview/lib/graphLayout';
import { NODE_HEIGHT, NODE_WIDTH } from '../../webview/lib/graphGeometry';

const at = process.argv.indexOf('--rounds');
const ROUNDS = at >= 0 ? Math.max(1, Number(process.argv[at + 1]) || 3) : 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-bench-graph-'));
console.log('| layers | edges | layer edges (ms) | display graph (ms) | layout, median of rounds (ms) | ranks | width × height (px) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const layers of [30, 303]) {
  const file = path.join(dir, `transformer-${layers}.onnx`);
  buildTransformerEncoder({ hidden: 64, heads: 4, layers, ffn: 128, vocab: 1000, maxPositions: 64, batch: 1, sequence: 32 }).save(file);
  const prepared = prepareEstimate(file, {});
  const analysis = estimatePrepared(prepared);
  const [graph, edgeMs] = time(() => layerGraph(prepared.input.layers));
  const [model, modelMs] = time(() => buildGraphModel(analysis.layers, graph));
  const input = {
    nodeCount: model.nodes.length,
    from: Int32Array.from(model.edges, (e) => e.from),
    to: Int32Array.from(model.edges, (e) => e.to),
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
  };
  const runs: number[] = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    const [layout, ms] = time(() => layoutGraph(input));
    runs.push(ms);
    last = layout;
  }
  const ranks = last ? Math.max(...last.rank) + 1 : 0;
  console.log(`| ${model.nodes.length} | ${model.edges.length} | ${edgeMs.toFixed(0)} | ${modelMs.toFixed(0)} | ${median(runs).toFixed(0)} (${runs.map((r) => r.toFixed(0)).join(', ')}) | ${ranks} | ${last?.width.toFixed(0)} × ${last?.height.toFixed(0)} |`);
}
fs.rmSync(dir, { recursive: true, force: true });
