/**
 * Image sizes that exporters record in ONNX metadata_props (Ultralytics writes `imgsz: [640, 640]`,
 * others `image_size`, `input_size`, `height`/`width`): the input size the model was trained at.
 */

/** Sides outside this range are not image sizes (a count, a flag, a year). */
const MIN_SIDE = 8;
const MAX_SIDE = 8192;

const SIZE_KEYS = new Set(['imgsz', 'image_size', 'img_size', 'input_size', 'input_shape', 'inputsize', 'resolution']);
const HEIGHT_KEYS = new Set(['height', 'image_height', 'input_height', 'img_h']);
const WIDTH_KEYS = new Set(['width', 'image_width', 'input_width', 'img_w']);

function integers(text: string): number[] {
  return [...text.matchAll(/\d+/g)].map((m) => Number(m[0])).filter((n) => Number.isSafeInteger(n));
}

const isSide = (n: number | undefined): n is number => n !== undefined && n >= MIN_SIDE && n <= MAX_SIDE;

/** Height and width from the model's metadata, when a known key gives them. */
export function imageSideFromMetadata(metadata: ReadonlyMap<string, string>): { height?: number; width?: number } | undefined {
  let height: number | undefined;
  let width: number | undefined;
  for (const [rawKey, value] of metadata) {
    const key = rawKey.toLowerCase();
    const numbers = integers(value);
    if (HEIGHT_KEYS.has(key) && isSide(numbers[0])) height = numbers[0];
    else if (WIDTH_KEYS.has(key) && isSide(numbers[0])) width = numbers[0];
    else if (SIZE_KEYS.has(key)) {
      // One number is a square side; a full shape (1,3,640,640) ends with H, W.
      const sides = numbers.length >= 2 ? numbers.slice(-2) : numbers;
      const [h, w] = sides.length === 1 ? [sides[0], sides[0]] : sides;
      if (isSide(h) && isSide(w)) {
        height ??= h;
        width ??= w;
      }
    }
  }
  return height === undefined && width === undefined ? undefined : { height: height ?? width, width: width ?? height };
}
