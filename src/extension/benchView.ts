import * as path from 'node:path';
import type { RunSummary } from '../core/bench/runStore';
import { measuredVsEstimated } from '../core/bench/measuredVsEstimated';
import { histogram } from '../core/bench/stats';
import type { BenchResult } from '../core/bench/types';
import type { MeasuredCapPoint } from '../core/bench/capSweep';
import type { Analysis } from '../core/energy/analysis';
import type { PowerCapPoint } from '../core/energy/powerCap';
import type { BenchView } from '../core/protocol';

function capLabel(point: MeasuredCapPoint): string {
  const cap = point.cap;
  if (cap.kind === 'threads') return `${cap.threads} thread${cap.threads === 1 ? '' : 's'}`;
  if (cap.kind === 'cpu-frequency') return `${(cap.maxKHz / 1e6).toFixed(2)} GHz`;
  return `${cap.watts} W`;
}

/** The benchmark panel's view of a measured run, with the estimate beside it. */
export function toBenchView(
  result: BenchResult,
  options: {
    analysis?: Analysis;
    modelledCaps?: readonly PowerCapPoint[];
    measuredCaps?: readonly MeasuredCapPoint[];
    variants?: readonly { run: RunSummary; result: BenchResult }[];
  } = {},
): BenchView {
  const h = histogram(result.samplesMs, 20);
  // Profiled nodes mapped back to the analysis' layers; runtime-inserted nodes stay, measured only.
  const layers = options.analysis
    ? (() => {
        const m = measuredVsEstimated(result, options.analysis);
        return [
          ...m.rows.map((r) => ({ name: r.fusedLayers?.join(' + ') ?? r.layer, opType: r.opType, measuredMs: r.measuredMs, estimatedMs: r.estimatedMs })),
          ...m.unmapped.map((u) => ({ name: u.node, opType: u.opType, measuredMs: u.measuredMs })),
        ];
      })()
    : result.layers.map((l) => ({ name: l.fusedLayers?.join(' + ') ?? l.layer ?? l.node, opType: l.opType, measuredMs: l.meanMs }));
  const p = result.protocol;
  return {
    modelPath: result.modelPath,
    label: path.basename(result.modelPath),
    protocol: {
      date: p.date,
      cpu: p.machine.cpuModel,
      cores: p.machine.logicalCores,
      os: p.machine.os,
      onnxruntime: p.runtime.onnxruntime,
      provider: p.runtime.provider,
      intraOpThreads: p.runtime.intraOpThreads ?? 'default',
      iterations: p.iterations,
      warmup: p.warmup,
      inputs: p.inputs.map((i) => `${i.name} ${i.dims.join('×')} (${i.origin})`).join(', '),
    },
    latencyMs: result.latencyMs,
    histogram: h.counts.map((count, i) => ({ fromMs: h.edges[i]!, toMs: h.edges[i + 1]!, count })),
    throughputPerS: result.throughputPerS,
    peakRssBytes: result.peakRssBytes,
    sessionLoadMs: result.loadMs,
    energy: { joulesPerInference: result.energy.joulesPerInference, source: result.energy.source, note: result.energy.notes.join(' ') },
    layers,
    caps: [
      ...(options.measuredCaps ?? []).map((c) => ({ label: capLabel(c), latencyMs: c.latencyP50Ms, energyJ: c.joulesPerInference, measured: c.energyKind === 'measured' })),
      ...(options.modelledCaps ?? []).map((c) => ({ label: `${c.capW.toFixed(0)} W (model)`, latencyMs: c.latencyS * 1000, energyJ: c.energyJ, measured: false })),
    ],
    variants: (options.variants ?? []).map(({ run, result: r }) => ({
      label: run.label ?? path.basename(r.modelPath),
      path: r.modelPath,
      latencyP50Ms: r.latencyMs.p50,
      energyJ: r.energy.joulesPerInference,
      energySource: r.energy.source,
      sizeBytes: r.protocol.model.bytes,
    })),
    analysis: options.analysis,
  };
}
