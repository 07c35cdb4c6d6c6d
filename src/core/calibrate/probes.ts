/**
 * The micro-benchmarks `joule calibrate` runs: one-operator ONNX models built with the project's own
 * builder, each sized to measure one property of the machine (a kernel class's throughput, the
 * bandwidth of a memory level, the fixed cost of one operator). Each probe says how much work one run
 * does, so a measured latency becomes a rate.
 */
import { OnnxBuilder } from '../onnx/builder';

export type ProbeId =
  | 'gemm-fp32' | 'gemm-int8' | 'conv-fp32' | 'conv-int8' | 'depthwise-fp32'
  | 'copy-cache' | 'copy-llc' | 'copy-dram' | 'overhead-1' | 'overhead-256';

export interface Probe {
  readonly id: ProbeId;
  readonly what: string;
  readonly model: OnnxBuilder;
  /** Multiply-accumulates of one run (matrix probes). */
  readonly macs: number;
  /** Bytes read and written by one run (bandwidth probes). */
  readonly bytes: number;
  /** Elementwise operations of one run. */
  readonly elementOps: number;
  /** The matrix shape the cost rules see for this probe (to undo the estimator's shape factor). */
  readonly gemm?: { readonly m: number; readonly n: number; readonly k: number; readonly batch: number };
}

/** Working-set sizes (bytes) the bandwidth probes are built for, from the machine's cache sizes. */
export interface ProbeSizes {
  readonly cacheBytes: number;
  readonly llcBytes: number;
  readonly dramBytes: number;
  /** 1 for the real calibration; smaller for a quick check (tests), shrinking the matrix probes. */
  readonly scale: number;
}

function matMul(id: ProbeId, what: string, m: number, k: number, n: number, int8: boolean): Probe {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', int8 ? 'uint8' : 'float32', [m, k]);
  const w = b.weight('w', [k, n], int8 ? { dataType: 'int8' } : undefined);
  const [y] = b.node(int8 ? 'MatMulInteger' : 'MatMul', [x, w], {});
  b.output(y!, int8 ? 'int32' : 'float32', [m, n]);
  return { id, what, model: b, macs: m * k * n, bytes: 0, elementOps: 0, gemm: { m, n, k, batch: 1 } };
}

function conv(id: ProbeId, what: string, channels: number, size: number, options: { depthwise?: boolean; int8?: boolean }): Probe {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', options.int8 ? 'uint8' : 'float32', [1, channels, size, size]);
  const group = options.depthwise ? channels : 1;
  const w = b.weight('w', [channels, channels / group, 3, 3], options.int8 ? { dataType: 'int8' } : undefined);
  const [y] = b.node(options.int8 ? 'ConvInteger' : 'Conv', [x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group });
  b.output(y!, options.int8 ? 'int32' : 'float32', [1, channels, size, size]);
  const gemm = { m: size * size, n: channels / group, k: (channels / group) * 9, batch: group };
  return { id, what, model: b, macs: size * size * channels * (channels / group) * 9, bytes: 0, elementOps: 0, gemm };
}

/**
 * t = W + x, y = max(t) over a weight W of about `bytes / 2`: W and t (the working set) never cross the
 * JavaScript binding, which copies inputs and outputs. Reads W, writes t, reads t: 12 bytes and two
 * ops per element, in two kernels.
 */
function stream(id: ProbeId, what: string, bytes: number): Probe {
  const elements = Math.max(1024, Math.floor(bytes / 8 / 1024) * 1024);
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', [1]);
  const [t] = b.node('Add', [b.weight('w', [elements]), x], {});
  const [y] = b.node('ReduceMax', [t!], { keepdims: 0 });
  b.output(y!, 'float32', []);
  return { id, what, model: b, macs: 0, bytes: elements * 12, elementOps: elements * 2 };
}

/** A chain of `count` Adds of a constant on 8 values: its time is almost all per-operator overhead. */
function chain(id: ProbeId, count: number): Probe {
  const b = new OnnxBuilder({ opset: 17 });
  let x = b.input('x', 'float32', [8]);
  const one = b.scalar('one', 1);
  for (let i = 0; i < count; i++) [x] = b.node('Add', [x, one], {}, { name: `add${i}` }) as [string];
  b.output(x, 'float32', [8]);
  return { id, what: `${count} tiny operators`, model: b, macs: 0, bytes: 0, elementOps: count * 8 };
}

export function buildProbes(sizes: ProbeSizes): Probe[] {
  const s = (n: number, min: number): number => Math.max(min, Math.round(n * sizes.scale));
  const m = s(512, 16);
  const k = s(1024, 32);
  const spatial = s(56, 8);
  return [
    matMul('gemm-fp32', `fp32 GEMM ${m}×${k}×${k} (MatMul)`, m, k, k, false),
    matMul('gemm-int8', `int8 GEMM ${m}×${k}×${k} (MatMulInteger)`, m, k, k, true),
    conv('conv-fp32', `fp32 3×3 convolution, 64 channels, ${spatial}×${spatial}`, 64, spatial, {}),
    conv('conv-int8', `int8 3×3 convolution, 64 channels, ${spatial}×${spatial} (ConvInteger)`, 64, spatial, { int8: true }),
    conv('depthwise-fp32', `fp32 3×3 depthwise convolution, 256 channels, ${spatial}×${spatial}`, 256, spatial, { depthwise: true }),
    stream('copy-cache', 'elementwise Add + ReduceMax, working set in the core cache', sizes.cacheBytes),
    stream('copy-llc', 'elementwise Add + ReduceMax, working set in the last-level cache', sizes.llcBytes),
    stream('copy-dram', 'elementwise Add + ReduceMax, working set in DRAM', sizes.dramBytes),
    chain('overhead-1', 1),
    chain('overhead-256', 256),
  ];
}
