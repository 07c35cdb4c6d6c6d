/**
 * GGUF v2/v3 (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic 'GGUF', version,
 * tensor count, metadata count (u64), metadata key/values, tensor infos (name, dims, ggml type,
 * offset), padding to `general.alignment`, then tensor data. Only the header is read. Every count and
 * length is checked against the bytes that remain before anything is allocated from it.
 */
import type { ByteSource } from '../../io/byteSource';
import { Cursor, PagedReader } from '../pagedReader';
import { type GgmlType, ggmlType } from './ggmlTypes';
import { GGUF_VALUE_TYPE, type GgufValue, SCALAR_SIZE, valueAsNumber } from './metadata';

const MAX_KEY_BYTES = 65_535;
/** Strings longer than this are kept as a prefix (chat templates are a few KiB). */
const MAX_KEPT_STRING = 1 << 20;
/** Array elements kept in memory; the rest are skipped (vocabularies hold 100k+ strings). */
const MAX_KEPT_ARRAY_VALUES = 64;
const MAX_ARRAY_DEPTH = 4;
const MAX_DIMS = 4; // GGML_MAX_DIMS
const DEFAULT_ALIGNMENT = 32;

export interface GgufTensorInfo {
  readonly name: string;
  /** Dimensions in GGUF order: innermost (contiguous) first, as ggml's ne[]. */
  readonly ne: readonly number[];
  readonly type: GgmlType;
  readonly elements: number;
  /** Absolute file offset of the tensor's data. */
  readonly offset: number;
  readonly byteLength: number;
}

export interface GgufFile {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  readonly dataStart: number;
  readonly warnings: readonly string[];
}

export function looksLikeGguf(source: ByteSource): boolean {
  if (source.size < 8) return false;
  const b = source.read(0, 4);
  return b[0] === 0x47 && b[1] === 0x47 && b[2] === 0x55 && b[3] === 0x46;
}

function readString(c: Cursor, what: string, maxKept = MAX_KEPT_STRING): { value: string; truncated: boolean } {
  const at = c.offset;
  const length = c.safeU64(`${what} length`);
  if (length > c.remaining) c.reader.fail(at, `${what} of ${length} bytes inside the file (${c.remaining} left)`, 'The file looks truncated or corrupted.');
  const kept = Math.min(length, maxKept);
  const value = c.reader.utf8(c.offset, kept, what);
  c.offset += length;
  return { value, truncated: kept < length };
}

/** Smallest encoded size of one element of a type (for checking array counts against the file). */
function minElementSize(type: number): number {
  if (type === GGUF_VALUE_TYPE.STRING) return 8;
  if (type === GGUF_VALUE_TYPE.ARRAY) return 12;
  return SCALAR_SIZE[type] ?? 1;
}

function readValue(c: Cursor, type: number, what: string, depth: number, keep: boolean): GgufValue | undefined {
  switch (type) {
    case GGUF_VALUE_TYPE.UINT8: return { kind: 'number', type, value: c.u8(what) };
    case GGUF_VALUE_TYPE.INT8: return { kind: 'number', type, value: c.i8(what) };
    case GGUF_VALUE_TYPE.UINT16: return { kind: 'number', type, value: c.u16(what) };
    case GGUF_VALUE_TYPE.INT16: return { kind: 'number', type, value: c.i16(what) };
    case GGUF_VALUE_TYPE.UINT32: return { kind: 'number', type, value: c.u32(what) };
    case GGUF_VALUE_TYPE.INT32: return { kind: 'number', type, value: c.i32(what) };
    case GGUF_VALUE_TYPE.FLOAT32: return { kind: 'number', type, value: c.f32(what) };
    case GGUF_VALUE_TYPE.FLOAT64: return { kind: 'number', type, value: c.f64(what) };
    case GGUF_VALUE_TYPE.BOOL: {
      const at = c.offset;
      const b = c.u8(what);
      if (b > 1) c.reader.fail(at, `${what} to be a bool (0 or 1), got ${b}`);
      return { kind: 'bool', value: b === 1 };
    }
    case GGUF_VALUE_TYPE.UINT64:
    case GGUF_VALUE_TYPE.INT64: {
      const v = type === GGUF_VALUE_TYPE.UINT64 ? c.u64(what) : c.i64(what);
      const safe = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER);
      return safe ? { kind: 'number', type, value: Number(v) } : { kind: 'bigint', type, value: v };
    }
    case GGUF_VALUE_TYPE.STRING: {
      if (!keep) {
        // Skip without decoding: vocabularies are hundreds of thousands of strings.
        const at = c.offset;
        const length = c.safeU64(`${what} length`);
        if (length > c.remaining) c.reader.fail(at, `${what} of ${length} bytes inside the file`, 'The file looks truncated or corrupted.');
        c.offset += length;
        return undefined;
      }
      const s = readString(c, what);
      return { kind: 'string', value: s.value, ...(s.truncated ? { truncated: true } : {}) };
    }
    case GGUF_VALUE_TYPE.ARRAY: {
      if (depth >= MAX_ARRAY_DEPTH) c.reader.fail(c.offset, `arrays nested at most ${MAX_ARRAY_DEPTH} deep in ${what}`);
      const at = c.offset;
      const elementType = c.u32(`${what} element type`);
      if (elementType > GGUF_VALUE_TYPE.FLOAT64) c.reader.fail(at, `${what} element type 0..12, got ${elementType}`);
      const length = c.safeU64(`${what} length`);
      if (length * minElementSize(elementType) > c.remaining) {
        c.reader.fail(at, `${what} of ${length} elements inside the file (${c.remaining} bytes left)`, 'The file looks truncated or corrupted.');
      }
      const values: GgufValue[] = [];
      const fixed = SCALAR_SIZE[elementType];
      for (let i = 0; i < length; i++) {
        const keepThis = keep && i < MAX_KEPT_ARRAY_VALUES;
        if (!keepThis && fixed !== undefined) {
          c.skip((length - i) * fixed, what);
          break;
        }
        const v = readValue(c, elementType, `${what}[${i}]`, depth + 1, keepThis);
        if (v) values.push(v);
      }
      return { kind: 'array', elementType, length, values };
    }
    default:
      return c.reader.fail(c.offset - 4, `${what} value type 0..12, got ${type}`);
  }
}

export function readGguf(source: ByteSource): GgufFile {
  // Explicitly typed so that reader.fail(): never narrows types after it.
  const reader: PagedReader = new PagedReader(source);
  const c = new Cursor(reader);
  const warnings: string[] = [];
  if (!looksLikeGguf(source)) reader.fail(0, "the GGUF magic 'GGUF'");
  c.u32('magic');
  const version = c.u32('version');
  if (version === 1) reader.fail(4, 'GGUF version 2 or 3, got 1', 'GGUF v1 files predate August 2023; convert them again with a current llama.cpp.');
  if (version === 0x02000000 || version === 0x03000000) reader.fail(4, 'a little-endian GGUF file', 'This is a big-endian GGUF (for s390x); convert it to little-endian.');
  if (version !== 2 && version !== 3) reader.fail(4, `GGUF version 2 or 3, got ${version}`);
  const tensorCount = c.safeU64('tensor count');
  const kvCount = c.safeU64('metadata count');
  // Each key/value takes at least 8 (key length) + 4 (type) + 1 bytes; each tensor info 8 + 4 + 4 + 8.
  if (kvCount * 13 > c.remaining) reader.fail(16, `${kvCount} metadata entries inside the file`, 'The file looks truncated or corrupted.');
  if (tensorCount * 24 > c.remaining) reader.fail(8, `${tensorCount} tensor infos inside the file`, 'The file looks truncated or corrupted.');

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const at = c.offset;
    const key = readString(c, `metadata key ${i}`, MAX_KEY_BYTES + 1);
    if (key.truncated) reader.fail(at, `a metadata key of at most ${MAX_KEY_BYTES} bytes`);
    const type = c.u32(`type of ${key.value}`);
    const value = readValue(c, type, key.value, 0, true);
    if (metadata.has(key.value)) warnings.push(`Duplicate metadata key ${key.value}; the last value is used.`);
    if (value) metadata.set(key.value, value);
  }

  const alignmentValue = metadata.get('general.alignment');
  const alignment = alignmentValue ? valueAsNumber(alignmentValue) ?? 0 : DEFAULT_ALIGNMENT;
  if (!Number.isSafeInteger(alignment) || alignment < 1 || alignment > 1 << 20 || (alignment & (alignment - 1)) !== 0) {
    reader.fail(undefined, `general.alignment to be a power of two, got ${alignment}`);
  }

  const infos: { name: string; ne: number[]; type: GgmlType; elements: number; relative: number; byteLength: number; at: number }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const at = c.offset;
    const name = readString(c, `tensor ${i} name`, MAX_KEY_BYTES + 1);
    if (name.truncated) reader.fail(at, `a tensor name of at most ${MAX_KEY_BYTES} bytes`);
    if (names.has(name.value)) reader.fail(at, `unique tensor names, ${name.value} repeats`);
    names.add(name.value);
    const nDims = c.u32(`${name.value} rank`);
    if (nDims < 1 || nDims > MAX_DIMS) reader.fail(at, `${name.value} of rank 1..${MAX_DIMS}, got ${nDims}`);
    const ne: number[] = [];
    let elements = 1;
    for (let d = 0; d < nDims; d++) {
      const n = c.safeU64(`${name.value} dimension ${d}`);
      ne.push(n);
      elements *= n;
    }
    if (!Number.isSafeInteger(elements)) reader.fail(at, `${name.value} with fewer than 2^53 elements`);
    const typeAt = c.offset;
    const typeId = c.u32(`${name.value} type`);
    const type = ggmlType(typeId);
    if (!type) reader.fail(typeAt, `${name.value} of a known GGML type, got ${typeId}`, 'The file may use a quantization newer than this reader.');
    if ((ne[0] ?? 0) % type.blockSize !== 0) {
      reader.fail(typeAt, `${name.value} rows (${ne[0]}) to be a multiple of the ${type.name} block of ${type.blockSize}`);
    }
    const relative = c.safeU64(`${name.value} offset`);
    if (relative % alignment !== 0) reader.fail(c.offset - 8, `${name.value} offset ${relative} aligned to ${alignment}`);
    infos.push({ name: name.value, ne, type, elements, relative, byteLength: (elements / type.blockSize) * type.typeSize, at });
  }
  const dataStart = Math.ceil(c.offset / alignment) * alignment;
  const tensors: GgufTensorInfo[] = infos.map((t) => {
    const offset = dataStart + t.relative;
    if (offset + t.byteLength > source.size) {
      reader.fail(t.at, `${t.name} data [${offset}, ${offset + t.byteLength}) inside the file of ${source.size} bytes`, 'The file looks truncated.');
    }
    return { name: t.name, ne: t.ne, type: t.type, elements: t.elements, offset, byteLength: t.byteLength };
  });
  const sorted = [...tensors].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && cur.offset < prev.offset + prev.byteLength && cur.byteLength > 0) {
      reader.fail(cur.offset, `tensor ${cur.name} not to overlap ${prev.name}`);
    }
  }
  return { version, metadata, tensors, alignment, dataStart, warnings };
}
