/**
 * The main entry of the energy model: costed layers + a hardware profile + carbon settings ->
 * the Analysis every view renders.
 */
import type { LayerCost, Precision } from '../cost/types';
import type { Analysis, LayerAnalysis, UnknownOp } from './analysis';
import { co2eGrams, resolveCarbon, type CarbonSettings } from './carbon';
import { addEnergy, costLayer, ZERO_ENERGY, type CostedLayer } from './layerEnergy';
import { planResidency, type ResidencyPlan } from './memoryTraffic';
import { BYTES_PER_ELEMENT, effectivePrecision, memoryRoles } from './profileLookup';
import type { HardwareProfile } from './profileSchema';
import { executionGraph, type ExecutionGraph } from './executionGraph';
import { executedPrecision } from './executedPrecision';
import { classEfficiency, runtimeOf, type KernelClass } from './kernelClasses';
import type { KernelExecution } from './roofline';
import { band, profileUncertainty } from './uncertainty';

export interface EstimateInput {
  readonly model: Analysis['model'];
  readonly layers: readonly LayerCost[];
  readonly unknownOps: readonly UnknownOp[];
  readonly warnings: readonly string[];
  readonly dims: Readonly<Record<string, number>>;
  readonly batch: number;
}

export type EstimateSettings = CarbonSettings;

export interface CostedModel {
  readonly plan: ResidencyPlan;
  /** What the runtime executes: kernels (fusion groups), per-layer classes and the layers as they run. */
  readonly graph: ExecutionGraph;
  /** Per layer: how its kernel runs (executed precision, kernel-class efficiency). */
  readonly executions: readonly KernelExecution[];
  /** One entry per input layer; undefined for layers whose cost is unknown. */
  readonly layers: readonly (CostedLayer | undefined)[];
  readonly warnings: readonly string[];
}

/**
 * The layer as the device runs it. A device without the layer's precision computes at the nearest
 * one it has (effectivePrecision); when that one is narrower (an fp32 model on an int8 accelerator),
 * the deployed model stores weights and activations in it too, so bytes shrink accordingly.
 */
export function onDevice<L extends LayerCost>(layer: L, profile: HardwareProfile): L {
  if (layer.confidence === 'unknown') return layer;
  const runsAt = effectivePrecision(profile, layer.precision);
  const factor = BYTES_PER_ELEMENT[runsAt] / BYTES_PER_ELEMENT[layer.precision];
  if (factor >= 1) return layer;
  const b = layer.bytes;
  return { ...layer, precision: runsAt, bytes: { weights: b.weights * factor, inputs: b.inputs * factor, outputs: b.outputs * factor } };
}

/**
 * The last costing of each layer list, by the list's identity: the pipeline estimates a model and the
 * advisor then needs the same costing of the same list on the same profile (on a large graph a second
 * costing was a third of the advisor's time). Inputs are immutable; the entry goes with the list.
 */
const lastCosting = new WeakMap<readonly LayerCost[], { readonly profile: HardwareProfile; readonly weightBytes: number | undefined; readonly model: CostedModel }>();

/** Plans residency and costs every layer (the part of `estimate` the advisor and power-cap model reuse). */
export function costModel(layers: readonly LayerCost[], profile: HardwareProfile, modelWeightBytes?: number): CostedModel {
  const last = lastCosting.get(layers);
  if (last !== undefined && last.profile === profile && last.weightBytes === modelWeightBytes) return last.model;
  const model = costLayers(layers, profile, modelWeightBytes);
  lastCosting.set(layers, { profile, weightBytes: modelWeightBytes, model });
  return model;
}

function costLayers(layers: readonly LayerCost[], profile: HardwareProfile, modelWeightBytes?: number): CostedModel {
  const runtime = runtimeOf(profile);
  const graph = executionGraph(layers, runtime);
  const deviceLayers = graph.layers.map((l) => onDevice(l, profile));
  const converted = deviceLayers.some((l, i) => l.precision !== layers[i]!.precision);
  const weightBytes = deviceLayers.reduce((s, l) => s + l.bytes.weights, 0);
  // A caller's figure counts shared weights once; after conversion it no longer matches, so re-sum.
  const residentBytes = converted || modelWeightBytes === undefined ? weightBytes : modelWeightBytes;
  const plan = planResidency(deviceLayers, profile, residentBytes);
  const roles = memoryRoles(profile);
  const warnings = [...plan.warnings];
  const fallbacks = new Map<string, { from: Precision; to: Precision }>();
  const reasons = new Set<string>();
  const executions = deviceLayers.map((_, i) => {
    const execution = kernelExecution(layers[i]!, graph.classes[i]!, profile);
    if (execution.reason !== undefined) reasons.add(execution.reason);
    return execution;
  });
  const costed = deviceLayers.map((layer, i) => {
    if (layer.confidence === 'unknown') return undefined;
    const from = layers[i]!.precision;
    const to = effectivePrecision(profile, from);
    if (to !== from && layer.macs > 0) fallbacks.set(`${from}>${to}`, { from, to });
    return costLayer(layer, plan.layers[i]!, profile, plan.weightsResident, { fused: !graph.launches[i], execution: executions[i]! }, roles);
  });
  for (const reason of reasons) warnings.push(`On ${profile.name}: ${reason}.`);
  for (const { from, to } of fallbacks.values()) {
    const narrower = BYTES_PER_ELEMENT[to] < BYTES_PER_ELEMENT[from];
    warnings.push(`${profile.name} has no ${from} units: those layers are costed at ${to}${narrower ? ` (weights and activations stored as ${to})` : ''}.`);
  }
  const home = roles.levels[roles.weightHome]!;
  if (residentBytes > home.capacityBytes.value) {
    warnings.push(`The model's weights (${residentBytes} bytes) exceed ${home.name} (${home.capacityBytes.value} bytes): it does not fit ${profile.name}.`);
  }
  return { plan, graph, executions, layers: costed, warnings };
}

/** How one layer's kernel runs on the profile: executed precision and kernel-class efficiency. */
export function kernelExecution(layer: LayerCost, kernelClass: KernelClass, profile: HardwareProfile): KernelExecution & { readonly reason?: string } {
  const runtime = runtimeOf(profile);
  const executed = executedPrecision(layer, kernelClass, profile, runtime);
  return {
    precision: executed.precision,
    matrixEfficiency: classEfficiency(kernelClass, layer.gemm, runtime, profile) * executed.efficiency,
    ...(executed.reason !== undefined ? { reason: executed.reason } : {}),
  };
}

export function estimate(input: EstimateInput, profile: HardwareProfile, settings: EstimateSettings = {}): Analysis {
  const carbon = resolveCarbon(settings);
  const model = costModel(input.layers, profile, input.model.weightBytes > 0 ? input.model.weightBytes : undefined);
  let energy = ZERO_ENERGY;
  let latencyS = 0;
  let macs = 0;
  let flops = 0;
  for (const [i, layer] of input.layers.entries()) {
    const costed = model.layers[i];
    if (costed === undefined) continue;
    energy = addEnergy(energy, costed.energy);
    latencyS += costed.timing.latencyS;
    macs += layer.macs;
    flops += layer.flops.mac + layer.flops.elementwise + layer.flops.transcendental;
  }
  const spread = profileUncertainty(profile);
  const layers = input.layers.map((layer, i) => layerAnalysis(layer, model.layers[i], profile, energy.totalJ, model.graph.kernels[i], spread.logError));
  const warnings = [...input.warnings, ...model.warnings];
  const dynamicW = latencyS > 0 ? (energy.totalJ - energy.staticJ) / latencyS : 0;
  if (dynamicW + profile.idlePowerW.value > profile.maxPowerW.value * 1.05) {
    warnings.push(`Estimated average power ${(dynamicW + profile.idlePowerW.value).toFixed(3)} W exceeds ${profile.name}'s maximum ${profile.maxPowerW.value} W: the device would throttle, so latency is underestimated.`);
  }
  const co2 = co2eGrams(energy.totalJ, carbon);
  return {
    kind: 'estimate',
    model: input.model,
    profile: { id: profile.id, name: profile.name },
    settings: { batch: input.batch, dims: { ...input.dims }, ...carbon },
    totals: {
      macs,
      flops,
      latencyS,
      energy,
      co2eGrams: co2,
      per1k: { energyJ: energy.totalJ * 1e3, co2eGrams: co2 * 1e3 },
      per1M: { energyJ: energy.totalJ * 1e6, co2eGrams: co2 * 1e6 },
      uncertainty: { ...spread, energyJ: band(energy.totalJ, spread.logError), latencyS: band(latencyS, spread.logError) },
    },
    layers,
    unknownOps: input.unknownOps,
    warnings,
  };
}

/**
 * One layer of the Analysis, built in one pass with its keys in the JSON's order (docs/analysis-schema.md),
 * so a 150k-layer report is written without a reordered copy of every layer (report/json.ts).
 */
function layerAnalysis(layer: LayerCost, costed: CostedLayer | undefined, profile: HardwareProfile, totalJ: number, kernel: LayerAnalysis['kernel'], logError: number): LayerAnalysis {
  const byLevel: Record<string, number> = {};
  profile.memory.forEach((level, i) => { byLevel[level.name] = costed?.traffic.byLevel[i] ?? 0; });
  const energy = costed?.energy ?? ZERO_ENERGY;
  const latencyS = costed?.timing.latencyS ?? 0;
  const out: { -readonly [K in keyof LayerAnalysis]: LayerAnalysis[K] } = {
    name: layer.name,
    opType: layer.opType,
    domain: layer.domain,
    macs: layer.macs,
    flops: layer.flops.mac + layer.flops.elementwise + layer.flops.transcendental,
    params: layer.params,
    precision: layer.precision,
    outputShapes: layer.outputShapes,
    bytes: { weights: layer.bytes.weights, inputs: layer.bytes.inputs, outputs: layer.bytes.outputs, byLevel, offChipFloor: costed?.traffic.offChipFloor ?? 0 },
    energy,
    latencyS,
    bound: costed?.timing.bound ?? 'unknown',
    intensity: costed?.intensity ?? 0,
    energyShare: costed !== undefined && totalJ > 0 ? energy.totalJ / totalJ : 0,
    confidence: layer.confidence,
  };
  if (layer.note !== undefined) out.note = layer.note;
  if (kernel !== undefined) out.kernel = kernel;
  if (costed !== undefined) out.timing = { computeS: costed.timing.computeS, memoryS: costed.timing.memoryS, overheadS: costed.timing.overheadS };
  out.uncertainty = { energyJ: band(energy.totalJ, logError), latencyS: band(latencyS, logError) };
  return out;
}
