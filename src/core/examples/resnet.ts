/** torchvision ResNet-18 and ResNet-50 (v1.5: stride on the 3×3 conv of bottlenecks), random weights. */
import { OnnxBuilder } from '../onnx/builder';
import type { ImageModelOptions } from './options';
import { imageInput } from './options';
import { TorchvisionLayers } from './torchvisionLayers';

type BlockKind = 'basic' | 'bottleneck';

function basicBlock(t: TorchvisionLayers, name: string, x: string, inC: number, width: number, stride: number): string {
  let y = t.relu(`${name}.relu`, t.batchNorm(`${name}.bn1`, t.conv(`${name}.conv1`, x, inC, width, 3, { stride }), width));
  y = t.batchNorm(`${name}.bn2`, t.conv(`${name}.conv2`, y, width, width, 3), width);
  let identity = x;
  if (stride !== 1 || inC !== width) {
    identity = t.batchNorm(`${name}.downsample.1`, t.conv(`${name}.downsample.0`, x, inC, width, 1, { stride }), width);
  }
  return t.relu(`${name}.relu_1`, t.add(name, y, identity));
}

function bottleneck(t: TorchvisionLayers, name: string, x: string, inC: number, width: number, stride: number): string {
  const outC = width * 4;
  let y = t.relu(`${name}.relu`, t.batchNorm(`${name}.bn1`, t.conv(`${name}.conv1`, x, inC, width, 1), width));
  y = t.relu(`${name}.relu_1`, t.batchNorm(`${name}.bn2`, t.conv(`${name}.conv2`, y, width, width, 3, { stride }), width));
  y = t.batchNorm(`${name}.bn3`, t.conv(`${name}.conv3`, y, width, outC, 1), outC);
  let identity = x;
  if (stride !== 1 || inC !== outC) {
    identity = t.batchNorm(`${name}.downsample.1`, t.conv(`${name}.downsample.0`, x, inC, outC, 1, { stride }), outC);
  }
  return t.relu(`${name}.relu_2`, t.add(name, y, identity));
}

function buildResNet(kind: BlockKind, blocks: readonly number[], options: ImageModelOptions): OnnxBuilder {
  const b = new OnnxBuilder({ opset: options.opset ?? 17, seed: options.seed ?? 1, producer: 'joule-examples', graphName: `resnet` });
  const t = new TorchvisionLayers(b);
  const size = options.imageSize ?? 224;
  const x = imageInput(b, options, size);
  let y = t.relu('relu', t.batchNorm('bn1', t.conv('conv1', x, 3, 64, 7, { stride: 2 }), 64));
  y = t.maxPool('maxpool', y, 3, 2, 1);
  let channels = 64;
  const expansion = kind === 'basic' ? 1 : 4;
  blocks.forEach((count, stage) => {
    const width = 64 * 2 ** stage;
    for (let i = 0; i < count; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const name = `layer${stage + 1}.${i}`;
      y = kind === 'basic' ? basicBlock(t, name, y, channels, width, stride) : bottleneck(t, name, y, channels, width, stride);
      channels = width * expansion;
    }
  });
  const classes = options.classes ?? 1000;
  const logits = t.classifier('fc', y, channels, classes, 'logits');
  b.output(logits, 'float32', [options.batch ?? 1, classes]);
  return b;
}

/** torchvision.models.resnet18 layout (1.81 GMACs at 224×224). */
export function buildResNet18(options: ImageModelOptions = {}): OnnxBuilder {
  return buildResNet('basic', [2, 2, 2, 2], options);
}

/** torchvision.models.resnet50 layout (4.09 GMACs at 224×224). */
export function buildResNet50(options: ImageModelOptions = {}): OnnxBuilder {
  return buildResNet('bottleneck', [3, 4, 6, 3], options);
}
