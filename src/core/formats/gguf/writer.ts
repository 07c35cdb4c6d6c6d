/** Writes GGUF v2/v3 files for fixtures: metadata of every value type, tensor infos and aligned data. */
import { ggmlTypeByName } from './ggmlTypes';
import { GGUF_VALUE_TYPE, type GgufScalarTypeName } from './metadata';

export type GgufWriteValue =
  | { readonly type: GgufScalarTypeName; readonly value: number | bigint | boolean | string }
  | { readonly type: 'ARRAY'; readonly elementType: keyof typeof GGUF_VALUE_TYPE; readonly values: readonly GgufWriteValue[] };

export interface GgufTensorSpec {
  readonly name: string;
  /** GGML type name: F32, F16, Q4_0, Q4_K, ... */
  readonly type: string;
  /** ggml ne[] order: innermost dimension first. */
  readonly ne: readonly number[];
  readonly data?: Uint8Array;
}

export interface GgufSpec {
  readonly version?: 2 | 3;
  readonly metadata: readonly (readonly [string, GgufWriteValue])[];
  readonly tensors: readonly GgufTensorSpec[];
  /** Written as general.alignment when not 32 (the default). */
  readonly alignment?: number;
}

class Bytes {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  fixed(size: number, write: (v: DataView) => void): void {
    const b = new Uint8Array(size);
    write(new DataView(b.buffer));
    this.push(b);
  }
  u32(v: number): void { this.fixed(4, (d) => d.setUint32(0, v, true)); }
  u64(v: number | bigint): void { this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true)); }
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.push(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function writePayload(out: Bytes, v: GgufWriteValue): void {
  if (v.type === 'ARRAY') {
    out.u32(GGUF_VALUE_TYPE[v.elementType]);
    out.u64(v.values.length);
    for (const item of v.values) writePayload(out, item);
    return;
  }
  const x = v.value;
  switch (v.type) {
    case 'UINT8': out.fixed(1, (d) => d.setUint8(0, Number(x))); break;
    case 'INT8': out.fixed(1, (d) => d.setInt8(0, Number(x))); break;
    case 'UINT16': out.fixed(2, (d) => d.setUint16(0, Number(x), true)); break;
    case 'INT16': out.fixed(2, (d) => d.setInt16(0, Number(x), true)); break;
    case 'UINT32': out.fixed(4, (d) => d.setUint32(0, Number(x), true)); break;
    case 'INT32': out.fixed(4, (d) => d.setInt32(0, Number(x), true)); break;
    case 'FLOAT32': out.fixed(4, (d) => d.setFloat32(0, Number(x), true)); break;
    case 'FLOAT64': out.fixed(8, (d) => d.setFloat64(0, Number(x), true)); break;
    case 'BOOL': out.fixed(1, (d) => d.setUint8(0, x ? 1 : 0)); break;
    case 'UINT64': out.fixed(8, (d) => d.setBigUint64(0, BigInt(x as number | bigint), true)); break;
    case 'INT64': out.fixed(8, (d) => d.setBigInt64(0, BigInt(x as number | bigint), true)); break;
    case 'STRING': out.string(String(x)); break;
  }
}

export function tensorByteLength(t: GgufTensorSpec): number {
  const type = ggmlTypeByName(t.type);
  return (t.ne.reduce((a, b) => a * b, 1) / type.blockSize) * type.typeSize;
}

export function writeGguf(spec: GgufSpec): Uint8Array {
  const alignment = spec.alignment ?? 32;
  const metadata = [...spec.metadata];
  if (alignment !== 32) metadata.push(['general.alignment', { type: 'UINT32', value: alignment }]);
  const out = new Bytes();
  out.push(new TextEncoder().encode('GGUF'));
  out.u32(spec.version ?? 3);
  out.u64(spec.tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    out.u32(GGUF_VALUE_TYPE[value.type]);
    writePayload(out, value);
  }
  let offset = 0;
  const placed: [number, GgufTensorSpec][] = [];
  for (const t of spec.tensors) {
    out.string(t.name);
    out.u32(t.ne.length);
    for (const n of t.ne) out.u64(n);
    out.u32(ggmlTypeByName(t.type).id);
    out.u64(offset);
    placed.push([offset, t]);
    offset = Math.ceil((offset + tensorByteLength(t)) / alignment) * alignment;
  }
  const dataStart = Math.ceil(out.length / alignment) * alignment;
  const file = new Uint8Array(dataStart + offset);
  file.set(out.concat());
  for (const [at, t] of placed) if (t.data) file.set(t.data, dataStart + at);
  return file;
}
