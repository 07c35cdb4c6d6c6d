/**
 * Model inputs for calibration and verification: generated from the graph's declared input types
 * (seeded, so the original and the result see the same tensors), with token-id inputs kept inside the
 * vocabulary of the Gather that reads them.
 */
import type { DataType, Dim } from '../../graph/ir';
import { mulberry32 } from '../../onnx/seededWeights';
import { TransformError } from '../transformError';
import type { WorkingModel } from '../workingModel';

/** A plain tensor; values are numbers (float16 too, as their float value; int64 as safe integers). */
export interface FeedTensor {
  readonly dataType: 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'int8' | 'bool';
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export type Feeds = Record<string, FeedTensor>;

export interface InputSpec {
  readonly name: string;
  readonly dataType: DataType;
  readonly shape: readonly Dim[];
  /** Exclusive upper bound of integer inputs used as indices. */
  readonly maxIndex?: number;
}

/** Declared inputs with symbolic dimensions bound: batch-like names to `batch`, others to `length`. */
export function inputSpecs(wm: WorkingModel, dims: { batch?: number; length?: number } = {}): InputSpec[] {
  return wm.inputs.map((name) => {
    const type = wm.types.get(name);
    if (!type || !type.shape) throw new TransformError('bad-request', `input ${name} has no declared shape; pass calibration inputs`);
    const shape = type.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d
      : (i === 0 || /batch|^n$/i.test(String(d)) ? dims.batch ?? 1 : dims.length ?? 16)));
    const gather = wm.consumers(name).find((n) => n.opType === 'Gather' && n.inputs[1] === name);
    const vocab = gather ? wm.initializerInfo(gather.inputs[0] ?? '')?.dims[0] : undefined;
    return { name, dataType: type.dataType, shape, ...(vocab ? { maxIndex: vocab } : {}) };
  });
}

/** One set of seeded inputs; `sample` varies the seed. */
export function generateFeeds(specs: readonly InputSpec[], sample: number): Feeds {
  const feeds: Feeds = {};
  specs.forEach((spec, k) => {
    const dims = spec.shape.map((d) => (typeof d === 'number' ? d : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    const random = mulberry32(1000003 * (sample + 1) + k);
    let dataType: FeedTensor['dataType'];
    let values: number[];
    switch (spec.dataType) {
      case 'float32': case 'float16': case 'float64':
        dataType = spec.dataType === 'float16' ? 'float16' : 'float32';
        // Sum of uniforms: roughly normal, like normalized images or embeddings.
        values = Array.from({ length: count }, () => (random() + random() + random() - 1.5) * 1.4);
        break;
      case 'int64': case 'int32': {
        dataType = spec.dataType;
        const top = spec.maxIndex ?? 2; // masks and flags: 0/1
        values = Array.from({ length: count }, () => Math.floor(random() * top));
        break;
      }
      case 'bool':
        dataType = 'bool';
        values = Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
        break;
      default:
        throw new TransformError('bad-request', `cannot generate inputs of type ${spec.dataType} for ${spec.name}; pass calibration inputs`);
    }
    feeds[spec.name] = { dataType, dims, values };
  });
  return feeds;
}

const FEED_TYPES = new Set<string>(['float32', 'float16', 'int64', 'int32', 'uint8', 'int8', 'bool']);

/** Replaces generated tensors by the user's values for the inputs they name (same in every sample). */
export function withGivenInputs(feeds: Feeds, given: Readonly<Record<string, { readonly type: string; readonly dims: readonly number[]; readonly data: readonly (number | boolean)[] }>> = {}): Feeds {
  const out: Feeds = { ...feeds };
  for (const [name, input] of Object.entries(given)) {
    if (!(name in feeds)) throw new TransformError('bad-request', `input ${name} is not an input of the model (inputs: ${Object.keys(feeds).join(', ')})`);
    const type = input.type === 'float64' ? 'float32' : input.type;
    if (!FEED_TYPES.has(type)) throw new TransformError('bad-request', `input ${name}: type ${input.type} cannot be fed to verification`);
    out[name] = { dataType: type as FeedTensor['dataType'], dims: [...input.dims], values: input.data.map(Number) };
  }
  return out;
}
