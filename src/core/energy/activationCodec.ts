/**
 * Activation compression on the way to off-chip memory. Some accelerators encode feature maps before
 * writing them to DRAM (Eyeriss run-length codes the zeros that ReLU leaves: a 5-bit run and a 16-bit
 * value, three pairs per 64-bit word), so a sparse tensor costs fewer DRAM bytes than its dense size.
 * This module says, per layer, how many bytes are stored off chip per dense byte of its activation
 * inputs and outputs. The zero fraction is an assumption of the profile (data decide it), shown as
 * such; docs/energy-model.md ("Activation codec") has the rules.
 */
import type { LayerCost } from '../cost/types';
import { isFreeOp } from './kernelClasses';
import { BYTES_PER_ELEMENT } from './profileLookup';
import type { HardwareProfile } from './profileSchema';

/** Stored off-chip bytes per dense byte (1 = raw). */
export interface StoredRatios {
  readonly inputs: number;
  readonly outputs: number;
}

/** What the codec needs of a layer; one without an op type counts as producing no zeros. */
export type CodecLayer = Pick<LayerCost, 'precision' | 'activationInputs' | 'activationOutputs' | 'confidence'> & { readonly opType?: string };

/** Activations whose negative inputs become zeros. */
const RECTIFIERS: ReadonlySet<string> = new Set(['Relu', 'RELU', 'RELU6', 'ReLU']);
/** Ops whose output is still rectified when every input is: the max of zeros is zero, a concatenation keeps them. */
const ZERO_KEEPING: ReadonlySet<string> = new Set(['MaxPool', 'GlobalMaxPool', 'MAX_POOL_2D', 'Concat', 'CONCATENATION']);

const RAW: StoredRatios = { inputs: 1, outputs: 1 };

/**
 * Per layer, the stored/dense ratio of its off-chip activation traffic on `profile`, or undefined when
 * the profile has no codec (everything raw). A tensor is sparse when a rectifier produced it, or a
 * view or zero-keeping op of sparse tensors; a sparse tensor is stored at
 * min(1, (1 - zeroFraction) · bitsPerNonZero / bits per element), anything else raw. A layer with
 * several inputs averages them (its input bytes are not split per tensor).
 */
export function storedActivationRatios(layers: readonly CodecLayer[], profile: HardwareProfile): readonly StoredRatios[] | undefined {
  const codec = profile.activationCodec;
  if (codec === undefined) return undefined;
  const nonZero = 1 - codec.zeroFraction.value;
  const sparse = new Set<string>();
  const ratio = (layer: CodecLayer, tensor: string): number => {
    if (!sparse.has(tensor)) return 1;
    return Math.min(1, (nonZero * codec.bitsPerNonZero.value) / (8 * BYTES_PER_ELEMENT[layer.precision]));
  };
  const mean = (layer: CodecLayer, tensors: readonly string[]): number =>
    tensors.length === 0 ? 1 : tensors.reduce((s, t) => s + ratio(layer, t), 0) / tensors.length;
  return layers.map((layer) => {
    if (layer.confidence === 'unknown') return RAW;
    const inputs = mean(layer, layer.activationInputs);
    const op = layer.opType ?? '';
    const keepsZeros = layer.activationInputs.length > 0 && layer.activationInputs.every((t) => sparse.has(t))
      && (ZERO_KEEPING.has(op) || isFreeOp(op));
    if (RECTIFIERS.has(op) || keepsZeros) for (const t of layer.activationOutputs) sparse.add(t);
    return { inputs, outputs: mean(layer, layer.activationOutputs) };
  });
}
