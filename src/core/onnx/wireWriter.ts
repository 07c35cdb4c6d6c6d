/**
 * Protocol-buffer wire encoder that writes messages as a list of chunks. Large payloads (weights)
 * may be lazy chunks produced only when the message is streamed to disk, so a model with gigabytes
 * of weights can be written without holding them all in memory.
 */
import * as fs from 'node:fs';

/** Bytes produced on demand; `length` must equal the length of what `produce` returns. */
export interface LazyBytes {
  readonly length: number;
  produce(): Uint8Array;
}

export type Chunk = Uint8Array | LazyBytes;

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

const TWO_POW_64 = 1n << 64n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Clamps a JS number or bigint to the int64 range, as protobuf int64 fields require. */
function toInt64(value: number | bigint): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (!Number.isFinite(value)) v = value > 0 ? INT64_MAX : INT64_MIN;
  else v = BigInt(Math.trunc(value));
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return v;
}

export class ProtoWriter {
  private readonly chunks: Chunk[] = [];
  /** Small scalar bytes gathered before they become one chunk. */
  private scratch: number[] = [];
  private total = 0;

  get length(): number {
    return this.total + this.scratch.length;
  }

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.total += this.scratch.length;
    this.scratch = [];
  }

  private rawVarint(value: number | bigint): void {
    let v = toInt64(value);
    if (v < 0n) v += TWO_POW_64;
    if (v < 0x80n) {
      this.scratch.push(Number(v));
      return;
    }
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private tag(field: number, wire: WireType): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, WireType.Fixed64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Chunk): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(value.length);
    this.flushScratch();
    if (value.length > 0) {
      this.chunks.push(value);
      this.total += value.length;
    }
    return this;
  }

  message(field: number, inner: ProtoWriter): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(inner.length);
    this.flushScratch();
    for (const c of inner.finish()) this.chunks.push(c);
    this.total += inner.length;
    return this;
  }

  /** Appends bytes that are already encoded fields (a message copied from another file). */
  raw(chunk: Chunk): this {
    this.flushScratch();
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.total += chunk.length;
    }
    return this;
  }

  /** Repeated varints, packed into one length-delimited field. */
  packedVarints(field: number, values: Iterable<number | bigint>): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, Uint8Array.from(inner.scratch));
  }

  /** Repeated varints, one field each (how proto2 writes unpacked repeated fields such as dims). */
  repeatedVarints(field: number, values: Iterable<number | bigint>): this {
    for (const v of values) this.varint(field, v);
    return this;
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const f = Float32Array.from(values);
    return this.bytes(field, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    const f = Float64Array.from(values);
    return this.bytes(field, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }

  /** The message's chunks; the writer must not be used afterwards except for reading them again. */
  finish(): Chunk[] {
    this.flushScratch();
    return this.chunks;
  }

  toBytes(): Uint8Array {
    const chunks = this.finish();
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of chunks) {
      out.set(c instanceof Uint8Array ? c : c.produce(), at);
      at += c.length;
    }
    return out;
  }

  /** Streams the message into an open file descriptor, producing lazy chunks one at a time. */
  writeTo(fd: number): void {
    for (const c of this.finish()) writeChunk(fd, c);
  }
}

export function writeChunk(fd: number, chunk: Chunk): void {
  const bytes = chunk instanceof Uint8Array ? chunk : chunk.produce();
  if (bytes.length !== chunk.length) throw new Error(`lazy chunk produced ${bytes.length} bytes, promised ${chunk.length}`);
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}
