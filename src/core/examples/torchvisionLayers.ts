/**
 * Layer helpers that emit ONNX nodes the way torch.onnx.export writes torchvision modules (eval mode,
 * BatchNormalization kept as its own node): node names `/layer1/layer1.0/conv1/Conv`, weights named
 * after the module's state dict (`layer1.0.conv1.weight`).
 */
import type { OnnxBuilder } from '../onnx/builder';

export class TorchvisionLayers {
  constructor(readonly b: OnnxBuilder) {}

  /** `/a/a.b/c` style scope of a module path `a.b.c`. */
  private scope(module: string): string {
    const parts = module.split('.');
    const scopes: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      // torch names nested children by their full dotted prefix when the parent is a container.
      scopes.push(/^\d+$/.test(parts[i]!) ? parts.slice(0, i + 1).join('.') : parts[i]!);
    }
    return `/${scopes.join('/')}`;
  }

  conv(module: string, x: string, inChannels: number, outChannels: number, kernel: number,
    options: { stride?: number; groups?: number; bias?: boolean } = {}): string {
    const stride = options.stride ?? 1;
    const groups = options.groups ?? 1;
    const pad = Math.floor(kernel / 2);
    const inputs = [x, this.b.weight(`${module}.weight`, [outChannels, inChannels / groups, kernel, kernel])];
    if (options.bias) inputs.push(this.b.weight(`${module}.bias`, [outChannels]));
    const [y] = this.b.node('Conv', inputs, {
      dilations: [1, 1], group: groups, kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride],
    }, { name: `${this.scope(module)}/Conv` });
    return y!;
  }

  batchNorm(module: string, x: string, channels: number): string {
    const ones = new Float32Array(channels).fill(1);
    const zeros = new Float32Array(channels);
    const [y] = this.b.node('BatchNormalization', [
      x,
      this.b.weight(`${module}.weight`, [channels], ones),
      this.b.weight(`${module}.bias`, [channels], zeros),
      this.b.weight(`${module}.running_mean`, [channels], zeros),
      this.b.weight(`${module}.running_var`, [channels], ones),
    ], { epsilon: 1e-5, momentum: 0.9 }, { name: `${this.scope(module)}/BatchNormalization` });
    return y!;
  }

  relu(module: string, x: string): string {
    const [y] = this.b.node('Relu', [x], {}, { name: `${this.scope(module)}/Relu` });
    return y!;
  }

  /** ReLU6 as torch exports it at opset ≥ 11: Clip with scalar min/max inputs. */
  relu6(module: string, x: string): string {
    const min = this.b.scalar(`${module}.clip_min`, 0);
    const max = this.b.scalar(`${module}.clip_max`, 6);
    const [y] = this.b.node('Clip', [x, min, max], {}, { name: `${this.scope(module)}/Clip` });
    return y!;
  }

  add(module: string, a: string, c: string): string {
    const [y] = this.b.node('Add', [a, c], {}, { name: `${this.scope(module)}/Add` });
    return y!;
  }

  maxPool(module: string, x: string, kernel: number, stride: number, pad: number): string {
    const [y] = this.b.node('MaxPool', [x], {
      ceil_mode: 0, dilations: [1, 1], kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride],
    }, { name: `${this.scope(module)}/MaxPool` });
    return y!;
  }

  /** Global average pool, flatten and the final Linear (Gemm with transB, as exported). */
  classifier(module: string, x: string, features: number, classes: number, output: string): string {
    const [pooled] = this.b.node('GlobalAveragePool', [x], {}, { name: '/avgpool/GlobalAveragePool' });
    const [flat] = this.b.node('Flatten', [pooled!], { axis: 1 }, { name: '/Flatten' });
    const [y] = this.b.node('Gemm', [flat!, this.b.weight(`${module}.weight`, [classes, features]), this.b.weight(`${module}.bias`, [classes])],
      { alpha: 1, beta: 1, transB: 1 }, { name: `${this.scope(module)}/Gemm`, outputs: [output] });
    return y!;
  }
}
