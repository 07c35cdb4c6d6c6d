/**
 * Benchmark: costing time after parsing (target: a 1,000-node model in ≤ 50 ms). Builds models with
 * the project's builder, reads them and infers shapes once (not timed), then times costGraph alone.
 * Run: npm run compile-tests && node out/scripts/bench/cost.js
 */
import { costGraph } from '../../src/core/cost/costGraph';
import { buildResNet50, buildTransformerEncoder } from '../../src/core/examples';
import type { Model } from '../../src/core/graph/ir';
import { BufferByteSource } from '../../src/core/io/byteSource';
import { loadModelFromSource } from '../../src/core/formats/loadModel';
import type { OnnxBuilder } from '../../src/core/onnx/builder';

const TARGET_MS = 50;
const WARMUP = 5;
const RUNS = 30;

function load(name: string, builder: OnnxBuilder, dims: Record<string, number> = {}): Model {
  return loadModelFromSource(new BufferByteSource(builder.toBytes(), name), { batch: 1, dims });
}

function countNodes(model: Model): number {
  let n = 0;
  const visit = (nodes: Model['graph']['nodes']): void => {
    for (const node of nodes) {
      n++;
      for (const a of node.attributes.values()) if (a.type === 'graph') visit(a.value.nodes);
    }
  };
  visit(model.graph.nodes);
  return n;
}

function timeCosting(model: Model): { medianMs: number; p95Ms: number; minMs: number } {
  for (let i = 0; i < WARMUP; i++) costGraph(model);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    costGraph(model);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RUNS / 2)]!, p95Ms: times[Math.ceil(RUNS * 0.95) - 1]!, minMs: times[0]! };
}

function main(): void {
  // 30 encoder layers of 33 nodes each plus embeddings ≈ 1,000 nodes.
  const cases: { label: string; model: Model }[] = [
    { label: 'transformer encoder, 30 layers, seq 128', model: load('transformer-30.onnx', buildTransformerEncoder({ layers: 30, hidden: 64 }), { sequence: 128 }) },
    { label: 'ResNet-50, 224×224', model: load('resnet50.onnx', buildResNet50()) },
  ];
  let failed = false;
  console.log('cost bench: costGraph time after parsing and shape inference');
  for (const { label, model } of cases) {
    const nodes = countNodes(model);
    const t = timeCosting(model);
    const perThousand = (t.medianMs * 1000) / nodes;
    const ok = perThousand <= TARGET_MS;
    failed ||= !ok;
    console.log(`  ${label}: ${nodes} nodes, median ${t.medianMs.toFixed(2)} ms (min ${t.minMs.toFixed(2)}, p95 ${t.p95Ms.toFixed(2)}), `
      + `${perThousand.toFixed(2)} ms per 1,000 nodes: ${ok ? 'within' : 'OVER'} the ${TARGET_MS} ms target`);
  }
  if (failed) process.exitCode = 1;
}

main();
