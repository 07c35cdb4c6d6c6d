/**
 * Which quantized kernels a target runs fast, and the quantization mode that pays off there.
 *
 * A small interface of the transform's own, so the palette, the quick fix and the post-run check ask
 * one place. The facts here are onnxruntime CPU facts measured on x86 (AVX2) in this project's
 * benchmarks (docs/transforms.md); other kinds carry what their runtimes are known to accelerate,
 * marked 'unknown' where nothing was measured. When hardware profiles carry precision-as-executed
 * tables (the estimator's), `kernelFacts` is the one function to point at them.
 */
import type { HardwareProfile, ProfileKind } from '../energy/profileSchema';
import type { WorkingModel } from './workingModel';
import type { QuantizeMode } from './types';

export type KernelSpeed = 'fast' | 'slow' | 'unknown';

export interface KernelFacts {
  /** int8-dynamic Conv: DynamicQuantizeLinear → ConvInteger. */
  readonly convInteger: KernelSpeed;
  /** int8-dynamic MatMul/Gemm: DynamicQuantizeMatMul. */
  readonly dynamicMatMul: KernelSpeed;
  /** int8-static QDQ, fused by the runtime into QLinearConv / QLinearMatMul. */
  readonly qdqStatic: KernelSpeed;
  readonly fp16: KernelSpeed;
  /** Where the facts come from, shown to the user. */
  readonly basis: string;
}

const CPU: KernelFacts = {
  convInteger: 'slow', dynamicMatMul: 'fast', qdqStatic: 'fast', fp16: 'slow',
  basis: 'onnxruntime CPU on x86 (measured: ConvInteger CNNs 5–9× slower; DynamicQuantizeMatMul transformer 1.7–2.5× faster; QDQ ResNet-18 1.7× faster; fp16 1.3× slower)',
};
const GPU: KernelFacts = {
  convInteger: 'slow', dynamicMatMul: 'unknown', qdqStatic: 'unknown', fp16: 'fast',
  basis: 'GPU runtimes run fp16 on tensor cores; int8 needs TensorRT-style engines (not measured here)',
};
const INTEGER_ACCELERATOR: KernelFacts = {
  convInteger: 'slow', dynamicMatMul: 'slow', qdqStatic: 'fast', fp16: 'unknown',
  basis: 'NPUs, edge accelerators and microcontrollers run full-integer (static) graphs; dynamic quantization falls back to the CPU (not measured here)',
};

export function kernelFacts(profile: Pick<HardwareProfile, 'kind'> | { readonly kind: ProfileKind }): KernelFacts {
  switch (profile.kind) {
    case 'cpu': return CPU;
    case 'gpu': case 'embedded-gpu': return GPU;
    case 'mcu': case 'mobile-npu': case 'edge-accelerator': case 'dataflow-asic': return INTEGER_ACCELERATOR;
    default: return { convInteger: 'unknown', dynamicMatMul: 'unknown', qdqStatic: 'unknown', fp16: 'unknown', basis: `no kernel facts for ${profile.kind} targets` };
  }
}

/** Share of the stored linear-layer weights that belong to Conv layers (0 for a transformer). */
export function convWeightShare(wm: WorkingModel): number {
  let conv = 0;
  let all = 0;
  for (const n of wm.nodes) {
    if (n.domain !== '' || !['Conv', 'MatMul', 'Gemm'].includes(n.opType)) continue;
    const info = wm.initializerInfo(n.inputs[1] ?? '');
    if (!info) continue;
    const size = info.dims.reduce((a, b) => a * b, 1);
    all += size;
    if (n.opType === 'Conv') conv += size;
  }
  return all === 0 ? 0 : conv / all;
}

/** What a mode is expected to do to latency on the target, for a model with this Conv share. */
export function expectedSpeed(mode: QuantizeMode, convShare: number, facts: KernelFacts): KernelSpeed {
  switch (mode) {
    case 'int8-static': return facts.qdqStatic;
    case 'fp16': return facts.fp16;
    case 'int4': return convShare >= 0.5 ? 'unknown' : facts.dynamicMatMul;
    case 'int8-dynamic':
      if (convShare > 0 && facts.convInteger === 'slow') return 'slow';
      return facts.dynamicMatMul;
  }
}

export interface ModeRecommendation {
  readonly mode: QuantizeMode;
  readonly expected: KernelSpeed;
  readonly reason: string;
}

/**
 * The int8/fp16 mode the target rewards: CNNs get int8-static where QDQ kernels are fast (ConvInteger
 * is not); transformers get int8-dynamic where its MatMul kernel is fast (no calibration needed);
 * GPUs get fp16.
 */
export function recommendQuantizeMode(convShare: number, facts: KernelFacts): ModeRecommendation {
  const conv = convShare >= 0.5;
  if (facts.fp16 === 'fast' && facts.qdqStatic !== 'fast') return { mode: 'fp16', expected: 'fast', reason: `fp16 runs fast on this target: ${facts.basis}` };
  if (!conv && facts.dynamicMatMul === 'fast') {
    return { mode: 'int8-dynamic', expected: 'fast', reason: `mostly MatMul/Gemm weights: int8 dynamic needs no calibration and its kernel is fast here (${facts.basis})` };
  }
  if (facts.qdqStatic === 'fast') {
    const why = conv && facts.convInteger === 'slow' ? ', while int8 dynamic would run Conv as the slow ConvInteger' : '';
    return { mode: 'int8-static', expected: 'fast', reason: `${conv ? 'mostly Conv weights' : 'int8 static'}: QDQ static kernels are fast here${why} (${facts.basis})` };
  }
  return { mode: 'int8-static', expected: 'unknown', reason: `no measured kernel facts favour a mode on this target (${facts.basis}); int8 static is the most widely accelerated` };
}

/** Whether a measured speed-up kept the promise `expected` made; undefined when nothing was promised. */
export function promiseHeld(expected: KernelSpeed, speedup: number): boolean | undefined {
  if (expected === 'fast') return speedup > 1.05;
  if (expected === 'slow') return speedup < 0.95;
  return undefined;
}
