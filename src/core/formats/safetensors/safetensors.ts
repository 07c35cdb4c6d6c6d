/**
 * safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {...} }`, then
 * the tensor bytes, offsets relative to byte 8 + N. Only the header is read; offsets are validated
 * (inside the data, matching dtype × shape, sorted without overlap) so a bad file is refused early.
 */
import type { DataType } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { ModelFormatError } from '../../errors';

/** The format's own limit (the reference implementation refuses larger headers). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** safetensors dtype → IR type and bits per element. */
export const SAFETENSORS_DTYPES: Readonly<Record<string, { readonly dataType: DataType; readonly bits: number }>> = {
  BOOL: { dataType: 'bool', bits: 8 },
  U8: { dataType: 'uint8', bits: 8 },
  I8: { dataType: 'int8', bits: 8 },
  I16: { dataType: 'int16', bits: 16 },
  U16: { dataType: 'uint16', bits: 16 },
  F16: { dataType: 'float16', bits: 16 },
  BF16: { dataType: 'bfloat16', bits: 16 },
  I32: { dataType: 'int32', bits: 32 },
  U32: { dataType: 'uint32', bits: 32 },
  F32: { dataType: 'float32', bits: 32 },
  F64: { dataType: 'float64', bits: 64 },
  I64: { dataType: 'int64', bits: 64 },
  U64: { dataType: 'uint64', bits: 64 },
  C64: { dataType: 'complex64', bits: 64 },
  F8_E4M3: { dataType: 'float8e4m3fn', bits: 8 },
  F8_E5M2: { dataType: 'float8e5m2', bits: 8 },
  F8_E8M0: { dataType: 'float8e8m0', bits: 8 },
  F4: { dataType: 'float4e2m1', bits: 4 },
  F6_E2M3: { dataType: 'unknown', bits: 6 },
  F6_E3M2: { dataType: 'unknown', bits: 6 },
};

export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: string;
  readonly dataType: DataType;
  readonly shape: readonly number[];
  readonly elements: number;
  /** Absolute file offset of the tensor's bytes. */
  readonly offset: number;
  readonly byteLength: number;
}

export interface SafetensorsFile {
  readonly headerBytes: number;
  /** Absolute offset where tensor data begins (8 + header length). */
  readonly dataStart: number;
  /** Tensors in file order (by offset). */
  readonly tensors: readonly SafetensorsTensor[];
  readonly metadata: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
}

/** The raw 8-byte header length (a view over the read bytes: Node Buffers share a pooled ArrayBuffer). */
function rawHeaderLength(source: ByteSource): bigint {
  const b = source.read(0, 8);
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0, true);
}

function headerLength(source: ByteSource): number | undefined {
  if (source.size < 10) return undefined;
  const n = rawHeaderLength(source);
  if (n < 2n || n > BigInt(MAX_HEADER_BYTES) || n > BigInt(source.size - 8)) return undefined;
  return Number(n);
}

/** True when the first 8 bytes are a plausible header length followed by '{'. */
export function looksLikeSafetensors(source: ByteSource): boolean {
  const n = headerLength(source);
  return n !== undefined && source.read(8, 1)[0] === 0x7b;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readSafetensorsHeader(source: ByteSource): SafetensorsFile {
  const file = source.name;
  const fail = (offset: number | undefined, expected: string): never => {
    throw new ModelFormatError(file, offset, expected);
  };
  if (source.size < 8) fail(0, 'an 8-byte header length');
  const n = headerLength(source);
  if (n === undefined) {
    fail(0, `a header length between 2 bytes and min(100 MB, file size − 8 = ${source.size - 8}), got ${rawHeaderLength(source)}`);
  }
  const headerBytes = n as number;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(source.read(8, headerBytes)));
  } catch (e) {
    fail(8, `a UTF-8 JSON header (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(json)) fail(8, 'a JSON object as header');
  const header = json as Record<string, unknown>;
  const dataStart = 8 + headerBytes;
  const dataLength = source.size - dataStart;
  const warnings: string[] = [];
  const metadata = new Map<string, string>();
  const tensors: SafetensorsTensor[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isObject(entry)) fail(8, '__metadata__ to be an object of strings');
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(8, `__metadata__.${k} to be a string`);
        metadata.set(k, v as string);
      }
      continue;
    }
    if (!isObject(entry)) fail(8, `tensor "${name}" to be an object`);
    const e = entry as Record<string, unknown>;
    const dtype = e['dtype'];
    const info = typeof dtype === 'string' ? SAFETENSORS_DTYPES[dtype] : undefined;
    if (!info) fail(8, `tensor "${name}" to have a known dtype, got ${JSON.stringify(dtype)}`);
    const shape = e['shape'];
    if (!Array.isArray(shape) || shape.length > 64 || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      fail(8, `tensor "${name}" to have a shape of non-negative integers`);
    }
    const offsets = e['data_offsets'];
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      fail(8, `tensor "${name}" to have data_offsets [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin || end > dataLength) fail(dataStart + begin, `tensor "${name}" data [${begin}, ${end}) inside the ${dataLength} data bytes`);
    let elements = 1;
    for (const d of shape as number[]) elements *= d;
    const expected = Math.ceil((elements * (info as { bits: number }).bits) / 8);
    if (!Number.isSafeInteger(elements) || expected !== end - begin) {
      fail(dataStart + begin, `tensor "${name}" of ${dtype} ${JSON.stringify(shape)} to take ${expected} bytes, got ${end - begin}`);
    }
    tensors.push({ name, dtype: dtype as string, dataType: (info as { dataType: DataType }).dataType, shape: shape as number[], elements, offset: dataStart + begin, byteLength: end - begin });
  }
  tensors.sort((a, b) => a.offset - b.offset || a.byteLength - b.byteLength);
  let cursor = dataStart;
  // Gaps are counted, not listed one by one: a hostile header can have 200k of them.
  const gaps: string[] = [];
  let gapCount = 0;
  let gapBytes = 0;
  for (const t of tensors) {
    if (t.offset < cursor) fail(t.offset, `tensor "${t.name}" not to overlap the tensor before it`);
    if (t.offset > cursor) {
      gapCount++;
      gapBytes += t.offset - cursor;
      if (gaps.length < 3) gaps.push(`${t.offset - cursor} before "${t.name}"`);
    }
    cursor = t.offset + t.byteLength;
  }
  if (gapCount > 0) warnings.push(`${gapBytes} unused bytes in ${gapCount} gap(s) between tensors (${gaps.join(', ')}${gapCount > gaps.length ? ', …' : ''}).`);
  return { headerBytes, dataStart, tensors, metadata, warnings };
}
