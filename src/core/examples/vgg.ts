/** torchvision VGG-16 (configuration D, no batch norm), random weights: the classic large-weight CNN. */
import { OnnxBuilder } from '../onnx/builder';
import type { ImageModelOptions } from './options';
import { imageInput } from './options';
import { TorchvisionLayers } from './torchvisionLayers';

/** Output channels of each 3×3 convolution; 'M' is a 2×2 max pool. */
const VGG16_FEATURES: readonly (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * torchvision.models.vgg16 as torch.onnx exports it in eval mode (15.47 GMACs, 138.4 M parameters at
 * 224×224): `features.N` convolutions with bias and ReLU, the 7×7 adaptive average pool as a 1×1
 * AveragePool, Flatten, and `classifier.0/3/6` Linear layers (Dropout is gone in eval mode).
 */
export function buildVgg16(options: ImageModelOptions = {}): OnnxBuilder {
  const b = new OnnxBuilder({ opset: options.opset ?? 17, seed: options.seed ?? 1, producer: 'joule-examples', graphName: 'vgg16' });
  const t = new TorchvisionLayers(b);
  const size = options.imageSize ?? 224;
  let y = imageInput(b, options, size);
  let channels = 3;
  VGG16_FEATURES.forEach((entry, i) => {
    if (entry === 'M') {
      y = t.maxPool(`features.${i}`, y, 2, 2, 0);
      return;
    }
    y = t.relu(`features.${i + 1}`, t.conv(`features.${i}`, y, channels, entry, 3, { bias: true }));
    channels = entry;
  });
  y = b.node('AveragePool', [y], { kernel_shape: [1, 1], strides: [1, 1] }, { name: '/avgpool/AveragePool' })[0]!;
  y = b.node('Flatten', [y], { axis: 1 }, { name: '/Flatten' })[0]!;
  const classes = options.classes ?? 1000;
  const linear = (module: string, x: string, inputs: number, outputs: number, output?: string): string =>
    b.node('Gemm', [x, b.weight(`${module}.weight`, [outputs, inputs]), b.weight(`${module}.bias`, [outputs])],
      { alpha: 1, beta: 1, transB: 1 }, { name: `/classifier/${module}/Gemm`, ...(output === undefined ? {} : { outputs: [output] }) })[0]!;
  y = t.relu('classifier.1', linear('classifier.0', y, channels * 7 * 7, 4096));
  y = t.relu('classifier.4', linear('classifier.3', y, 4096, 4096));
  const logits = linear('classifier.6', y, 4096, classes, 'logits');
  b.output(logits, 'float32', [options.batch ?? 1, classes]);
  return b;
}
