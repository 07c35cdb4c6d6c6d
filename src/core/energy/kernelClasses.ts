/**
 * Kernel classes and the runtime that executes a profile's layers. Efficiency depends on the kind of
 * kernel, not one number per device: dense GEMMs and convolutions reach most of the matrix peak,
 * depthwise/grouped convolutions a small share (little reuse, poor vectorization), elementwise,
 * reduction and copy kernels are bandwidth-bound. Defaults per runtime are documented with their
 * sources in docs/energy-model.md ("Kernel classes"); a profile may override any of them.
 */
import type { OpCost } from '../cost/types';
import type { HardwareProfile } from './profileSchema';

export type KernelClass = 'gemm' | 'conv' | 'depthwise' | 'elementwise' | 'reduction' | 'copy' | 'none';

/** Which fusion rules and kernel library run the profile's layers. */
export type Runtime = 'cpu' | 'gpu' | 'mcu' | 'accelerator';

export function runtimeOf(profile: Pick<HardwareProfile, 'kind'>): Runtime {
  switch (profile.kind) {
    case 'cpu': return 'cpu';
    case 'gpu': case 'embedded-gpu': return 'gpu';
    case 'mcu': return 'mcu';
    default: return 'accelerator';
  }
}

/** Ops a runtime resolves at load time or as a view of its input: no kernel, no traffic. */
const FREE_OPS: ReadonlySet<string> = new Set([
  'Constant', 'Identity', 'Shape', 'Size', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Dropout',
  'SequenceEmpty', 'SequenceLength', 'Optional', 'OptionalHasElement', 'OptionalGetElement',
  // TFLite spellings (builtin operator names).
  'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'DEQUANTIZE_CONSTANT',
]);

const CONV_OPS: ReadonlySet<string> = new Set([
  'Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'FusedConv', 'NhwcConv',
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'TRANSPOSE_CONV', 'CONV_3D',
  // Layers of Python model code (torch.nn, keras.layers): run as the convolutions they export to.
  'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d',
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose',
  'DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D',
]);

const DEPTHWISE_OPS: ReadonlySet<string> = new Set(['DEPTHWISE_CONV_2D', 'DepthwiseConv1D', 'DepthwiseConv2D']);

const COPY_OPS: ReadonlySet<string> = new Set([
  'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'Pad', 'Tile', 'Expand',
  'DepthToSpace', 'SpaceToDepth', 'ScatterND', 'ScatterElements', 'Compress', 'ReverseSequence', 'Resize', 'Upsample',
  'TRANSPOSE', 'CONCATENATION', 'SPLIT', 'SLICE', 'STRIDED_SLICE', 'GATHER', 'PAD', 'TILE', 'RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR',
]);

const REDUCTION_OPS: ReadonlySet<string> = new Set([
  'Softmax', 'LogSoftmax', 'MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
  'LayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization', 'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'GroupNorm', 'LpNormalization',
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare',
  'ReduceLogSum', 'ReduceLogSumExp', 'ArgMax', 'ArgMin', 'CumSum', 'TopK',
  'SOFTMAX', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'MEAN', 'SUM', 'REDUCE_MAX',
]);

export interface ClassifiableLayer extends Pick<OpCost, 'macs' | 'gemm' | 'confidence'> {
  readonly opType: string;
  readonly activationInputs: readonly string[];
}

/**
 * The kernel class of one layer. A layer with no activation input computes on constants only: a
 * runtime folds it at load time (constant folding), so it runs no kernel.
 */
/** Shape-only and constant ops: they run no kernel, their output is a view of their input. */
export function isFreeOp(opType: string): boolean {
  return FREE_OPS.has(opType);
}

export function kernelClassOf(layer: ClassifiableLayer): KernelClass {
  if (FREE_OPS.has(layer.opType)) return 'none';
  if (layer.confidence !== 'unknown' && layer.activationInputs.length === 0) return 'none';
  if (CONV_OPS.has(layer.opType) && layer.gemm !== undefined) {
    // Depthwise and narrow grouped convolutions (few output channels per group) reuse little; AlexNet's
    // two groups of 48+ channels are ordinary dense convolutions.
    return DEPTHWISE_OPS.has(layer.opType) || (layer.gemm.batch > 1 && layer.gemm.n <= 16) ? 'depthwise' : 'conv';
  }
  if (layer.macs > 0) return 'gemm';
  if (COPY_OPS.has(layer.opType)) return 'copy';
  if (REDUCTION_OPS.has(layer.opType)) return 'reduction';
  return 'elementwise';
}

/**
 * Matrix efficiency of a kernel class relative to a large dense GEMM (the profile's
 * `efficiency.compute`), per runtime. Sources in docs/energy-model.md ("Kernel classes").
 */
const RELATIVE_EFFICIENCY: Readonly<Record<Runtime, Readonly<Record<'gemm' | 'conv' | 'depthwise', number>>>> = {
  // MLAS/oneDNN depthwise kernels run at ~5% of FMA peak against ~85% for dense conv (issue 12's
  // onnxruntime 1.30 measurements on an x86 core: depthwise est/measured 0.08 at 50% efficiency).
  cpu: { gemm: 1, conv: 1, depthwise: 0.3 },
  // cuDNN depthwise runs on CUDA cores, not tensor cores: a few % of the tensor-core peak.
  gpu: { gemm: 1, conv: 0.9, depthwise: 0.04 },
  // CMSIS-NN depthwise kernels reuse less of the im2col buffer than dense ones.
  mcu: { gemm: 1, conv: 1, depthwise: 0.6 },
  accelerator: { gemm: 1, conv: 1, depthwise: 0.2 },
};

interface Tile {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** Dimensions below these lose matrix efficiency (register blocks on CPUs, tensor-core tiles on GPUs). */
const TILE: Readonly<Record<Runtime, Tile>> = {
  cpu: { m: 2, n: 8, k: 8 },
  gpu: { m: 2, n: 32, k: 32 },
  mcu: { m: 1, n: 1, k: 2 },
  accelerator: { m: 8, n: 8, k: 8 },
};

/**
 * Convolutions where the runtime runs them with other kernels than its GEMM. onnxruntime's NCHWc
 * convolutions on CPUs block output channels, so few of them cost little; few output positions (a
 * 7×7 or 14×14 map: the kernel works an output row at a time, with per-row and edge-pixel costs) and
 * a short reduction (a 7×7×3 stem) cost the most. Fitted to per-kernel times of ResNet-18 and
 * MobileNetV2 on an x86 core, then checked on fresh runs (docs/energy-model.md).
 */
const CONV_TILE: Readonly<Partial<Record<Runtime, Tile>>> = {
  cpu: { m: 16, n: 1, k: 16 },
};

/** Shape factor of a GEMM (or a convolution's im2col GEMM): d / (d + tile) per dimension, so tiny m, n or k lose throughput. */
export function shapeFactor(gemm: NonNullable<OpCost['gemm']>, runtime: Runtime, kernelClass: 'gemm' | 'conv' = 'gemm'): number {
  const t = (kernelClass === 'conv' ? CONV_TILE[runtime] : undefined) ?? TILE[runtime];
  const f = (d: number, tile: number): number => (d <= 0 ? 1 : d / (d + tile));
  return f(gemm.m, t.m) * f(gemm.n, t.n) * f(gemm.k, t.k);
}

/**
 * Multiplier on the profile's compute efficiency for this layer's kernel (1 for non-matrix kernels).
 * A calibrated profile's measured `kernelEfficiency` replaces the runtime's default for its class.
 */
export function classEfficiency(kernelClass: KernelClass, gemm: OpCost['gemm'], runtime: Runtime, profile?: Pick<HardwareProfile, 'kernelEfficiency'>): number {
  if (kernelClass !== 'gemm' && kernelClass !== 'conv' && kernelClass !== 'depthwise') return 1;
  const measured = kernelClass === 'gemm' ? undefined : profile?.kernelEfficiency?.[kernelClass]?.value;
  const relative = measured ?? RELATIVE_EFFICIENCY[runtime][kernelClass];
  if (gemm === undefined || kernelClass === 'depthwise') return relative;
  return relative * shapeFactor(gemm, runtime, kernelClass);
}
