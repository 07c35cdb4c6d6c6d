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
