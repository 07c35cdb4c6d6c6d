/** Tiny models built with the project's builder for transform tests (kept small: tests stay fast). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxBuilder } from '../../../src/core/onnx/builder';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'joule-transform-'));
}

/** Conv-BN-Relu -> depthwise Conv-Relu -> Conv-Relu -> GlobalAveragePool -> Flatten -> Gemm (10 classes). */
export function buildCnn(file: string, options: { channels?: number; size?: number; residual?: boolean } = {}): string {
  const c = options.channels ?? 16;
  const s = options.size ?? 8;
  const b = new OnnxBuilder({ opset: 17, seed: 3 });
  b.input('image', 'float32', ['batch', 3, s, s]);
  b.weight('conv1.weight', [c, 3, 3, 3]);
  b.weight('conv1.bias', [c]);
  const [c1] = b.node('Conv', ['image', 'conv1.weight', 'conv1.bias'], { pads: [1, 1, 1, 1] }, { name: 'conv1' });
  b.weight('bn.scale', [c], Float32Array.from({ length: c }, (_, i) => 1 + i / c));
  b.weight('bn.bias', [c], Float32Array.from({ length: c }, (_, i) => (i % 3) / 10));
  b.weight('bn.mean', [c], Float32Array.from({ length: c }, (_, i) => (i % 5) / 20));
  b.weight('bn.var', [c], Float32Array.from({ length: c }, (_, i) => 1 + (i % 4) / 4));
  const [bn] = b.node('BatchNormalization', [c1!, 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'], {}, { name: 'bn' });
  const [r1] = b.node('Relu', [bn!], {}, { name: 'relu1' });
  b.weight('dw.weight', [c, 1, 3, 3]);
  const [dw] = b.node('Conv', [r1!, 'dw.weight'], { pads: [1, 1, 1, 1], group: c }, { name: 'dw' });
  const [r2] = b.node('Relu', [dw!], {}, { name: 'relu2' });
  b.weight('conv2.weight', [2 * c, c, 3, 3]);
  b.weight('conv2.bias', [2 * c]);
  const [c2] = b.node('Conv', [r2!, 'conv2.weight', 'conv2.bias'], { pads: [1, 1, 1, 1] }, { name: 'conv2' });
  let feat = b.node('Relu', [c2!], {}, { name: 'relu3' })[0]!;
  if (options.residual) {
    b.weight('conv3.weight', [2 * c, 2 * c, 1, 1]);
    const [c3] = b.node('Conv', [feat, 'conv3.weight'], {}, { name: 'conv3' });
    feat = b.node('Add', [c3!, feat], {}, { name: 'residual' })[0]!;
  }
  const [gap] = b.node('GlobalAveragePool', [feat], {}, { name: 'gap' });
  const [flat] = b.node('Flatten', [gap!], { axis: 1 }, { name: 'flatten' });
  b.weight('fc.weight', [10, 2 * c]);
  b.weight('fc.bias', [10]);
  const [logits] = b.node('Gemm', [flat!, 'fc.weight', 'fc.bias'], { transB: 1 }, { name: 'fc' });
  b.output(logits!, 'float32', ['batch', 10]);
  b.save(file);
  return file;
}

/** One encoder-like block: x + MLP(LayerNorm(x)), MLP = MatMul-Add-Relu-MatMul-Add, then a head MatMul. */
export function buildMlpBlock(file: string, options: { d?: number; hidden?: number; seq?: number } = {}): string {
  const d = options.d ?? 64;
  const h = options.hidden ?? 128;
  const b = new OnnxBuilder({ opset: 17, seed: 5 });
  b.input('x', 'float32', ['batch', options.seq ?? 4, d]);
  b.weight('ln.scale', [d], new Float32Array(d).fill(1));
  b.weight('ln.bias', [d], new Float32Array(d));
  const [ln] = b.node('LayerNormalization', ['x', 'ln.scale', 'ln.bias'], { axis: -1 }, { name: 'ln' });
  b.weight('fc1.weight', [d, h]);
  b.weight('fc1.bias', [h]);
  const [m1] = b.node('MatMul', [ln!, 'fc1.weight'], {}, { name: 'fc1' });
  const [a1] = b.node('Add', [m1!, 'fc1.bias'], {}, { name: 'fc1_bias' });
  const [act] = b.node('Relu', [a1!], {}, { name: 'act' });
  b.weight('fc2.weight', [h, d]);
  b.weight('fc2.bias', [d]);
  const [m2] = b.node('MatMul', [act!, 'fc2.weight'], {}, { name: 'fc2' });
  const [a2] = b.node('Add', [m2!, 'fc2.bias'], {}, { name: 'fc2_bias' });
  const [res] = b.node('Add', ['x', a2!], {}, { name: 'residual' });
  b.weight('head.weight', [d, 32]);
  const [y] = b.node('MatMul', [res!, 'head.weight'], {}, { name: 'head' });
  b.output(y!, 'float32', ['batch', options.seq ?? 4, 32]);
  b.save(file);
  return file;
}

/**
 * A MobileNetV2-style inverted residual as torch exports it at opset ≥ 11: stem Conv-ReLU6, then
 * expand 1×1 → ReLU6 → depthwise 3×3 → ReLU6 → project 1×1 added to the stem's output, pooled into a
 * Gemm. ReLU6 is Clip with bounds from Constant nodes. With `fixedInput`, the residual adds the graph
 * input instead, whose channels cannot shrink.
 */
export function buildInvertedResidual(file: string, options: { fixedInput?: boolean } = {}): string {
  const c = 16;
  const b = new OnnxBuilder({ opset: 17, seed: 7 });
  b.input('image', 'float32', ['batch', options.fixedInput ? c : 3, 8, 8]);
  let clips = 0;
  const relu6 = (x: string): string => {
    const i = clips++;
    const [lo] = b.node('Constant', [], { value: { tensor: { dims: [], values: Float32Array.of(0) } } }, { name: `clip${i}_min` });
    const [hi] = b.node('Constant', [], { value: { tensor: { dims: [], values: Float32Array.of(6) } } }, { name: `clip${i}_max` });
    return b.node('Clip', [x, lo!, hi!], {}, { name: `clip${i}` })[0]!;
  };
  let stem = 'image';
  if (!options.fixedInput) {
    b.weight('stem.weight', [c, 3, 3, 3]);
    b.weight('stem.bias', [c]);
    stem = relu6(b.node('Conv', ['image', 'stem.weight', 'stem.bias'], { pads: [1, 1, 1, 1] }, { name: 'stem' })[0]!);
  }
  b.weight('expand.weight', [4 * c, c, 1, 1]);
  const e = relu6(b.node('Conv', [stem, 'expand.weight'], {}, { name: 'expand' })[0]!);
  b.weight('dw.weight', [4 * c, 1, 3, 3]);
  const d = relu6(b.node('Conv', [e, 'dw.weight'], { pads: [1, 1, 1, 1], group: 4 * c }, { name: 'dw' })[0]!);
  b.weight('project.weight', [c, 4 * c, 1, 1]);
  b.weight('project.bias', [c]);
  const [p] = b.node('Conv', [d, 'project.weight', 'project.bias'], {}, { name: 'project' });
  const [sum] = b.node('Add', [stem, p!], {}, { name: 'residual' });
  const [gap] = b.node('GlobalAveragePool', [sum!], {}, { name: 'gap' });
  const [flat] = b.node('Flatten', [gap!], { axis: 1 }, { name: 'flatten' });
  b.weight('fc.weight', [10, c]);
  b.weight('fc.bias', [10]);
  const [logits] = b.node('Gemm', [flat!, 'fc.weight', 'fc.bias'], { transB: 1 }, { name: 'fc' });
  b.output(logits!, 'float32', ['batch', 10]);
  b.save(file);
  return file;
}

/** A float32 .npy v1 file as numpy writes it. */
export function npyFloat32(dims: readonly number[], values: ArrayLike<number>): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.from(values).buffer)]);
}

/**
 * Two Conv-Relu branches (8 channels each) concatenated on channels, or with `fixedPart` the image
 * itself and one branch, then Conv 1×1 → BatchNorm → Relu → GlobalAveragePool → Flatten → Gemm.
 */
export function buildConcatBranches(file: string, options: { fixedPart?: boolean } = {}): string {
  const b = new OnnxBuilder({ opset: 17, seed: 11 });
  b.input('image', 'float32', ['batch', 3, 8, 8]);
  const branch = (name: string): string => {
    b.weight(`${name}.weight`, [8, 3, 3, 3]);
    b.weight(`${name}.bias`, [8]);
    const [c] = b.node('Conv', ['image', `${name}.weight`, `${name}.bias`], { pads: [1, 1, 1, 1] }, { name });
    return b.node('Relu', [c!], {}, { name: `${name}_relu` })[0]!;
  };
  const a = branch('left');
  const second = options.fixedPart ? 'image' : branch('right');
  const [cat] = b.node('Concat', [a, second], { axis: 1 }, { name: 'concat' });
  const width = options.fixedPart ? 11 : 16;
  b.weight('mix.weight', [12, width, 1, 1]);
  const [mix] = b.node('Conv', [cat!, 'mix.weight'], {}, { name: 'mix' });
  b.weight('bn.scale', [12], new Float32Array(12).fill(1));
  b.weight('bn.bias', [12], new Float32Array(12));
  b.weight('bn.mean', [12], new Float32Array(12));
  b.weight('bn.var', [12], new Float32Array(12).fill(1));
  const [bn] = b.node('BatchNormalization', [mix!, 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'], {}, { name: 'bn' });
  const [r] = b.node('Relu', [bn!], {}, { name: 'mix_relu' });
  const [gap] = b.node('GlobalAveragePool', [r!], {}, { name: 'gap' });
  const [flat] = b.node('Flatten', [gap!], { axis: 1 }, { name: 'flatten' });
  b.weight('fc.weight', [10, 12]);
  const [logits] = b.node('Gemm', [flat!, 'fc.weight'], { transB: 1 }, { name: 'fc' });
  b.output(logits!, 'float32', ['batch', 10]);
  b.save(file);
  return file;
}
