/** torchvision MobileNetV2 (width 1.0): inverted residuals with ReLU6, random weights. */
import { OnnxBuilder } from '../onnx/builder';
import { type ImageModelOptions, imageInput } from './options';
import { TorchvisionLayers } from './torchvisionLayers';

/** (expansion t, output channels c, repeats n, first stride s), torchvision's table. */
const INVERTED_RESIDUAL_SETTINGS: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

/** Conv2dNormActivation: conv, BatchNorm, ReLU6 under `features.i` numbering. */
function convBnRelu6(t: TorchvisionLayers, prefix: string, x: string, inC: number, outC: number, kernel: number, stride: number, groups = 1): string {
  const c = t.conv(`${prefix}.0`, x, inC, outC, kernel, { stride, groups });
  return t.relu6(`${prefix}.2`, t.batchNorm(`${prefix}.1`, c, outC));
}

function invertedResidual(t: TorchvisionLayers, name: string, x: string, inC: number, outC: number, stride: number, expand: number): string {
  const hidden = inC * expand;
  let y = x;
  let i = 0;
  if (expand !== 1) y = convBnRelu6(t, `${name}.conv.${i++}`, y, inC, hidden, 1, 1);
  y = convBnRelu6(t, `${name}.conv.${i++}`, y, hidden, hidden, 3, stride, hidden);
  y = t.conv(`${name}.conv.${i++}`, y, hidden, outC, 1);
  y = t.batchNorm(`${name}.conv.${i}`, y, outC);
  return stride === 1 && inC === outC ? t.add(name, x, y) : y;
}

/** torchvision.models.mobilenet_v2 layout (0.30 GMACs at 224×224). */
export function buildMobileNetV2(options: ImageModelOptions = {}): OnnxBuilder {
  const b = new OnnxBuilder({ opset: options.opset ?? 17, seed: options.seed ?? 1, producer: 'joule-examples', graphName: 'mobilenet_v2' });
  const t = new TorchvisionLayers(b);
  const x = imageInput(b, options, options.imageSize ?? 224);
  let y = convBnRelu6(t, 'features.0', x, 3, 32, 3, 2);
  let channels = 32;
  let index = 1;
  for (const [expand, outC, repeats, firstStride] of INVERTED_RESIDUAL_SETTINGS) {
    for (let i = 0; i < repeats; i++) {
      y = invertedResidual(t, `features.${index++}`, y, channels, outC, i === 0 ? firstStride : 1, expand);
      channels = outC;
    }
  }
  y = convBnRelu6(t, `features.${index}`, y, channels, 1280, 1, 1);
  const classes = options.classes ?? 1000;
  // Dropout of the classifier disappears in an eval-mode export.
  const logits = t.classifier('classifier.1', y, 1280, classes, 'logits');
  b.output(logits, 'float32', [options.batch ?? 1, classes]);
  return b;
}
