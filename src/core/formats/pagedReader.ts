import type { ByteSource } from '../io/byteSource';
import { ModelFormatError } from '../errors';

/**
 * Little-endian reads at absolute offsets over a ByteSource, through a small page cache, so readers
 * of flatbuffers (random access) and GGUF (many small sequential reads) make few positioned reads and
 * never load a whole multi-gigabyte file. Every read is bounds-checked and throws ModelFormatError.
 */
export class PagedReader {
  private readonly pages = new Map<number, Uint8Array>();
  private readonly scratch = new DataView(new ArrayBuffer(8));
  /** The page used last: sequential readers hit it almost always, skipping the LRU bookkeeping. */
  private lastIndex = -1;
  private lastPage: Uint8Array | undefined;

  constructor(
    readonly source: ByteSource,
    private readonly pageSize = 64 * 1024,
    private readonly maxPages = 64,
  ) {}

  get size(): number {
    return this.source.size;
  }

  get name(): string {
    return this.source.name;
  }

  /** Throws a ModelFormatError for this file. */
  fail(offset: number | undefined, expected: string, hint?: string): never {
    throw new ModelFormatError(this.source.name, offset, expected, hint);
  }

  /** Checks that [offset, offset + length) lies inside the file. */
  check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      this.fail(offset, `${what} (${length} bytes) inside the file of ${this.size} bytes`, 'The file looks truncated or corrupted.');
    }
  }

  private page(index: number): Uint8Array {
    if (index === this.lastIndex && this.lastPage) return this.lastPage;
    const page = this.lookup(index);
    this.lastIndex = index;
    this.lastPage = page;
    return page;
  }

  private lookup(index: number): Uint8Array {
    let page = this.pages.get(index);
    if (page) {
      // Refresh recency: Map iteration order is insertion order, so re-insert.
      this.pages.delete(index);
      this.pages.set(index, page);
      return page;
    }
    const start = index * this.pageSize;
    const length = Math.min(this.pageSize, this.size - start);
    page = this.source.read(start, length);
    if (this.pages.size >= this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(index, page);
    return page;
  }

  /** `length` bytes at `offset` (a view when inside one page, else a copy). */
  bytes(offset: number, length: number, what = 'bytes'): Uint8Array {
    this.check(offset, length, what);
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / this.pageSize);
    const last = Math.floor((offset + length - 1) / this.pageSize);
    if (first === last) {
      const start = offset - first * this.pageSize;
      return this.page(first).subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    let done = 0;
    for (let index = first; index <= last; index++) {
      const page = this.page(index);
      const from = index === first ? offset - first * this.pageSize : 0;
      const take = Math.min(page.length - from, length - done);
      out.set(page.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }

  private view(offset: number, length: number, what: string): DataView {
    const b = this.bytes(offset, length, what);
    for (let i = 0; i < length; i++) this.scratch.setUint8(i, b[i] ?? 0);
    return this.scratch;
  }

  u8(offset: number, what = 'a byte'): number {
    return this.view(offset, 1, what).getUint8(0);
  }
  i8(offset: number, what = 'a byte'): number {
    return this.view(offset, 1, what).getInt8(0);
  }
  u16(offset: number, what = 'a uint16'): number {
    return this.view(offset, 2, what).getUint16(0, true);
  }
  i16(offset: number, what = 'an int16'): number {
    return this.view(offset, 2, what).getInt16(0, true);
  }
  u32(offset: number, what = 'a uint32'): number {
    return this.view(offset, 4, what).getUint32(0, true);
  }
  i32(offset: number, what = 'an int32'): number {
    return this.view(offset, 4, what).getInt32(0, true);
  }
  f32(offset: number, what = 'a float32'): number {
    return this.view(offset, 4, what).getFloat32(0, true);
  }
  f64(offset: number, what = 'a float64'): number {
    return this.view(offset, 8, what).getFloat64(0, true);
  }
  u64(offset: number, what = 'a uint64'): bigint {
    return this.view(offset, 8, what).getBigUint64(0, true);
  }
  i64(offset: number, what = 'an int64'): bigint {
    return this.view(offset, 8, what).getBigInt64(0, true);
  }

  /** A uint64 that must fit in a JavaScript safe integer (sizes, counts, offsets). */
  safeU64(offset: number, what: string): number {
    const v = this.u64(offset, what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(offset, `${what} below 2^53, got ${v}`);
    return Number(v);
  }

  /** UTF-8 text of `length` bytes at `offset`. */
  utf8(offset: number, length: number, what = 'a string'): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes(offset, length, what));
  }
}

/** A sequential cursor over a PagedReader, for formats read front to back (GGUF). */
export class Cursor {
  constructor(
    readonly reader: PagedReader,
    public offset = 0,
  ) {}

  get remaining(): number {
    return this.reader.size - this.offset;
  }

  private advance(n: number): number {
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(what?: string): number { return this.reader.u8(this.advance(1), what); }
  i8(what?: string): number { return this.reader.i8(this.advance(1), what); }
  u16(what?: string): number { return this.reader.u16(this.advance(2), what); }
  i16(what?: string): number { return this.reader.i16(this.advance(2), what); }
  u32(what?: string): number { return this.reader.u32(this.advance(4), what); }
  i32(what?: string): number { return this.reader.i32(this.advance(4), what); }
  f32(what?: string): number { return this.reader.f32(this.advance(4), what); }
  f64(what?: string): number { return this.reader.f64(this.advance(8), what); }
  u64(what?: string): bigint { return this.reader.u64(this.advance(8), what); }
  i64(what?: string): bigint { return this.reader.i64(this.advance(8), what); }
  safeU64(what: string): number { return this.reader.safeU64(this.advance(8), what); }
  skip(n: number, what: string): void {
    this.reader.check(this.offset, n, what);
    this.offset += n;
  }
  utf8(length: number, what?: string): string {
    const at = this.offset;
    this.reader.check(at, length, what ?? 'a string');
    this.offset += length;
    return this.reader.utf8(at, length, what);
  }
}
