/** Encodes TensorProto messages (raw, typed-field or external data) for the builder and the writer. */
import type { DataType } from '../graph/ir';
import { dataTypeCode, typedFieldOf } from './dataTypes';
import { floatToBfloat16Bits, floatToFloat16Bits } from './floatBits';
import { DataLocation, StringStringEntryField, TensorField } from './protoFields';
import { type Chunk, ProtoWriter } from './wireWriter';

export type TensorValues = ArrayLike<number> | readonly bigint[] | BigInt64Array | BigUint64Array;

export interface TensorPayload {
  readonly name: string;
  readonly dataType: DataType;
  readonly dims: readonly number[];
  /** Little-endian element bytes for raw_data (possibly lazy). */
  readonly raw?: Chunk;
  /** Values written to the typed repeated field of this data type instead of raw_data. */
  readonly typed?: TensorValues;
  readonly strings?: readonly string[];
  /** Bytes live in a file beside the model. */
  readonly external?: { readonly location: string; readonly offset: number; readonly length: number };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Little-endian raw bytes of `values` stored as `dataType`. */
export function encodeRaw(dataType: DataType, values: TensorValues): Uint8Array {
  const nums = (): number[] => Array.from(values as ArrayLike<number | bigint>, Number);
  switch (dataType) {
    case 'float32': return bytesOf(Float32Array.from(nums()));
    case 'float64': return bytesOf(Float64Array.from(nums()));
    case 'float16': return bytesOf(Uint16Array.from(nums(), floatToFloat16Bits));
    case 'bfloat16': return bytesOf(Uint16Array.from(nums(), floatToBfloat16Bits));
    case 'int8': return bytesOf(Int8Array.from(nums()));
    case 'uint8': case 'bool': return Uint8Array.from(nums());
    case 'int16': return bytesOf(Int16Array.from(nums()));
    case 'uint16': return bytesOf(Uint16Array.from(nums()));
    case 'int32': return bytesOf(Int32Array.from(nums()));
    case 'uint32': return bytesOf(Uint32Array.from(nums()));
    case 'int64': return bytesOf(BigInt64Array.from(Array.from(values as ArrayLike<number | bigint>, (v) => BigInt(v))));
    case 'uint64': return bytesOf(BigUint64Array.from(Array.from(values as ArrayLike<number | bigint>, (v) => BigInt(v))));
    case 'int4': case 'uint4': {
      const n = nums();
      const out = new Uint8Array(Math.ceil(n.length / 2));
      n.forEach((v, i) => { out[i >> 1]! |= (v & 0xf) << ((i & 1) * 4); });
      return out;
    }
    default: throw new Error(`cannot encode values of type ${dataType}; pass raw bytes`);
  }
}

/** Typed-field representation: narrow types widen to int32, float16/bfloat16 as their bits. */
function writeTyped(w: ProtoWriter, dataType: DataType, values: TensorValues): void {
  const field = typedFieldOf(dataType);
  const list = Array.from(values as ArrayLike<number | bigint>);
  switch (field) {
    case 'float_data': w.packedFloats(TensorField.floatData, list.map(Number)); break;
    case 'double_data': w.packedDoubles(TensorField.doubleData, list.map(Number)); break;
    case 'int64_data': w.packedVarints(TensorField.int64Data, list); break;
    case 'uint64_data': w.packedVarints(TensorField.uint64Data, list); break;
    case 'int32_data': {
      // Sub-byte types are packed two per stored value, as ONNX's helper does.
      const asInt = dataType === 'int4' || dataType === 'uint4' ? Array.from(encodeRaw(dataType, values))
        : dataType === 'float16' ? list.map((v) => floatToFloat16Bits(Number(v)))
        : dataType === 'bfloat16' ? list.map((v) => floatToBfloat16Bits(Number(v))) : list;
      w.packedVarints(TensorField.int32Data, asInt);
      break;
    }
    default: throw new Error(`no typed field for ${dataType}`);
  }
}

export function tensorProto(p: TensorPayload): ProtoWriter {
  const w = new ProtoWriter();
  w.repeatedVarints(TensorField.dims, p.dims);
  w.varint(TensorField.dataType, dataTypeCode(p.dataType));
  if (p.name) w.string(TensorField.name, p.name);
  if (p.external) {
    const entry = (key: string, value: string): ProtoWriter =>
      new ProtoWriter().string(StringStringEntryField.key, key).string(StringStringEntryField.value, value);
    w.message(TensorField.externalData, entry('location', p.external.location));
    w.message(TensorField.externalData, entry('offset', String(p.external.offset)));
    w.message(TensorField.externalData, entry('length', String(p.external.length)));
    w.varint(TensorField.dataLocation, DataLocation.EXTERNAL);
  } else if (p.strings) {
    const enc = new TextEncoder();
    for (const s of p.strings) w.bytes(TensorField.stringData, enc.encode(s));
  } else if (p.typed) {
    writeTyped(w, p.dataType, p.typed);
  } else if (p.raw) {
    w.bytes(TensorField.rawData, p.raw);
  }
  return w;
}
