/**
 * TensorProto -> WeightRef. Records where the bytes are (embedded range, or external file and
 * offset) without reading them; only small integer and float tensors are decoded, for shape math.
 */
import { BITS_PER_ELEMENT, type DataType, type WeightLocation, type WeightRef } from '../graph/ir';
import { dataTypeFromCode, isFloatType, isIntegerType } from './dataTypes';
import { DataLocation, SparseTensorField, StringStringEntryField, TensorField } from './protoFields';
import { decodeRawBytes, fromInt32Field, toNumbers, type TensorArray } from './tensorValues';
import { Wire, type WireReader } from './wireReader';

/** Tensors up to this many bytes and elements keep their decoded values (Reshape targets, axes...). */
export const SMALL_TENSOR_BYTES = 4096;
export const SMALL_TENSOR_ELEMENTS = 1024;
const MAX_RANK = 1024;

export interface TensorDecodeContext {
  readonly reader: WireReader;
  /** Resolves and confines an external-data location; `at` is the offset for errors. */
  resolveExternal(location: string, at: number): string;
  readonly warnings: string[];
}

export interface DecodedTensor {
  readonly name: string;
  readonly ref: WeightRef;
}

type TypedFieldNumber = typeof TensorField[keyof Pick<typeof TensorField, 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data'>];

const TYPED_FIELDS: ReadonlySet<number> = new Set([
  TensorField.floatData, TensorField.int32Data, TensorField.int64Data, TensorField.doubleData, TensorField.uint64Data,
]);

export function elementCountOf(dims: readonly number[], r: WireReader, at: number): number {
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) r.fail(at, `non-negative tensor dimensions, got ${d}`);
    count *= d;
    if (!Number.isSafeInteger(count)) r.fail(at, `a tensor of fewer than 2^53 elements`);
  }
  return count;
}

export function logicalBytes(dataType: DataType, count: number): number {
  return Math.ceil((count * BITS_PER_ELEMENT[dataType]) / 8);
}

export function decodeTensor(ctx: TensorDecodeContext, end: number): DecodedTensor {
  const r: WireReader = ctx.reader;
  const start = r.pos;
  const dims: number[] = [];
  let code = 0;
  let name = '';
  let raw: { start: number; end: number } | undefined;
  const typedRanges: { field: number; start: number; end: number }[] = [];
  let typedUnpacked = false;
  let stringBytes = 0;
  let stringCount = 0;
  let external: Map<string, string> | undefined; // made for external tensors only (one Map per tensor adds up on large graphs)
  let location: number = DataLocation.DEFAULT;

  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === TensorField.dims) r.repeatedVarints(wire, end, dims, MAX_RANK, 'TensorProto.dims');
    else if (field === TensorField.dataType) { r.expectWire(wire, Wire.Varint, 'TensorProto.data_type'); code = r.varint(end); }
    else if (field === TensorField.name) { r.expectWire(wire, Wire.Bytes, 'TensorProto.name'); name = r.string(end); }
    else if (field === TensorField.rawData) {
      r.expectWire(wire, Wire.Bytes, 'TensorProto.raw_data');
      const payloadEnd = r.lengthDelimited(end);
      raw = { start: r.pos, end: payloadEnd };
      r.pos = payloadEnd;
    } else if (TYPED_FIELDS.has(field)) {
      if (wire === Wire.Bytes) {
        const payloadEnd = r.lengthDelimited(end);
        typedRanges.push({ field, start: r.pos, end: payloadEnd });
        r.pos = payloadEnd;
      } else {
        typedUnpacked = true;
        r.skip(wire, end);
      }
    } else if (field === TensorField.stringData) {
      r.expectWire(wire, Wire.Bytes, 'TensorProto.string_data');
      const payloadEnd = r.lengthDelimited(end);
      stringBytes += payloadEnd - r.pos;
      stringCount++;
      r.pos = payloadEnd;
    } else if (field === TensorField.externalData) {
      r.expectWire(wire, Wire.Bytes, 'TensorProto.external_data');
      const [key, value] = decodeStringEntry(r, r.lengthDelimited(end));
      (external ??= new Map()).set(key, value);
    } else if (field === TensorField.dataLocation) { r.expectWire(wire, Wire.Varint, 'TensorProto.data_location'); location = r.varint(end); }
    else if (field === TensorField.segment) { ctx.warnings.push(`tensor '${name}' is segmented; segments are ignored`); r.skip(wire, end); }
    else r.skip(wire, end);
  }

  const dataType = dataTypeFromCode(code);
  if (dataType === 'unknown') ctx.warnings.push(`tensor '${name}' has unknown data type ${code}`);
  const count = elementCountOf(dims, r, start);
  const byteLength = dataType === 'string' ? stringBytes : logicalBytes(dataType, count);
  const base = { dataType, dims };

  if (location === DataLocation.EXTERNAL) {
    external ??= new Map();
    const where = external.get('location');
    if (where === undefined) r.fail(start, `a 'location' entry in the external data of tensor '${name}'`);
    const offset = parseExternalNumber(external.get('offset') ?? '0', r, start, 'offset');
    const length = external.has('length') ? parseExternalNumber(external.get('length')!, r, start, 'length') : byteLength;
    return { name, ref: { ...base, byteLength: length, location: { kind: 'external', path: ctx.resolveExternal(where, start), offset } } };
  }

  if (raw) {
    const stored = raw.end - raw.start;
    if (dataType !== 'string' && dataType !== 'unknown' && stored !== byteLength) {
      ctx.warnings.push(`tensor '${name}' holds ${stored} raw bytes, its shape needs ${byteLength}`);
    }
    const loc: WeightLocation = { kind: 'embedded', offset: raw.start, encoding: 'raw', storedLength: stored };
    return { name, ref: withSmallValues({ ...base, byteLength, location: loc }, count, () => {
      r.pos = raw.start;
      return decodeRawBytes(dataType, r.bytes(raw.end), count);
    }) };
  }

  if (stringCount > 0 || typedUnpacked || typedRanges.length > 1) {
    const loc: WeightLocation = { kind: 'embedded', offset: start, encoding: 'tensor-proto', storedLength: end - start };
    return { name, ref: withSmallValues({ ...base, byteLength, location: loc }, count, () => {
      const values = readTypedFromMessage(r, start, end, dataType, count);
      r.pos = end;
      return values;
    }) };
  }

  const only = typedRanges[0];
  if (!only) {
    if (count > 0) ctx.warnings.push(`tensor '${name}' has no data`);
    return { name, ref: { ...base, byteLength, location: { kind: 'inline' }, values: count === 0 ? [] : undefined } };
  }
  const encoding = only.field === TensorField.floatData ? 'float32-list' : only.field === TensorField.doubleData ? 'float64-list' : 'packed-varint';
  const loc: WeightLocation = { kind: 'embedded', offset: only.start, encoding, storedLength: only.end - only.start };
  return { name, ref: withSmallValues({ ...base, byteLength, location: loc }, count, () => {
    const values = readTypedFromMessage(r, start, end, dataType, count);
    r.pos = end;
    return values;
  }) };
}

function withSmallValues(ref: WeightRef, count: number, decode: () => TensorArray): WeightRef {
  const small = (isIntegerType(ref.dataType) || isFloatType(ref.dataType)) && count <= SMALL_TENSOR_ELEMENTS && ref.byteLength <= SMALL_TENSOR_BYTES;
  if (!small) return ref;
  try {
    return { ...ref, values: toNumbers(decode()) };
  } catch (e) {
    if (e instanceof RangeError) return ref; // too few bytes: the warning was already recorded
    throw e;
  }
}

function parseExternalNumber(text: string, r: WireReader, at: number, key: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) r.fail(at, `a non-negative integer external-data ${key}, got '${text.slice(0, 40)}'`);
  return n;
}

export function decodeStringEntry(r: WireReader, end: number): [string, string] {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === StringStringEntryField.key && wire === Wire.Bytes) key = r.string(end);
    else if (field === StringStringEntryField.value && wire === Wire.Bytes) value = r.string(end);
    else r.skip(wire, end);
  }
  return [key, value];
}

/**
 * Decodes a TensorProto's typed repeated fields (packed or not) or its strings, by re-reading the
 * message at [start, end). Used for small tensors while reading and by readTensorData later.
 */
export function readTypedFromMessage(r: WireReader, start: number, end: number, dataType: DataType, count: number): TensorArray {
  r.pos = start;
  const ints: number[] = [];
  const floats: number[] = [];
  const strings: string[] = [];
  const field = fieldFor(dataType);
  while (r.pos < end) {
    const [f, wire] = r.tag(end);
    if (f === TensorField.stringData && dataType === 'string') {
      if (strings.length >= count) r.fail(r.pos, `at most ${count} strings`);
      strings.push(r.string(end));
    } else if (f === field && field === TensorField.floatData) r.repeatedFloats(wire, end, floats, count * 2, 'float_data');
    else if (f === field && field === TensorField.doubleData) {
      if (wire === Wire.Fixed64) floats.push(r.double(end));
      else {
        r.expectWire(wire, Wire.Bytes, 'double_data');
        const payloadEnd = r.lengthDelimited(end);
        while (r.pos < payloadEnd) {
          if (floats.length >= count * 2) r.fail(r.pos, `at most ${count} doubles`);
          floats.push(r.double(payloadEnd));
        }
      }
    } else if (f === field) r.repeatedVarints(wire, end, ints, Math.max(count * 2, 1), 'typed tensor data');
    else r.skip(wire, end);
  }
  if (dataType === 'string') return strings;
  if (field === TensorField.floatData) return dataType === 'complex64' ? Float32Array.from(floats) : Float32Array.from(floats.slice(0, count));
  if (field === TensorField.doubleData) return dataType === 'complex128' ? Float64Array.from(floats) : Float64Array.from(floats.slice(0, count));
  if (dataType === 'int64') return BigInt64Array.from(ints.slice(0, count), (x) => BigInt(x));
  if (dataType === 'uint64') return BigUint64Array.from(ints.slice(0, count), (x) => BigInt(Math.max(0, x)));
  if (dataType === 'uint32') return Uint32Array.from(ints.slice(0, count));
  return fromInt32Field(dataType, ints, count);
}

function fieldFor(dataType: DataType): TypedFieldNumber | undefined {
  switch (dataType) {
    case 'float32': case 'complex64': return TensorField.floatData;
    case 'float64': case 'complex128': return TensorField.doubleData;
    case 'int64': return TensorField.int64Data;
    case 'uint32': case 'uint64': return TensorField.uint64Data;
    case 'string': case 'unknown': case 'quantized': return undefined;
    default: return TensorField.int32Data;
  }
}

/** SparseTensorProto: the dense shape with the values tensor's type and location. */
export function decodeSparseTensor(ctx: TensorDecodeContext, end: number): DecodedTensor {
  const r: WireReader = ctx.reader;
  const start = r.pos;
  let values: DecodedTensor | undefined;
  let indicesBytes = 0;
  const dims: number[] = [];
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === SparseTensorField.values) { r.expectWire(wire, Wire.Bytes, 'SparseTensorProto.values'); values = decodeTensor(ctx, r.lengthDelimited(end)); }
    else if (field === SparseTensorField.indices) { r.expectWire(wire, Wire.Bytes, 'SparseTensorProto.indices'); indicesBytes = decodeTensor(ctx, r.lengthDelimited(end)).ref.byteLength; }
    else if (field === SparseTensorField.dims) r.repeatedVarints(wire, end, dims, MAX_RANK, 'SparseTensorProto.dims');
    else r.skip(wire, end);
  }
  if (!values) r.fail(start, 'a values tensor in a SparseTensorProto');
  elementCountOf(dims, r, start);
  const { values: _dense, ...ref } = values.ref;
  return { name: values.name, ref: { ...ref, dims, byteLength: values.ref.byteLength + indicesBytes, sparse: true } };
}
