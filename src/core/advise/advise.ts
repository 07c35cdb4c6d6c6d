/**
 * Per-layer roles and ranked recommendations. Every saving comes from re-costing the changed layer
 * (or the whole changed model) through the energy model on the same profile and residency context.
 */
import type { LayerCost } from '../cost/types';
import type { Bound } from '../energy/analysis';
import { costModel, kernelExecution, onDevice, type CostedModel, type EstimateInput } from '../energy/estimate';
import { costLayer, type CostedLayer } from '../energy/layerEnergy';
import { capTerms, frequencyRatio } from '../energy/powerCap';
import type { HardwareProfile } from '../energy/profileSchema';
import type { AdviceAction, Advice, AdviceOptions, LayerRole, ModelRecommendation, Recommendation } from './types';
import { fuseIntoProducer, prune24, pruneStructured, quantizeWeights, toFp16 } from './variants';

export function roleOf(bound: Bound): LayerRole {
  return bound === 'unknown' ? 'unknown' : `${bound}-bound`;
}

/** Which actions each role considers (the mapping; savings decide the ranking). */
const ACTIONS_BY_ROLE: Readonly<Record<LayerRole, readonly AdviceAction[]>> = {
  'memory-bound': ['quantize-int8', 'quantize-int8-static', 'quantize-int4', 'power-cap'],
  'compute-bound': ['prune-2:4', 'prune-structured', 'fp16', 'quantize-int8', 'quantize-int8-static'],
  'overhead-bound': ['fuse'],
  unknown: [],
};

/** An overhead-bound layer can still move or compute less: add the actions of its larger work term. */
function candidateActions(role: LayerRole, costed: CostedLayer): readonly AdviceAction[] {
  if (role !== 'overhead-bound') return ACTIONS_BY_ROLE[role];
  const work: LayerRole = costed.timing.memoryS > costed.timing.computeS ? 'memory-bound' : 'compute-bound';
  return [...ACTIONS_BY_ROLE[role], ...ACTIONS_BY_ROLE[work].filter((a) => a !== 'power-cap')];
}

const CAP_STEPS = 16;

interface Context {
  readonly profile: HardwareProfile;
  readonly base: CostedModel;
  readonly totalJ: number;
  readonly options: Required<AdviceOptions>;
  readonly produced: ReadonlySet<string>;
}

export function advise(input: EstimateInput, profile: HardwareProfile, options: AdviceOptions = {}): Advice {
  const resolved: Required<AdviceOptions> = {
    structuredFraction: options.structuredFraction ?? 0.25,
    layerMaxSlowdown: options.layerMaxSlowdown ?? 0.05,
    modelMaxSlowdown: options.modelMaxSlowdown ?? 0.1,
    minShare: options.minShare ?? 0.001,
  };
  const weightBytes = input.model.weightBytes > 0 ? input.model.weightBytes : undefined;
  const base = costModel(input.layers, profile, weightBytes);
  const totalJ = base.layers.reduce((s, c) => s + (c?.energy.totalJ ?? 0), 0);
  const produced = new Set(input.layers.flatMap((l) => (l.confidence === 'unknown' ? [] : l.activationOutputs)));
  const ctx: Context = { profile, base, totalJ, options: resolved, produced };

  const roles = input.layers.map((layer, i) => {
    const costed = base.layers[i];
    return { layer: layer.name, role: costed === undefined ? 'unknown' as const : roleOf(costed.timing.bound), energyJ: costed?.energy.totalJ ?? 0 };
  });
  const recommendations: Recommendation[] = [];
  /** Per action, the changed layers whose recommendation was kept (by layer index). */
  const accepted = new Map<AdviceAction, Map<number, LayerCost>>();
  input.layers.forEach((layer, i) => {
    const costed = base.layers[i];
    if (costed === undefined) return;
    const executed = base.graph.layers[i]!;
    for (const action of candidateActions(roles[i]!.role, costed)) {
      const variant = action === 'power-cap' ? undefined : variantOf(executed, i, action, ctx);
      const rec = action === 'power-cap' ? capRecommendation(layer, costed, ctx) : variant && variantRecommendation(layer, i, variant, costed, action, ctx);
      if (rec === undefined || rec.savingJ <= 0 || rec.savingShare < resolved.minShare) continue;
      recommendations.push(rec);
      // The whole-model re-costing rebuilds the execution graph, so it takes the variant of the file's layer.
      const fileVariant = action === 'power-cap' ? undefined : variantOf(layer, i, action, ctx);
      if (fileVariant !== undefined) {
        if (!accepted.has(action)) accepted.set(action, new Map());
        accepted.get(action)!.set(i, fileVariant);
      }
    }
  });
  recommendations.sort((a, b) => b.savingJ - a.savingJ);
  const model = modelRecommendations(input, accepted, weightBytes, ctx);
  return { profile: profile.id, totalJ, roles, recommendations, model };
}

function variantOf(layer: LayerCost, index: number, action: AdviceAction, ctx: Context): LayerCost | undefined {
  switch (action) {
    case 'quantize-int8': return quantizeWeights(layer, 8);
    case 'quantize-int8-static': return staticWhenDynamicIsSlower(layer, index, ctx);
    case 'quantize-int4': return quantizeWeights(layer, 4);
    case 'fp16': return toFp16(layer, ctx.profile);
    case 'prune-2:4': return prune24(layer, ctx.profile);
    case 'prune-structured': return pruneStructured(layer, ctx.options.structuredFraction);
    case 'fuse': return ctx.base.graph.launches[index] === true && layer.activationInputs.some((n) => ctx.produced.has(n)) ? fuseIntoProducer(layer) : undefined;
    case 'power-cap': return undefined;
  }
}

/**
 * Static int8 (QDQ) is offered only where dynamic int8 would not save: on runtimes whose dynamic
 * integer kernel is slow (ConvInteger on x86 CPUs), the static integer kernels are the fast mode.
 */
function staticWhenDynamicIsSlower(layer: LayerCost, index: number, ctx: Context): LayerCost | undefined {
  const dynamic = quantizeWeights(layer, 8, 'dynamic');
  if (dynamic === undefined) return undefined;
  const before = ctx.base.layers[index];
  if (before === undefined || recost(dynamic, index, false, ctx).energy.totalJ < before.energy.totalJ) return undefined;
  return quantizeWeights(layer, 8, 'static');
}

/** A changed layer costed in the base model's residency context, with its kernel as the runtime runs it. */
function recost(variant: LayerCost, index: number, fuse: boolean, ctx: Context): CostedLayer {
  const { plan, graph } = ctx.base;
  const execution = kernelExecution(variant, graph.classes[index]!, ctx.profile);
  return costLayer(onDevice(variant, ctx.profile), plan.layers[index]!, ctx.profile, plan.weightsResident, { fused: fuse || !graph.launches[index], execution });
}

function variantRecommendation(layer: LayerCost, index: number, variant: LayerCost, costed: CostedLayer, action: AdviceAction, ctx: Context): Recommendation {
  const recosted = recost(variant, index, action === 'fuse', ctx);
  const savingJ = costed.energy.totalJ - recosted.energy.totalJ;
  return {
    layer: layer.name, action, title: TITLES[action](ctx.options.structuredFraction), reason: reasonFor(layer, costed, recosted, action, ctx),
    savingJ, savingShare: ctx.totalJ > 0 ? savingJ / ctx.totalJ : 0,
  };
}

/** The lowest cap (of an even sweep) that keeps this layer within the accepted slowdown. */
function capRecommendation(layer: LayerCost, costed: CostedLayer, ctx: Context): Recommendation | undefined {
  const { profile } = ctx;
  const minCap = profile.minPowerCapW?.value;
  if (minCap === undefined) return undefined;
  const max = profile.maxPowerW.value;
  let best: { capW: number; savingJ: number; latencyS: number } | undefined;
  for (let i = 0; i < CAP_STEPS; i++) {
    const capW = minCap + ((max - minCap) * i) / (CAP_STEPS - 1);
    const capped = capTerms(costed.energy, costed.timing, profile, frequencyRatio(profile, capW));
    if (capped.latencyS > costed.timing.latencyS * (1 + ctx.options.layerMaxSlowdown)) continue;
    const savingJ = costed.energy.totalJ - capped.energy.totalJ;
    if (best === undefined || savingJ > best.savingJ) best = { capW, savingJ, latencyS: capped.latencyS };
  }
  if (best === undefined || best.savingJ <= 0) return undefined;
  const slowdown = best.latencyS / costed.timing.latencyS - 1;
  return {
    layer: layer.name, action: 'power-cap', title: `Cap power at ${round(best.capW)} W during this phase`, capW: best.capW,
    reason: `${layer.name} waits on memory (memory time ${fmtTime(costed.timing.memoryS)} vs compute ${fmtTime(costed.timing.computeS)}): a lower clock saves dynamic energy at ${pct(slowdown)} slowdown.`,
    savingJ: best.savingJ, savingShare: ctx.totalJ > 0 ? best.savingJ / ctx.totalJ : 0,
  };
}

function modelRecommendations(
  input: EstimateInput, accepted: ReadonlyMap<AdviceAction, ReadonlyMap<number, LayerCost>>, weightBytes: number | undefined, ctx: Context,
): ModelRecommendation[] {
  const out: ModelRecommendation[] = [];
  for (const [action, variants] of accepted) {
    const changed = input.layers.map((l, i) => variants.get(i) ?? l);
    const weightDelta = [...variants].reduce((s, [i, v]) => s + v.bytes.weights - input.layers[i]!.bytes.weights, 0);
    const savingJ = ctx.totalJ - wholeModelJ(changed, action === 'fuse' ? new Set(variants.keys()) : new Set(), weightBytes === undefined ? undefined : weightBytes + weightDelta, ctx.profile);
    if (savingJ <= 0) continue;
    const count = `${variants.size} layer${variants.size === 1 ? '' : 's'}`;
    out.push({
      scope: 'model', action, title: `${TITLES[action](ctx.options.structuredFraction)}: ${count}`,
      reason: `Re-costing the whole model with ${count} changed (residency of activations and weights recomputed).`,
      savingJ, savingShare: ctx.totalJ > 0 ? savingJ / ctx.totalJ : 0, layers: [...variants.keys()].map((i) => input.layers[i]!.name),
    });
  }
  const cap = modelPowerCap(input, ctx);
  if (cap !== undefined) out.push(cap);
  return out.sort((a, b) => b.savingJ - a.savingJ);
}

/** Total energy of a changed model; layers in `fused` are costed without dispatch overhead. */
function wholeModelJ(layers: readonly LayerCost[], fused: ReadonlySet<number>, weightBytes: number | undefined, profile: HardwareProfile): number {
  const model = costModel(layers, profile, weightBytes);
  let total = 0;
  model.layers.forEach((costed, i) => {
    if (costed === undefined) return;
    total += fused.has(i)
      ? costLayer(onDevice(model.graph.layers[i]!, profile), model.plan.layers[i]!, profile, model.plan.weightsResident, { fused: true, execution: model.executions[i]! }).energy.totalJ
      : costed.energy.totalJ;
  });
  return total;
}

function modelPowerCap(input: EstimateInput, ctx: Context): ModelRecommendation | undefined {
  const { profile } = ctx;
  const minCap = profile.minPowerCapW?.value;
  if (minCap === undefined || ctx.totalJ <= 0) return undefined;
  // The base costing is the model's estimate: capped from it, not estimated again (a second costing
  // of every layer was most of the advisor's time on large graphs).
  const costed = ctx.base.layers.filter((c): c is CostedLayer => c !== undefined);
  const latencyS = costed.reduce((s, c) => s + c.timing.latencyS, 0);
  const max = profile.maxPowerW.value;
  let best: { capW: number; energyJ: number; latencyS: number } | undefined;
  for (let i = 0; i < CAP_STEPS; i++) {
    const capW = minCap + ((max - minCap) * i) / (CAP_STEPS - 1);
    const ratio = frequencyRatio(profile, capW);
    let cappedJ = 0;
    let cappedS = 0;
    for (const c of costed) {
      const capped = capTerms(c.energy, c.timing, profile, ratio);
      cappedJ += capped.energy.totalJ;
      cappedS += capped.latencyS;
    }
    if (cappedS > latencyS * (1 + ctx.options.modelMaxSlowdown)) continue;
    if (best === undefined || cappedJ < best.energyJ) best = { capW, energyJ: cappedJ, latencyS: cappedS };
  }
  if (best === undefined) return undefined;
  const savingJ = ctx.totalJ - best.energyJ;
  if (savingJ <= 0) return undefined;
  const latencyRatio = best.latencyS / latencyS;
  return {
    scope: 'model', action: 'power-cap', title: `Cap ${profile.name} at ${round(best.capW)} W`, capW: best.capW, latencyRatio,
    reason: `The lowest-energy cap within ${pct(ctx.options.modelMaxSlowdown)} slowdown (power-cap model: clock ∝ ((cap − idle)/(max − idle))^(1/3)); latency ×${latencyRatio.toFixed(3)}.`,
    savingJ, savingShare: savingJ / ctx.totalJ, layers: input.layers.filter((l) => l.confidence !== 'unknown').map((l) => l.name),
  };
}

const TITLES: Readonly<Record<AdviceAction, (fraction: number) => string>> = {
  'quantize-int8': () => 'Quantize weights to int8',
  'quantize-int8-static': () => 'Quantize to int8 static (QDQ)',
  'quantize-int4': () => 'Quantize weights to int4 (weight-only)',
  'prune-2:4': () => 'Prune to 2:4 structured sparsity',
  'prune-structured': (f) => `Prune ${Math.round(f * 100)}% of output channels`,
  fp16: () => 'Run in fp16',
  fuse: () => 'Fuse into its producer',
  'power-cap': () => 'Cap power',
};

function reasonFor(layer: LayerCost, before: CostedLayer, after: CostedLayer, action: AdviceAction, ctx: Context): string {
  const moved = before.energy.onChipJ + before.energy.offChipJ;
  const moveShare = before.energy.totalJ > 0 ? moved / before.energy.totalJ : 0;
  const computeShare = before.energy.totalJ > 0 ? before.energy.computeJ / before.energy.totalJ : 0;
  const change = `${fmtJ(before.energy.totalJ)} -> ${fmtJ(after.energy.totalJ)} per inference on ${ctx.profile.name}`;
  switch (action) {
    case 'quantize-int8-static':
      return `${layer.name}: dynamic int8 (${layer.opType === 'Conv' ? 'ConvInteger' : 'MatMulInteger'}) would not save on ${ctx.profile.name} (no fast kernel, it runs slower than ${layer.precision}); static int8 (QDQ) runs on the integer kernels: ${change}. Calibrate and verify accuracy.`;
    case 'quantize-int8':
    case 'quantize-int4':
      return `${layer.name} is ${roleOf(before.timing.bound)}: data movement is ${pct(moveShare)} of its energy; smaller weights: ${change}. Verify accuracy after quantizing.`;
    case 'prune-2:4':
      return `${layer.name} is compute-bound (${pct(computeShare)} of its energy in MACs); ${ctx.profile.name} skips the zeros of 2:4 sparse weights: ${change}. Needs fine-tuning to keep accuracy.`;
    case 'prune-structured':
      return `${layer.name} is compute-bound; removing output channels removes MACs on any hardware: ${change}. Verify accuracy.`;
    case 'fp16':
      return `${layer.name} is compute-bound at fp32; half precision costs less per MAC and halves the bytes: ${change}.`;
    case 'fuse':
      return `${layer.name} is overhead-bound (${fmtTime(before.timing.overheadS)} dispatch vs ${fmtTime(Math.max(before.timing.computeS, before.timing.memoryS))} of work); fused, it costs no dispatch and no re-read of its input: ${change}.`;
    case 'power-cap':
      return '';
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const round = (x: number): number => Math.round(x * 10) / 10;
function fmtJ(j: number): string {
  const units: [number, string][] = [[1, 'J'], [1e-3, 'mJ'], [1e-6, 'µJ'], [1e-9, 'nJ'], [1e-12, 'pJ']];
  const [scale, unit] = units.find(([s]) => Math.abs(j) >= s) ?? [1e-12, 'pJ'];
  return `${(j / scale).toPrecision(3)} ${unit}`;
}
function fmtTime(s: number): string {
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  if (s >= 1e-6) return `${(s * 1e6).toPrecision(3)} µs`;
  return `${(s * 1e9).toPrecision(3)} ns`;
}
