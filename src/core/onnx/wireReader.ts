/**
 * Protocol-buffer wire decoder over a ByteSource. It reads through a small window, so a model's
 * weights are skipped (their offsets recorded) and never loaded. Every length is checked against
 * the enclosing message's end before it is used; nothing is allocated from a length field except
 * bounded strings.
 */
import { ModelFormatError } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { TextDecoder } from 'node:util';

export const enum Wire {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', 'wire type 6', 'wire type 7'];

export function wireName(wire: number): string {
  return WIRE_NAMES[wire] ?? `wire type ${wire}`;
}

/** Longest string (names, keys, small attributes) read into memory: 16 MiB. */
export const MAX_STRING_BYTES = 16 * 1024 * 1024;
const WINDOW = 64 * 1024;
const TWO_POW_32 = 4294967296;
let utf8: TextDecoder | undefined;

export class WireReader {
  /** Current absolute position in the source. */
  pos = 0;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(readonly source: ByteSource) {}

  get file(): string {
    return this.source.name;
  }

  fail(offset: number, expected: string, hint?: string): never {
    throw new ModelFormatError(this.source.name, offset, expected, hint);
  }

  private byteAt(pos: number, end: number): number {
    if (pos >= end) this.fail(pos, 'more bytes in this message', 'The file looks truncated or a length field is wrong.');
    let i = pos - this.windowStart;
    if (i < 0 || i >= this.window.length) {
      this.window = this.source.read(pos, Math.min(WINDOW, this.source.size - pos));
      this.windowStart = pos;
      i = 0;
    }
    return this.window[i]!;
  }

  /** An unsigned varint as a JS number (exact up to 2^53), or a negative int64 as its signed value. */
  varint(end: number): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.byteAt(this.pos++, end);
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        lo >>>= 0;
        const high = hi >>> 0;
        if (high >= 0x80000000) return (high - TWO_POW_32) * TWO_POW_32 + lo; // two's-complement int64
        return high * TWO_POW_32 + lo;
      }
    }
    return this.fail(start, 'a varint of at most 10 bytes');
  }

  /** A field key; returns [field number, wire type]. */
  tag(end: number): [number, number] {
    const at = this.pos;
    const key = this.varint(end);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field <= 0 || key < 0) this.fail(at, `a field key, got ${key}`);
    if (wire === Wire.StartGroup || wire === Wire.EndGroup || wire > Wire.Fixed32) {
      this.fail(at, `a known wire type for field ${field}, got ${wireName(wire)}`);
    }
    return [field, wire];
  }

  /** Reads a length prefix and checks the payload ends within `end`. Returns the payload end. */
  lengthDelimited(end: number): number {
    const at = this.pos;
    const length = this.varint(end);
    if (length < 0 || length > end - this.pos) {
      this.fail(at, `a length within the enclosing message (at most ${end - this.pos} bytes), got ${length}`,
        'The file looks truncated or corrupted.');
    }
    return this.pos + length;
  }

  fixed32(end: number): number {
    if (this.pos + 4 > end) this.fail(this.pos, '4 bytes of a fixed32 field');
    for (let i = 0; i < 4; i++) this.scratch.setUint8(i, this.byteAt(this.pos + i, end));
    this.pos += 4;
    return this.scratch.getUint32(0, true);
  }

  float(end: number): number {
    const bits = this.fixed32(end);
    this.scratch.setUint32(0, bits, true);
    return this.scratch.getFloat32(0, true);
  }

  double(end: number): number {
    if (this.pos + 8 > end) this.fail(this.pos, '8 bytes of a fixed64 field');
    for (let i = 0; i < 8; i++) this.scratch.setUint8(i, this.byteAt(this.pos + i, end));
    this.pos += 8;
    return this.scratch.getFloat64(0, true);
  }

  /** Bytes [pos, payloadEnd) as a fresh view; only for bounded payloads (strings, small tensors). */
  bytes(payloadEnd: number): Uint8Array {
    const length = payloadEnd - this.pos;
    if (length > MAX_STRING_BYTES) this.fail(this.pos, `a string of at most ${MAX_STRING_BYTES} bytes, got ${length}`);
    const out = length === 0 ? new Uint8Array(0) : this.source.read(this.pos, length);
    this.pos = payloadEnd;
    return out;
  }

  /** A length-delimited UTF-8 string. */
  string(end: number): string {
    const payloadEnd = this.lengthDelimited(end);
    const length = payloadEnd - this.pos;
    // Short names are decoded from the window without a read or a decoder call (most names are ASCII).
    const i = this.pos - this.windowStart;
    if (length <= 64 && i >= 0 && i + length <= this.window.length) {
      let ascii = '';
      for (let k = 0; k < length; k++) {
        const c = this.window[i + k]!;
        if (c >= 0x80) {
          ascii = '';
          break;
        }
        ascii += String.fromCharCode(c);
        if (k === length - 1) {
          this.pos = payloadEnd;
          return ascii;
        }
      }
    }
    utf8 ??= new TextDecoder();
    return utf8.decode(this.bytes(payloadEnd));
  }

  /** Skips one field's payload of the given wire type. */
  skip(wire: number, end: number): void {
    switch (wire) {
      case Wire.Varint: this.varint(end); return;
      case Wire.Fixed64:
        if (this.pos + 8 > end) this.fail(this.pos, '8 bytes of a fixed64 field');
        this.pos += 8;
        return;
      case Wire.Fixed32:
        if (this.pos + 4 > end) this.fail(this.pos, '4 bytes of a fixed32 field');
        this.pos += 4;
        return;
      case Wire.Bytes: this.pos = this.lengthDelimited(end); return;
      default: this.fail(this.pos, `a known wire type, got ${wireName(wire)}`);
    }
  }

  /** Fails unless a field has the wire type its schema says. */
  expectWire(wire: number, wanted: number, field: string): void {
    if (wire !== wanted) this.fail(this.pos, `${field} as ${wireName(wanted)}, got ${wireName(wire)}`);
  }

  /**
   * Repeated integers that proto2 may write packed (one length-delimited field) or unpacked (one
   * varint field each); appends to `into`, bounded by `limit` values.
   */
  repeatedVarints(wire: number, end: number, into: number[], limit: number, field: string): void {
    if (wire === Wire.Varint) {
      if (into.length >= limit) this.fail(this.pos, `at most ${limit} values in ${field}`);
      into.push(this.varint(end));
      return;
    }
    this.expectWire(wire, Wire.Bytes, field);
    const payloadEnd = this.lengthDelimited(end);
    while (this.pos < payloadEnd) {
      if (into.length >= limit) this.fail(this.pos, `at most ${limit} values in ${field}`);
      into.push(this.varint(payloadEnd));
    }
  }

  /** Repeated floats, packed or unpacked. */
  repeatedFloats(wire: number, end: number, into: number[], limit: number, field: string): void {
    if (wire === Wire.Fixed32) {
      if (into.length >= limit) this.fail(this.pos, `at most ${limit} values in ${field}`);
      into.push(this.float(end));
      return;
    }
    this.expectWire(wire, Wire.Bytes, field);
    const payloadEnd = this.lengthDelimited(end);
    if ((payloadEnd - this.pos) % 4 !== 0) this.fail(this.pos, `a multiple of 4 bytes of packed floats in ${field}`);
    while (this.pos < payloadEnd) {
      if (into.length >= limit) this.fail(this.pos, `at most ${limit} values in ${field}`);
      into.push(this.float(payloadEnd));
    }
  }
}
