/**
 * Example models built with the project's ONNX builder (random weights): torchvision ResNet-18,
 * ResNet-50, MobileNetV2 and VGG-16 for checking the MAC convention, and a small CNN and transformer
 * encoder for the demo and tests. Each builder returns an OnnxBuilder: call toBytes() or save(file).
 */
import type { OnnxBuilder } from '../onnx/builder';
import { buildMobileNetV2 } from './mobilenetV2';
import { buildResNet18, buildResNet50 } from './resnet';
import { buildSmallCnn } from './smallCnn';
import { buildTransformerEncoder } from './transformer';
import { buildVgg16 } from './vgg';

export { buildMobileNetV2 } from './mobilenetV2';
export type { ImageModelOptions } from './options';
export { buildResNet18, buildResNet50 } from './resnet';
export { buildSmallCnn } from './smallCnn';
export { buildTransformerEncoder, type TransformerOptions } from './transformer';
export { buildVgg16 } from './vgg';

export interface ExampleModel {
  readonly id: string;
  readonly description: string;
  readonly build: () => OnnxBuilder;
  /**
   * torchvision's published "GFLOPS" (which are MACs) at batch 1, 224×224, for the reference
   * architectures: what costGraph must reproduce within 1%.
   */
  readonly publishedGMacs?: number;
}

/** Every example, smallest first. The demo uses 'small-cnn' and 'transformer'. */
export const EXAMPLE_MODELS: readonly ExampleModel[] = [
  { id: 'small-cnn', description: 'small CNN, 32×32 images, symbolic batch', build: () => buildSmallCnn() },
  { id: 'transformer', description: 'small transformer encoder (2 layers, hidden 64), symbolic batch and sequence', build: () => buildTransformerEncoder() },
  { id: 'mobilenet-v2', description: 'torchvision MobileNetV2, 224×224', build: () => buildMobileNetV2(), publishedGMacs: 0.30 },
  { id: 'resnet18', description: 'torchvision ResNet-18, 224×224', build: () => buildResNet18(), publishedGMacs: 1.81 },
  { id: 'resnet50', description: 'torchvision ResNet-50, 224×224', build: () => buildResNet50(), publishedGMacs: 4.09 },
  { id: 'vgg16', description: 'torchvision VGG-16, 224×224 (553 MB of weights)', build: () => buildVgg16(), publishedGMacs: 15.47 },
];

/** ONNX bytes of an example by id. */
export function exampleModelBytes(id: string): Uint8Array {
  const example = EXAMPLE_MODELS.find((e) => e.id === id);
  if (!example) throw new Error(`no example model '${id}' (known: ${EXAMPLE_MODELS.map((e) => e.id).join(', ')})`);
  return example.build().toBytes();
}
