/** Decodes stored tensor bytes (raw_data layout, little-endian) into typed arrays. */
import type { DataType } from '../graph/ir';
import { bfloat16BitsToFloat, float16BitsToFloat } from './floatBits';
import { decodeMinifloat, isMinifloat } from './minifloat';

export type TensorArray =
  | Float32Array | Float64Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | string[];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Same-width types on a little-endian host: one copy into an aligned buffer, no per-element work. */
function copyTyped(dataType: DataType, bytes: Uint8Array, count: number): TensorArray | undefined {
  const width = { float32: 4, int32: 4, uint32: 4, float64: 8, int64: 8, uint64: 8 }[dataType as string];
  if (width === undefined || bytes.length < count * width) return undefined;
  // A fresh copy: Node's Buffer.slice would share (and misalign) the pooled memory.
  const copy = new Uint8Array(count * width);
  copy.set(bytes.subarray(0, count * width));
  const buffer = copy.buffer;
  switch (dataType) {
    case 'float32': return new Float32Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'uint32': return new Uint32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    default: return new BigUint64Array(buffer);
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Element values of raw little-endian bytes. Float types narrower than 32 bits widen to Float32Array,
 * integer types up to 32 bits to Int32Array (uint32 to Uint32Array), 64-bit ints to BigInt arrays,
 * complex types to interleaved (real, imaginary) floats.
 */
export function decodeRawBytes(dataType: DataType, bytes: Uint8Array, count: number): TensorArray {
  const fast = LITTLE_ENDIAN ? copyTyped(dataType, bytes, count) : undefined;
  if (fast) return fast;
  const v = view(bytes);
  const need = (bytesPer: number): void => {
    if (bytes.length < Math.ceil(count * bytesPer)) throw new RangeError(`${count} ${dataType} values need ${Math.ceil(count * bytesPer)} bytes, got ${bytes.length}`);
  };
  switch (dataType) {
    case 'float32': need(4); return Float32Array.from({ length: count }, (_, i) => v.getFloat32(i * 4, true));
    case 'complex64': need(8); return Float32Array.from({ length: 2 * count }, (_, i) => v.getFloat32(i * 4, true));
    case 'float64': need(8); return Float64Array.from({ length: count }, (_, i) => v.getFloat64(i * 8, true));
    case 'complex128': need(16); return Float64Array.from({ length: 2 * count }, (_, i) => v.getFloat64(i * 8, true));
    case 'float16': need(2); return Float32Array.from({ length: count }, (_, i) => float16BitsToFloat(v.getUint16(i * 2, true)));
    case 'bfloat16': need(2); return Float32Array.from({ length: count }, (_, i) => bfloat16BitsToFloat(v.getUint16(i * 2, true)));
    case 'int8': need(1); return Int32Array.from({ length: count }, (_, i) => v.getInt8(i));
    case 'uint8': case 'bool': need(1); return Int32Array.from({ length: count }, (_, i) => v.getUint8(i));
    case 'int16': need(2); return Int32Array.from({ length: count }, (_, i) => v.getInt16(i * 2, true));
    case 'uint16': need(2); return Int32Array.from({ length: count }, (_, i) => v.getUint16(i * 2, true));
    case 'int32': need(4); return Int32Array.from({ length: count }, (_, i) => v.getInt32(i * 4, true));
    case 'uint32': need(4); return Uint32Array.from({ length: count }, (_, i) => v.getUint32(i * 4, true));
    case 'int64': need(8); return BigInt64Array.from({ length: count }, (_, i) => v.getBigInt64(i * 8, true));
    case 'uint64': need(8); return BigUint64Array.from({ length: count }, (_, i) => v.getBigUint64(i * 8, true));
    case 'int4': case 'uint4': case 'int2': case 'uint2': {
      const bits = dataType.endsWith('4') ? 4 : 2;
      need(bits / 8);
      const signed = dataType.startsWith('int');
      const perByte = 8 / bits;
      const mask = (1 << bits) - 1;
      return Int32Array.from({ length: count }, (_, i) => {
        const code = (bytes[Math.floor(i / perByte)]! >> ((i % perByte) * bits)) & mask;
        return signed && code >= 1 << (bits - 1) ? code - (1 << bits) : code;
      });
    }
    case 'float4e2m1': need(0.5); return Float32Array.from({ length: count }, (_, i) => decodeMinifloat(dataType, (bytes[i >> 1]! >> ((i & 1) * 4)) & 0xf));
    default:
      if (isMinifloat(dataType)) {
        need(1);
        return Float32Array.from({ length: count }, (_, i) => decodeMinifloat(dataType, bytes[i]!));
      }
      throw new RangeError(`cannot decode tensors of type ${dataType}`);
  }
}

/** Values of types stored in int32_data: narrow ints as is, float16/bfloat16/float8 as their bit patterns. */
export function fromInt32Field(dataType: DataType, ints: readonly number[], count: number): TensorArray {
  switch (dataType) {
    case 'float16': return Float32Array.from(ints.slice(0, count), (b) => float16BitsToFloat(b & 0xffff));
    case 'bfloat16': return Float32Array.from(ints.slice(0, count), (b) => bfloat16BitsToFloat(b & 0xffff));
    case 'int4': case 'uint4': case 'int2': case 'uint2': case 'float4e2m1':
      // Sub-byte types pack several elements per stored int32 value (its low byte), as in raw_data.
      return decodeRawBytes(dataType, Uint8Array.from(ints, (x) => x & 0xff), count);
    default:
      if (isMinifloat(dataType)) return Float32Array.from(ints.slice(0, count), (b) => decodeMinifloat(dataType, b & 0xff));
      return Int32Array.from(ints.slice(0, count));
  }
}

/** Plain numbers of a decoded array (int64 beyond 2^53 loses precision; shape values never do). */
export function toNumbers(values: TensorArray): number[] {
  // A plain loop: Array.from with a map callback cost ~1.5 µs per small tensor, ~0.2 s on a 150k-node graph.
  const items = values as ArrayLike<number | bigint | string>;
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) out.push(Number(items[i]));
  return out;
}
