/**
 * Precision as executed: the precision a layer's kernel really computes at on a profile's runtime,
 * which is not always the one its tensors are stored in. Sources in docs/energy-model.md
 * ("Precision as executed").
 *  - x86 CPUs (onnxruntime MLAS): ConvInteger has no fast kernel; it runs as an im2col plus a
 *    generic integer GEMM, slower than the fp32 convolution (onnxruntime issues 6732, 12854, 16009;
 *    issue 12 measured int8-dynamic ResNet-18 5.4x slower than fp32). MatMulInteger and
 *    QLinearConv/QLinearMatMul (static QDQ) use the VNNI kernels and are fast.
 *  - Ampere and later GPUs: frameworks run fp32 GEMMs and convolutions on TF32 tensor cores
 *    (cuDNN/TensorRT/onnxruntime CUDA default use_tf32=1).
 *  - int4 weight-only (MatMulNBits): weights are dequantized in the kernel and the MACs run at fp16
 *    on GPUs, fp32 on CPUs.
 */
import type { LayerCost, Precision } from '../cost/types';
import type { KernelClass, Runtime } from './kernelClasses';
import { effectivePrecision } from './profileLookup';
import type { HardwareProfile } from './profileSchema';

export interface ExecutedPrecision {
  /** Precision of the arithmetic (peak and energy per MAC). */
  readonly precision: Precision;
  /** Multiplier on the matrix efficiency (slow code paths). */
  readonly efficiency: number;
  /** Why it differs from the stored precision, for the layer's note and warnings. */
  readonly reason?: string;
}

/** ConvInteger on x86: im2col + a generic integer GEMM at ~1/4 of the fp32 convolution's rate (a calibrated profile measures it). */
const CPU_CONV_INTEGER_EFFICIENCY = 0.25;

export function executedPrecision(layer: Pick<LayerCost, 'opType' | 'precision' | 'macs'>, kernelClass: KernelClass, profile: HardwareProfile, runtime: Runtime): ExecutedPrecision {
  const stored = effectivePrecision(profile, layer.precision);
  if (layer.macs === 0) return { precision: stored, efficiency: 1 };
  if (runtime === 'cpu' && layer.opType === 'ConvInteger') {
    return {
      precision: effectivePrecision(profile, 'fp32'), efficiency: profile.kernelEfficiency?.convInteger?.value ?? CPU_CONV_INTEGER_EFFICIENCY,
      reason: 'ConvInteger has no fast kernel on x86 CPU runtimes (runs slower than fp32); static int8 (QLinearConv) is fast',
    };
  }
  if (layer.opType === 'MatMulNBits' || (layer.precision === 'int4' && layer.opType !== 'MatMulInteger')) {
    const to = effectivePrecision(profile, runtime === 'gpu' ? 'fp16' : 'fp32');
    return { precision: to, efficiency: 1, reason: `4-bit weights are dequantized in the kernel: MACs run at ${to}` };
  }
  const matrix = kernelClass === 'gemm' || kernelClass === 'conv';
  if (runtime === 'gpu' && matrix && stored === 'fp32' && profile.peakOpsPerS.tf32 !== undefined && profile.energyPerMacPJ.tf32 !== undefined) {
    return { precision: 'tf32', efficiency: 1, reason: 'fp32 GEMMs and convolutions run on TF32 tensor cores (framework default)' };
  }
  return { precision: stored, efficiency: 1 };
}
