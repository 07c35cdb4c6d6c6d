/** TFLite: reading into the IR (and the raw TFLite view with quantization parameters). */
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { type TfliteModel, readTfliteModel } from './reader';
import { tfliteToModel } from './toIr';

export { looksLikeTflite, readTfliteModel } from './reader';
export type { TfliteModel, TfliteTensor, TfliteOperator, TfliteQuantization, TfliteSubgraph, TfliteBuffer } from './reader';
export { TFLITE_DOMAIN, TFLITE_CUSTOM_DOMAIN } from './toIr';

/** Reads a TFLite file into the shared IR; `tflite` keeps the format-specific view (quantization). */
export function readTflite(source: ByteSource, path = source.name, options: { readonly maxGraphNodes?: number } = {}): { model: Model; tflite: TfliteModel } {
  const tflite = readTfliteModel(source, options);
  return { model: tfliteToModel(tflite, path), tflite };
}
