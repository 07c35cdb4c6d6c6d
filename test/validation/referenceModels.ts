/**
 * Reference networks of the validation rows, built with the project's ONNX builder (random weights;
 * only shapes matter). MLPerf Tiny v1.0 reference models as defined in mlcommons/tiny
 * (benchmark/training/*): DS-CNN keyword spotting, MobileNetV1-0.25 visual wake words, ResNet-8
 * CIFAR-10 and the FC autoencoder of anomaly detection; and AlexNet's five convolutions for Eyeriss.
 */
import { OnnxBuilder } from '../../src/core/onnx/builder';

class Net {
  readonly b: OnnxBuilder;
  private n = 0;
  constructor(name: string) {
    this.b = new OnnxBuilder({ opset: 17, seed: 1, producer: 'joule-validation', graphName: name });
  }

  private id(kind: string): string {
    return `${kind}_${this.n++}`;
  }

  /** Conv with 'same' padding (TensorFlow), optional groups, followed by BatchNorm and ReLU. */
  conv(x: string, cin: number, cout: number, kernel: readonly [number, number], stride = 1, options: { groups?: number; relu?: boolean; bn?: boolean } = {}): string {
    const groups = options.groups ?? 1;
    const name = this.id('conv');
    const w = this.b.weight(`${name}.weight`, [cout, cin / groups, kernel[0], kernel[1]]);
    const bias = this.b.weight(`${name}.bias`, [cout]);
    const [ph, pw] = [Math.floor((kernel[0] - 1) / 2), Math.floor((kernel[1] - 1) / 2)];
    const [qh, qw] = [kernel[0] - 1 - ph, kernel[1] - 1 - pw];
    let [y] = this.b.node('Conv', [x, w, bias], { group: groups, kernel_shape: [...kernel], pads: [ph, pw, qh, qw], strides: [stride, stride] }, { name });
    if (options.bn !== false) y = this.bn(y!, cout);
    if (options.relu !== false) [y] = this.b.node('Relu', [y!], {}, { name: this.id('relu') });
    return y!;
  }

  bn(x: string, channels: number): string {
    const name = this.id('bn');
    const ones = new Float32Array(channels).fill(1);
    const zeros = new Float32Array(channels);
    const [y] = this.b.node('BatchNormalization', [x, this.b.weight(`${name}.s`, [channels], ones), this.b.weight(`${name}.b`, [channels], zeros),
      this.b.weight(`${name}.m`, [channels], zeros), this.b.weight(`${name}.v`, [channels], ones)], { epsilon: 1e-3 }, { name });
    return y!;
  }

  dense(x: string, inF: number, outF: number, relu: boolean): string {
    const name = this.id('dense');
    let [y] = this.b.node('Gemm', [x, this.b.weight(`${name}.weight`, [outF, inF]), this.b.weight(`${name}.bias`, [outF])], { transB: 1 }, { name });
    if (relu) [y] = this.b.node('Relu', [y!], {}, { name: this.id('relu') });
    return y!;
  }

  head(x: string, features: number, classes: number): string {
    const [pooled] = this.b.node('GlobalAveragePool', [x], {}, { name: this.id('pool') });
    const [flat] = this.b.node('Flatten', [pooled!], { axis: 1 }, { name: this.id('flatten') });
    return this.dense(flat!, features, classes, false);
  }
}

/** DS-CNN (keyword spotting): 49×10 MFCC input, a 10×4 stride-2 conv, four depthwise-separable blocks of 64. */
export function buildDsCnn(): OnnxBuilder {
  const net = new Net('ds_cnn');
  let y = net.b.input('mfcc', 'float32', [1, 1, 49, 10]);
  y = net.conv(y, 1, 64, [10, 4], 2);
  for (let i = 0; i < 4; i++) {
    y = net.conv(y, 64, 64, [3, 3], 1, { groups: 64 });
    y = net.conv(y, 64, 64, [1, 1]);
  }
  net.b.output(net.head(y, 64, 12), 'float32', [1, 12]);
  return net.b;
}

/** MobileNetV1 with width 0.25 on 96×96 RGB (visual wake words, 2 classes). */
export function buildMobileNetV1Vww(): OnnxBuilder {
  const net = new Net('mobilenet_v1_025');
  let y = net.b.input('image', 'float32', [1, 3, 96, 96]);
  y = net.conv(y, 3, 8, [3, 3], 2);
  const blocks: readonly [number, number][] = [[16, 1], [32, 2], [32, 1], [64, 2], [64, 1], [128, 2], [128, 1], [128, 1], [128, 1], [128, 1], [128, 1], [256, 2], [256, 1]];
  let c = 8;
  for (const [cout, stride] of blocks) {
    y = net.conv(y, c, c, [3, 3], stride, { groups: c });
    y = net.conv(y, c, cout, [1, 1]);
    c = cout;
  }
  net.b.output(net.head(y, 256, 2), 'float32', [1, 2]);
  return net.b;
}

/** ResNet-8 for CIFAR-10: a 16-channel stem and three residual stacks of 16, 32 and 64 channels. */
export function buildResNet8(): OnnxBuilder {
  const net = new Net('resnet8');
  let y = net.b.input('image', 'float32', [1, 3, 32, 32]);
  y = net.conv(y, 3, 16, [3, 3]);
  let c = 16;
  for (const [cout, stride] of [[16, 1], [32, 2], [64, 2]] as const) {
    const a = net.conv(y, c, cout, [3, 3], stride);
    const bb = net.conv(a, cout, cout, [3, 3], 1, { relu: false });
    const shortcut = stride === 1 && c === cout ? y : net.conv(y, c, cout, [1, 1], stride, { relu: false, bn: false });
    const [sum] = net.b.node('Add', [bb, shortcut], {}, { name: `add_${cout}` });
    y = net.b.node('Relu', [sum!], {}, { name: `relu_${cout}` })[0]!;
    c = cout;
  }
  net.b.output(net.head(y, 64, 10), 'float32', [1, 10]);
  return net.b;
}

/** FC autoencoder (anomaly detection): 640 -> 4×128 -> 8 -> 4×128 -> 640, BatchNorm + ReLU between. */
export function buildFcAutoencoder(): OnnxBuilder {
  const net = new Net('fc_autoencoder');
  let y = net.b.input('spectrogram', 'float32', [1, 640]);
  const widths = [128, 128, 128, 128, 8, 128, 128, 128, 128];
  let f = 640;
  for (const w of widths) {
    y = net.dense(y, f, w, false);
    const [r] = net.b.node('Relu', [net.bn(y, w)], {}, { name: `relu_fc_${f}_${w}` });
    y = r!;
    f = w;
  }
  net.b.output(net.dense(y, f, 640, false), 'float32', [1, 640]);
  return net.b;
}

/** AlexNet's five convolutions (227×227 input, as Eyeriss runs them), with ReLU and max pooling. */
export function buildAlexNetConvs(batch: number): OnnxBuilder {
  const net = new Net('alexnet_conv');
  let y = net.b.input('image', 'float32', [batch, 3, 227, 227]);
  const pool = (x: string): string => net.b.node('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2] }, { name: `pool_${x}` })[0]!;
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, pad: number, groups = 1): string => {
    const name = `conv_${cout}_${cin}_${k}`;
    const [c] = net.b.node('Conv', [x, net.b.weight(`${name}.w`, [cout, cin / groups, k, k]), net.b.weight(`${name}.b`, [cout])],
      { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad], group: groups }, { name });
    return net.b.node('Relu', [c!], {}, { name: `${name}_relu` })[0]!;
  };
  y = pool(conv(y, 3, 96, 11, 4, 0));
  y = pool(conv(y, 96, 256, 5, 1, 2, 2));
  y = conv(y, 256, 384, 3, 1, 1);
  y = conv(y, 384, 384, 3, 1, 1, 2);
  y = pool(conv(y, 384, 256, 3, 1, 1, 2));
  net.b.output(y, 'float32', [batch, 256, 6, 6]);
  return net.b;
}
