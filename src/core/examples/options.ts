/** Options shared by the example image models. */
import type { OnnxBuilder } from '../onnx/builder';

export interface ImageModelOptions {
  /** A number, or a name for a symbolic batch dimension (default 1). */
  readonly batch?: number | string;
  /** Square input resolution (default 224; 32 for the small CNN). */
  readonly imageSize?: number;
  readonly classes?: number;
  readonly opset?: number;
  /** Seed of the random weights. */
  readonly seed?: number;
}

export function imageInput(b: OnnxBuilder, options: ImageModelOptions, size: number): string {
  return b.input('input', 'float32', [options.batch ?? 1, 3, size, size]);
}
