/**
 * Benchmark and sanity table for the energy model: ResNet-50 and a 30-layer transformer encoder are
 * built with the project's builder and costed once; then `estimate` and `advise` are timed on every
 * shipped profile, and a per-profile summary is printed (energy split, latency, bound mix).
 * Run: npm run compile-tests && node out/scripts/bench/energy.js
 */
import { advise } from '../../src/core/advise/advise';
import { costGraph } from '../../src/core/cost/costGraph';
import { estimate, type EstimateInput } from '../../src/core/energy/estimate';
import { shippedProfiles } from '../../src/core/energy/profileRegistry';
import { buildResNet50, buildTransformerEncoder } from '../../src/core/examples';
import { BufferByteSource } from '../../src/core/io/byteSource';
import { loadModelFromSource } from '../../src/core/formats/loadModel';
import type { OnnxBuilder } from '../../src/core/onnx/builder';

const RUNS = 20;

function input(name: string, builder: OnnxBuilder, dims: Record<string, number> = {}): EstimateInput {
  const model = loadModelFromSource(new BufferByteSource(builder.toBytes(), name), { batch: 1, dims });
  const { layers, unknownOps } = costGraph(model);
  const params = layers.reduce((s, l) => s + l.params, 0);
  const weightBytes = layers.reduce((s, l) => s + l.bytes.weights, 0);
  return { model: { path: name, format: 'onnx', params, weightBytes }, layers, unknownOps, warnings: [], dims, batch: 1 };
}

function medianMs(fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const fmt = (x: number, digits = 3): string => x.toPrecision(digits);

function main(): void {
  const cases = [
    { label: 'ResNet-50 224x224 fp32', input: input('resnet50.onnx', buildResNet50()) },
    { label: 'transformer encoder 30 layers seq 128', input: input('transformer-30.onnx', buildTransformerEncoder({ layers: 30, hidden: 64 }), { sequence: 128 }) },
  ];
  for (const { label, input: model } of cases) {
    console.log(`\n${label}: ${model.layers.length} layers, ${fmt(model.layers.reduce((s, l) => s + l.macs, 0) / 1e9)} GMAC`);
    console.log('profile            total mJ  compute%  onchip%  offchip%  static%  latency ms  bounds(c/m/o)  estimate ms  advise ms');
    for (const profile of shippedProfiles()) {
      const a = estimate(model, profile);
      const e = a.totals.energy;
      const share = (x: number): string => (100 * x / e.totalJ).toFixed(1).padStart(7);
      const bounds = ['compute', 'memory', 'overhead'].map((b) => a.layers.filter((l) => l.bound === b).length).join('/');
      // A fresh layer list per run: costModel caches the last costing of a list (estimate.ts), and the
      // benchmark times the costing itself, as a new analysis of the model pays it.
      const fresh = (): EstimateInput => ({ ...model, layers: [...model.layers] });
      const tEstimate = medianMs(() => estimate(fresh(), profile));
      const tAdvise = medianMs(() => advise(fresh(), profile));
      console.log(`${profile.id.padEnd(18)} ${fmt(e.totalJ * 1e3).padStart(9)} ${share(e.computeJ)}  ${share(e.onChipJ)}  ${share(e.offChipJ)}  ${share(e.staticJ)}  ${fmt(a.totals.latencyS * 1e3).padStart(10)}  ${bounds.padStart(13)}  ${tEstimate.toFixed(2).padStart(11)}  ${tAdvise.toFixed(2).padStart(9)}`);
    }
  }
}

main();
