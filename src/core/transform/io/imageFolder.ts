/**
 * An ImageNet-style folder (`root/<class>/<image>.jpg|.jpeg|.png`, classes numbered in sorted folder
 * order as torchvision's ImageFolder does) read as labelled verification inputs. Preprocessing presets:
 * 'imagenet' resizes the shorter side to crop/0.875 (256 for 224), center-crops to the model's input
 * size, scales to [0, 1] and normalizes with the ImageNet mean and std; 'unit' stops after [0, 1].
 * Decoding is pure JavaScript (jpeg-js, pngjs), so nothing native is needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { TransformError } from '../transformError';
import type { Feeds, InputSpec } from '../verify/feeds';

export type PreprocessPreset = 'imagenet' | 'unit';

const IMAGE = /\.(jpe?g|png)$/i;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Class folders holding images, sorted; empty when `root` is not an image folder. */
export function imageClasses(root: string): string[] {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return [];
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.readdirSync(path.join(root, e.name)).some((f) => IMAGE.test(f)))
    .map((e) => e.name)
    .sort();
}

export function readImageFolder(root: string, inputs: readonly InputSpec[], preset: PreprocessPreset): { feeds: Feeds[]; labels: number[] } {
  const spec = inputs.length === 1 ? inputs[0]! : undefined;
  const shape = spec?.shape.map((d) => (typeof d === 'number' ? d : 1));
  if (!spec || !shape || shape.length !== 4 || shape[1] !== 3 || spec.dataType !== 'float32') {
    throw new TransformError('bad-request', `${root}: image folders feed one float32 input of shape [N, 3, H, W]; convert the images to .npy for this model`);
  }
  const [height, width] = [shape[2]!, shape[3]!];
  const feeds: Feeds[] = [];
  const labels: number[] = [];
  imageClasses(root).forEach((cls, label) => {
    for (const file of fs.readdirSync(path.join(root, cls)).filter((f) => IMAGE.test(f)).sort()) {
      const image = decode(path.join(root, cls, file));
      feeds.push({ [spec.name]: { dataType: 'float32', dims: [1, 3, height, width], values: preprocess(image, height, width, preset) } });
      labels.push(label);
    }
  });
  return { feeds, labels };
}

function decode(file: string): Rgba {
  const bytes = fs.readFileSync(file);
  try {
    if (/\.png$/i.test(file)) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: png.data };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    throw new TransformError('bad-request', `${file}: cannot decode the image (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Resize (bilinear) so the crop covers 87.5 % of the shorter side, center crop, CHW floats. */
export function preprocess(image: Rgba, height: number, width: number, preset: PreprocessPreset): number[] {
  const scale = Math.min(image.width, image.height) / (Math.min(height, width) / 0.875);
  // Source coordinates of the crop's top-left pixel centre in the resized image.
  const resizedW = image.width / scale;
  const resizedH = image.height / scale;
  const x0 = (resizedW - width) / 2;
  const y0 = (resizedH - height) / 2;
  const out = new Array<number>(3 * height * width);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y + y0 + 0.5) * scale - 0.5));
    const ya = Math.floor(sy);
    const yb = Math.min(image.height - 1, ya + 1);
    const fy = sy - ya;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x + x0 + 0.5) * scale - 0.5));
      const xa = Math.floor(sx);
      const xb = Math.min(image.width - 1, xa + 1);
      const fx = sx - xa;
      for (let c = 0; c < 3; c++) {
        const p = (xx: number, yy: number): number => image.data[(yy * image.width + xx) * 4 + c]!;
        const v = ((p(xa, ya) * (1 - fx) + p(xb, ya) * fx) * (1 - fy) + (p(xa, yb) * (1 - fx) + p(xb, yb) * fx) * fy) / 255;
        out[(c * height + y) * width + x] = preset === 'imagenet' ? (v - MEAN[c]!) / STD[c]! : v;
      }
    }
  }
  return out;
}
