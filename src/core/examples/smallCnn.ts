/** A small image classifier for the demo: two conv stages, BatchNorm, ReLU, pooling, a linear head. */
import { OnnxBuilder } from '../onnx/builder';
import type { ImageModelOptions } from './options';
import { TorchvisionLayers } from './torchvisionLayers';

export function buildSmallCnn(options: ImageModelOptions = {}): OnnxBuilder {
  const b = new OnnxBuilder({ opset: options.opset ?? 17, seed: options.seed ?? 1, producer: 'joule-examples', graphName: 'small_cnn' });
  const t = new TorchvisionLayers(b);
  const size = options.imageSize ?? 32;
  const batch = options.batch ?? 'batch';
  const x = b.input('input', 'float32', [batch, 3, size, size]);
  let y = t.relu('relu1', t.batchNorm('bn1', t.conv('conv1', x, 3, 32, 3), 32));
  y = t.maxPool('pool1', y, 2, 2, 0);
  y = t.relu('relu2', t.batchNorm('bn2', t.conv('conv2', y, 32, 64, 3), 64));
  y = t.maxPool('pool2', y, 2, 2, 0);
  y = t.relu('relu3', t.conv('conv3', y, 64, 128, 3, { bias: true }));
  const classes = options.classes ?? 10;
  const logits = t.classifier('fc', y, 128, classes, 'logits');
  b.output(logits, 'float32', [batch, classes]);
  return b;
}
