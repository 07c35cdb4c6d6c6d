/**
 * Memory-traffic model: how many bytes each layer reads from and writes to every memory level of a
 * profile. Two parts:
 *  - planResidency walks the layers in order and decides which activations stay in the on-chip
 *    buffer (producer -> consumer reuse, LRU eviction) and which go off chip;
 *  - layerTraffic turns one layer plus its residency into bytes per level, with a tiling estimate
 *    for matrix products and convolutions and the Hong-Kung lower bound as the off-chip floor.
 * Formulas are documented in docs/energy-model.md.
 */
import type { OpCost } from '../cost/types';
import type { HardwareProfile } from './profileSchema';
import { BYTES_PER_ELEMENT, memoryRoles, tileBytes, type MemoryRoles } from './profileLookup';
import { storedActivationRatios } from './activationCodec';

/** What the traffic model needs of a layer (a subset of LayerCost, so tests can build it easily). */
export interface TrafficLayer {
  readonly name: string;
  /** Decides which activations an activation codec compresses; layers without one count as raw. */
  readonly opType?: string;
  readonly bytes: OpCost['bytes'];
  readonly gemm?: OpCost['gemm'];
  readonly precision: OpCost['precision'];
  readonly confidence: OpCost['confidence'];
  readonly activationInputs: readonly string[];
  readonly activationOutputs: readonly string[];
}

/** Where one layer's activations come from and go to (fractions keep it valid when bytes are rescaled). */
export interface LayerResidency {
  /** Share of the activation input bytes read from the on-chip buffer (0..1). */
  readonly inputsOnChip: number;
  /** Share of the output bytes kept in the on-chip buffer (0..1). */
  readonly outputsOnChip: number;
  /** Bytes of earlier activations this layer's outputs evicted while they still had readers: written off chip. */
  readonly writebackBytes: number;
  /** Off-chip bytes per dense byte of the activation inputs / outputs (activation codec); 1 when absent. */
  readonly inputsStored?: number;
  readonly outputsStored?: number;
}

export interface ResidencyPlan {
  readonly layers: readonly LayerResidency[];
  /** The whole model's weights fit the profile's weight-residence level and stay there across inferences. */
  readonly weightsResident: boolean;
  readonly warnings: readonly string[];
}

const ALL_ON_CHIP: LayerResidency = { inputsOnChip: 1, outputsOnChip: 1, writebackBytes: 0 };
const ALL_OFF_CHIP: LayerResidency = { inputsOnChip: 0, outputsOnChip: 0, writebackBytes: 0 };

/**
 * Decides, layer by layer in execution order, which activations stay on chip. An output stays in the
 * buffer when it fits the activation budget (buffer capacity, less resident weights); older residents
 * are evicted least-recently-used first, and an evicted tensor that still has readers is written
 * back off chip (charged to the evicting layer) and later read from off chip by its readers.
 * Graph outputs (no reader among `layers`) are written off chip. On a profile with an activation
 * codec each layer also gets the stored/dense ratio of its off-chip activations (activationCodec.ts).
 */
export function planResidency(layers: readonly TrafficLayer[], profile: HardwareProfile, modelWeightBytes?: number): ResidencyPlan {
  const plan = planPlacement(layers, profile, modelWeightBytes);
  const stored = storedActivationRatios(layers, profile);
  if (stored === undefined) return plan;
  return { ...plan, layers: plan.layers.map((r, i) => ({ ...r, inputsStored: stored[i]!.inputs, outputsStored: stored[i]!.outputs })) };
}

function planPlacement(layers: readonly TrafficLayer[], profile: HardwareProfile, modelWeightBytes?: number): ResidencyPlan {
  const roles = memoryRoles(profile);
  const warnings: string[] = [];
  const weightBytes = modelWeightBytes ?? layers.reduce((s, l) => s + l.bytes.weights, 0);
  const weightsResident = roles.residence >= 0 && weightBytes <= roles.levels[roles.residence]!.capacityBytes.value;
  if (roles.buffer < 0) return { layers: layers.map(() => ALL_OFF_CHIP), weightsResident, warnings };
  const weightsInBuffer = weightsResident && roles.residence === roles.buffer;
  const budget = roles.levels[roles.buffer]!.capacityBytes.value - (weightsInBuffer ? weightBytes : 0);
  if (roles.spill < 0) return { layers: planWithoutSpill(layers, roles, budget, warnings), weightsResident, warnings };

  const readers = new Map<string, number>();
  for (const layer of layers) for (const name of layer.activationInputs) readers.set(name, (readers.get(name) ?? 0) + 1);
  const resident = new Map<string, number>(); // insertion order = LRU order
  let residentBytes = 0;
  const plan: LayerResidency[] = [];
  for (const layer of layers) {
    const { inputs, outputs } = layer.bytes;
    let inputsOnChip = 0;
    for (const name of layer.activationInputs) {
      const size = resident.get(name);
      if (size !== undefined) {
        inputsOnChip += 1;
        resident.delete(name); // touch: move to the most recently used end
        resident.set(name, size);
      }
      const left = (readers.get(name) ?? 1) - 1;
      readers.set(name, left);
      if (left <= 0 && size !== undefined) {
        resident.delete(name);
        residentBytes -= size;
      }
    }
    const inputShare = layer.activationInputs.length === 0 ? 0 : inputsOnChip / layer.activationInputs.length;
    if (layer.confidence === 'unknown') {
      // Nothing is known of its outputs: its readers will read them from off chip.
      plan.push({ inputsOnChip: inputShare, outputsOnChip: 0, writebackBytes: 0 });
      continue;
    }
    let keptBytes = 0;
    let writebackBytes = 0;
    const outputSize = layer.activationOutputs.length === 0 ? 0 : outputs / layer.activationOutputs.length;
    for (const name of layer.activationOutputs) {
      if ((readers.get(name) ?? 0) <= 0 || outputSize > budget) continue;
      for (const [old, size] of resident) {
        if (residentBytes + outputSize <= budget) break;
        resident.delete(old);
        residentBytes -= size;
        if ((readers.get(old) ?? 0) > 0) writebackBytes += size;
      }
      resident.set(name, outputSize);
      residentBytes += outputSize;
      keptBytes += outputSize;
    }
    plan.push({ inputsOnChip: inputs > 0 ? inputShare : 0, outputsOnChip: outputs > 0 ? keptBytes / outputs : 0, writebackBytes });
  }
  return { layers: plan, weightsResident, warnings };
}

/** No writable off-chip level (microcontrollers): activations must live on chip; warn when they cannot. */
function planWithoutSpill(layers: readonly TrafficLayer[], roles: MemoryRoles, budget: number, warnings: string[]): LayerResidency[] {
  const level = roles.levels[roles.buffer]!;
  for (const layer of layers) {
    const working = layer.bytes.inputs + layer.bytes.outputs;
    if (working > budget) {
      warnings.push(`Layer ${layer.name} needs ${working} bytes of activations but ${level.name} holds ${budget}: the model does not fit this device.`);
      break;
    }
  }
  return layers.map(() => ALL_ON_CHIP);
}

export interface LayerTraffic {
  /** Bytes read or written at each memory level, in profile order. */
  readonly byLevel: readonly number[];
  readonly onChipBytes: number;
  readonly offChipBytes: number;
  /** Hong-Kung style floor of off-chip traffic (0 when the profile has no off-chip level). */
  readonly offChipFloor: number;
}

/**
 * Bytes that cross the boundary into a fast memory of `capacity` bytes for a GEMM (M×K)·(K×N), with
 * square output tiles b×b, b = √(S/3) elements (an output tile plus a K-slice of each operand):
 * 2·M·N·K/b operand elements + M·N outputs, per GEMM of the batch. Never below `compulsory`.
 */
export function tiledTrafficBytes(gemm: NonNullable<OpCost['gemm']>, elementBytes: number, capacityBytes: number, compulsory: number): number {
  const { m, n, k, batch } = gemm;
  const tile = Math.max(1, Math.floor(Math.sqrt(capacityBytes / (3 * elementBytes))));
  const elements = batch * ((2 * m * n * k) / tile + m * n);
  return Math.max(compulsory, elements * elementBytes);
}

/**
 * Bytes that cross into an on-chip buffer of `capacityBytes` for a convolution, as a blocked kernel or
 * a dataflow accelerator schedules it: a tile of Tm output pixels × Tn output channels stays in half
 * the buffer as partial sums while the input channels stream past, so the feature map is read once
 * per output-channel tile and the weights once per pixel tile; the best Tn (powers of two up to N) is
 * taken. The feature map is read as stored, not as its im2col matrix: windows overlap, and a k×k
 * stride-1 convolution would otherwise be charged k² reads of every input. Weights or a feature map
 * that fit half the buffer stay there while the other streams once (compulsory traffic).
 * `stored` scales the feature-map bytes that cross the boundary (an activation codec); the buffer
 * holds them decoded, so tile sizes use the dense bytes.
 */
export function convolutionTrafficBytes(gemm: NonNullable<OpCost['gemm']>, bytes: OpCost['bytes'], elementBytes: number, capacityBytes: number, stored: { readonly inputs: number; readonly outputs: number } = { inputs: 1, outputs: 1 }): number {
  const { weights } = bytes;
  const inputs = bytes.inputs * stored.inputs;
  const outputs = bytes.outputs * stored.outputs;
  const compulsory = weights + inputs + outputs;
  const half = capacityBytes / 2;
  const groups = Math.max(1, gemm.batch);
  if (weights / groups <= half || bytes.inputs / groups <= half) return compulsory;
  let best = Infinity;
  for (let tn = 1; ; tn *= 2) {
    const channels = Math.min(tn, gemm.n);
    const pixels = Math.min(gemm.m, Math.max(1, Math.floor(half / (elementBytes * channels))));
    best = Math.min(best, inputs * Math.ceil(gemm.n / channels) + weights * Math.ceil(gemm.m / pixels) + outputs);
    if (channels >= gemm.n) break;
  }
  return Math.max(compulsory, best);
}

/** Hong-Kung lower bound: about 2·M·N·K/√S words must cross into a fast memory of S words. */
export function hongKungBytes(gemm: NonNullable<OpCost['gemm']>, elementBytes: number, capacityBytes: number): number {
  const { m, n, k, batch } = gemm;
  const words = Math.max(1, capacityBytes / elementBytes);
  return (batch * 2 * m * n * k * elementBytes) / Math.sqrt(words);
}

export function layerTraffic(layer: Pick<TrafficLayer, 'bytes' | 'gemm' | 'precision'>, residency: LayerResidency, profile: HardwareProfile, weightsResident: boolean, roles: MemoryRoles = memoryRoles(profile)): LayerTraffic {
  const { levels, buffer, spill, weightHome, residence } = roles;
  const { weights, inputs, outputs } = layer.bytes;
  const computesInMemory = profile.weightResidence?.inSitu === true;
  const inSitu = weightsResident && computesInMemory;
  const movedWeights = inSitu ? 0 : weights;
  const compulsory = movedWeights + inputs + outputs;
  const e = BYTES_PER_ELEMENT[layer.precision];
  // Processing in memory keeps weights stationary in the arrays (even when they had to be
  // reprogrammed this inference): activations stream once, no tiling re-reads.
  const gemm = computesInMemory ? undefined : layer.gemm;
  const tiled = (capacity: number): number => (gemm === undefined ? compulsory : tiledTrafficBytes(gemm, e, capacity, compulsory));
  const innerCapacity = (i: number): number => (i === 0 ? profile.registerReuseBytes?.value ?? 0 : tileBytes(levels[i - 1]!));

  const byLevel = levels.map(() => 0);
  for (let i = 0; i <= buffer; i++) {
    if (levels[i]!.readOnly !== true) byLevel[i] = tiled(innerCapacity(i));
  }
  const fits = buffer >= 0 && compulsory <= levels[buffer]!.capacityBytes.value;
  const outerCapacity = buffer >= 0 ? tileBytes(levels[buffer]!) : innerCapacity(0);
  // Off chip, a convolution is tiled on its feature map (no im2col re-reads, no GEMM bound).
  const convolution = gemm?.convolution === true && !inSitu;
  // An activation codec shrinks what crosses the off-chip boundary; GEMM tile re-reads stay dense.
  const stored = { inputs: residency.inputsStored ?? 1, outputs: residency.outputsStored ?? 1 };
  const storedCompulsory = movedWeights + inputs * stored.inputs + outputs * stored.outputs;
  const outerTraffic = convolution ? convolutionTrafficBytes(gemm, { weights: movedWeights, inputs, outputs }, e, outerCapacity, stored) : tiled(outerCapacity);
  const extra = fits ? 0 : Math.max(0, outerTraffic - (convolution ? storedCompulsory : compulsory));

  // Weights: from the residence level when resident (already counted if it is the buffer), else home.
  const weightSource = weightsResident ? residence : weightHome;
  if (!inSitu && weightSource !== buffer && weightSource !== spill) byLevel[weightSource]! += weights;
  if (!weightsResident && residence >= 0 && profile.weightResidence?.inSitu === true) byLevel[residence]! += weights; // reprogramming

  let offChipFloor = 0;
  if (spill >= 0) {
    const inputsOff = inputs * (1 - residency.inputsOnChip) * stored.inputs;
    const outputsOff = outputs * (1 - residency.outputsOnChip) * stored.outputs;
    const weightsOff = !inSitu && !levels[weightSource]!.onChip ? weights : 0;
    byLevel[spill]! += inputsOff + outputsOff + residency.writebackBytes + (weightSource === spill && !inSitu ? weights : 0) + extra;
    const hk = gemm !== undefined && !fits && !convolution ? hongKungBytes(gemm, e, outerCapacity) : 0;
    offChipFloor = Math.max(inputsOff + outputsOff + weightsOff, hk);
    const offChip = sumWhere(byLevel, (i) => !levels[i]!.onChip);
    if (offChip < offChipFloor) byLevel[spill]! += offChipFloor - offChip; // an estimate never beats the bound
  } else if (extra > 0) {
    byLevel[weightHome]! += extra; // no off-chip level: re-read weight tiles from where they live
  }
  return {
    byLevel,
    onChipBytes: sumWhere(byLevel, (i) => levels[i]!.onChip),
    offChipBytes: sumWhere(byLevel, (i) => !levels[i]!.onChip),
    offChipFloor,
  };
}

function sumWhere(values: readonly number[], keep: (i: number) => boolean): number {
  let sum = 0;
  values.forEach((v, i) => { if (keep(i)) sum += v; });
  return sum;
}
