/**
 * Reads a weight's values on demand (transforms, statistics). Analysis never calls this: it needs
 * shapes only. Decodes raw, typed-list and varint encodings and external files; float16, bfloat16
 * and float8 widen to Float32Array.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../errors';
import type { WeightRef } from '../graph/ir';
import { type ByteSource, FileByteSource } from '../io/byteSource';
import { dataTypeCode } from './dataTypes';
import { readTypedFromMessage } from './tensorDecoder';
import { decodeRawBytes, fromInt32Field, type TensorArray } from './tensorValues';
import { WireReader } from './wireReader';

export type { TensorArray } from './tensorValues';

/**
 * Values of the weight `ref` found in the model read from `model` (a path or the same ByteSource
 * the reader used).
 */
export function readTensorData(model: ByteSource | string, ref: WeightRef): TensorArray {
  if (typeof model === 'string') {
    const source = new FileByteSource(model);
    try {
      return readFrom(source, ref);
    } finally {
      source.close();
    }
  }
  return readFrom(model, ref);
}

function elementCount(ref: WeightRef): number {
  return ref.dims.reduce((a, b) => a * b, 1);
}

function readFrom(source: ByteSource, ref: WeightRef): TensorArray {
  if (ref.sparse) throw new ModelFormatError(source.name, undefined, 'a dense tensor', 'Reading the values of sparse tensors is not supported yet.');
  const count = elementCount(ref);
  const loc = ref.location;
  switch (loc.kind) {
    case 'inline': return fromNumbers(source.name, ref);
    case 'external': return readExternal(source, ref, loc.path, loc.offset, count);
    case 'embedded': {
      const stored = loc.storedLength ?? ref.byteLength;
      switch (loc.encoding) {
        case 'raw': case 'float32-list': case 'float64-list': case 'fixed32-list': case 'fixed64-list':
          return decodeChecked(source.name, loc.offset, ref, source.read(loc.offset, stored), count);
        case 'packed-varint': {
          const r = new WireReader(source);
          r.pos = loc.offset;
          const ints: number[] = [];
          while (r.pos < loc.offset + stored) {
            if (ints.length >= count) r.fail(r.pos, `at most ${count} packed values`);
            ints.push(r.varint(loc.offset + stored));
          }
          return fromVarints(ref, ints, count);
        }
        case 'tensor-proto': case 'string-list':
          return readTypedFromMessage(new WireReader(source), loc.offset, loc.offset + stored, ref.dataType, count);
      }
    }
  }
  throw new ModelFormatError(source.name, undefined, 'a known weight location');
}

function decodeChecked(file: string, offset: number, ref: WeightRef, bytes: Uint8Array, count: number): TensorArray {
  try {
    return decodeRawBytes(ref.dataType, bytes, count);
  } catch (e) {
    if (e instanceof RangeError) throw new ModelFormatError(file, offset, `tensor bytes matching its shape ${JSON.stringify(ref.dims)} (${e.message})`);
    throw e;
  }
}

function fromVarints(ref: WeightRef, ints: number[], count: number): TensorArray {
  switch (ref.dataType) {
    case 'int64': return BigInt64Array.from(ints.slice(0, count), (x) => BigInt(x));
    case 'uint64': return BigUint64Array.from(ints.slice(0, count), (x) => BigInt(Math.max(0, x)));
    case 'uint32': return Uint32Array.from(ints.slice(0, count));
    default: return fromInt32Field(ref.dataType, ints, count);
  }
}

function fromNumbers(file: string, ref: WeightRef): TensorArray {
  const values = ref.values;
  if (!values) throw new ModelFormatError(file, undefined, `decoded values of an inline ${ref.dataType} tensor`, 'Inline string tensors carry no numeric values.');
  switch (ref.dataType) {
    case 'float64': case 'complex128': return Float64Array.from(values);
    case 'int64': return BigInt64Array.from(values, (x) => BigInt(Math.trunc(x)));
    case 'uint64': return BigUint64Array.from(values, (x) => BigInt(Math.trunc(x)));
    case 'uint32': return Uint32Array.from(values);
    default: return dataTypeCode(ref.dataType) !== 0 && /int|bool/.test(ref.dataType) ? Int32Array.from(values) : Float32Array.from(values);
  }
}

function readExternal(source: ByteSource, ref: WeightRef, location: string, offset: number, count: number): TensorArray {
  // Without a base folder the reader kept a relative (already checked) location: resolve it beside the model.
  const file = path.isAbsolute(location) ? location : path.join(path.dirname(path.resolve(source.name)), location);
  if (!fs.existsSync(file)) {
    throw new ModelFormatError(source.name, undefined, `an existing external data file '${location}'`, 'Keep the weights file next to the model, under the name the model records.');
  }
  const data = new FileByteSource(file);
  try {
    return decodeChecked(file, offset, ref, data.read(offset, ref.byteLength), count);
  } finally {
    data.close();
  }
}
