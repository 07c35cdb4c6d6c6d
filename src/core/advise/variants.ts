/**
 * The changed versions of a layer that each action would produce. The advisor re-costs them through
 * the energy model; nothing here is a saving factor applied to energy.
 */
import type { LayerCost, Precision } from '../cost/types';
import { BYTES_PER_ELEMENT, effectivePrecision } from '../energy/profileLookup';
import type { HardwareProfile } from '../energy/profileSchema';

const FLOAT: ReadonlySet<Precision> = new Set(['fp64', 'fp32', 'tf32', 'fp16', 'bf16']);

const hasWeightedMacs = (layer: LayerCost): boolean => layer.macs > 0 && layer.bytes.weights > 0;

function scaleGemm(layer: LayerCost, key: 'n' | 'k', factor: number): LayerCost['gemm'] {
  if (layer.gemm === undefined) return undefined;
  return { ...layer.gemm, [key]: Math.max(1, Math.round(layer.gemm[key] * factor)) };
}

const CONV = new Set(['Conv', 'FusedConv', 'NhwcConv']);

/**
 * int8: weights stored in 8 bits and the MACs run at int8, with the operator the quantizer writes
 * (dynamic: ConvInteger/MatMulInteger; static QDQ: QLinearConv/QLinearMatMul), so the energy model
 * prices the kernel the target really has (ConvInteger is slow on x86 CPUs).
 * int4: weight-only (MatMulNBits style): weights in 4 bits, dequantized to the original precision.
 */
export function quantizeWeights(layer: LayerCost, bits: 8 | 4, mode: 'dynamic' | 'static' = 'dynamic'): LayerCost | undefined {
  if (!hasWeightedMacs(layer) || !FLOAT.has(layer.precision)) return undefined;
  const weights = layer.bytes.weights * (bits / 8 / BYTES_PER_ELEMENT[layer.precision]);
  if (bits === 4) return { ...layer, bytes: { ...layer.bytes, weights } };
  const conv = CONV.has(layer.opType);
  const opType = mode === 'dynamic' ? (conv ? 'ConvInteger' : 'MatMulInteger') : (conv ? 'QLinearConv' : 'QLinearMatMul');
  return { ...layer, opType, bytes: { ...layer.bytes, weights }, precision: 'int8' };
}

/** fp32 -> fp16 weights and activations, on devices with half-precision units. */
export function toFp16(layer: LayerCost, profile: HardwareProfile): LayerCost | undefined {
  if (layer.precision !== 'fp32' || layer.macs === 0) return undefined;
  const runsAt = effectivePrecision(profile, 'fp16');
  if (runsAt !== 'fp16' && runsAt !== 'bf16') return undefined;
  const b = layer.bytes;
  return { ...layer, precision: 'fp16', bytes: { weights: b.weights / 2, inputs: b.inputs / 2, outputs: b.outputs / 2 } };
}

/**
 * 2:4 structured sparsity: half the weights are zero in every group of four; hardware with sparse
 * tensor cores skips them (half the MACs) and stores the kept half plus 2 bits of index per value.
 */
export function prune24(layer: LayerCost, profile: HardwareProfile): LayerCost | undefined {
  if (!profile.sparsity24 || !hasWeightedMacs(layer)) return undefined;
  const bits = BYTES_PER_ELEMENT[layer.precision] * 8;
  const weights = layer.bytes.weights * 0.5 * (1 + 2 / bits);
  return {
    ...layer,
    macs: layer.macs / 2,
    params: layer.params / 2,
    flops: { ...layer.flops, mac: layer.flops.mac / 2 },
    bytes: { ...layer.bytes, weights },
    gemm: scaleGemm(layer, 'k', 0.5),
  };
}

/**
 * Structured (channel) pruning removing `fraction` of the output channels: MACs, weights and
 * outputs shrink by the same fraction on any hardware. The consumer's input shrinks too; that
 * further saving is left out, so the figure is conservative.
 */
export function pruneStructured(layer: LayerCost, fraction: number): LayerCost | undefined {
  if (!hasWeightedMacs(layer) || !(fraction > 0 && fraction < 1)) return undefined;
  const keep = 1 - fraction;
  return {
    ...layer,
    macs: layer.macs * keep,
    params: layer.params * keep,
    flops: { mac: layer.flops.mac * keep, elementwise: layer.flops.elementwise * keep, transcendental: layer.flops.transcendental * keep },
    bytes: { weights: layer.bytes.weights * keep, inputs: layer.bytes.inputs, outputs: layer.bytes.outputs * keep },
    gemm: scaleGemm(layer, 'n', keep),
  };
}

/** Fused into its producer: the intermediate activation never leaves the registers. */
export function fuseIntoProducer(layer: LayerCost): LayerCost | undefined {
  if (layer.macs > 0 || layer.bytes.inputs === 0) return undefined;
  return { ...layer, bytes: { ...layer.bytes, inputs: 0 } };
}
