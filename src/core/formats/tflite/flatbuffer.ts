import type { PagedReader } from '../pagedReader';

/** Elements any one file may decode (vector entries, string bytes), whatever its size. */
export const DECODE_BUDGET_BASE = 4_000_000;

/**
 * Elements decoded so far per file. Flatbuffers may point many tables at one shared table or vector,
 * so checking each vector against the file size is not enough: 100k operators sharing one input
 * vector of 100k entries decode 10^10 numbers from an 800 KB file. Each file gets a budget of
 * DECODE_BUDGET_BASE + one element per 4 bytes of file; reaching it is a ModelFormatError (exit 2).
 */
const decoded = new WeakMap<PagedReader, number>();

function charge(reader: PagedReader, elements: number, at: number, what: string): void {
  const used = (decoded.get(reader) ?? 0) + elements;
  const budget = DECODE_BUDGET_BASE + Math.floor(reader.size / 4);
  if (used > budget) {
    reader.fail(at, `at most ${budget} decoded elements in all (reached at ${what})`,
      'Many entries point at the same shared table or vector: the file is hostile or corrupted.');
  }
  decoded.set(reader, used);
}

/**
 * A minimal reader of FlatBuffers tables (https://flatbuffers.dev/internals/) over a PagedReader.
 * It knows the wire layout only; the TFLite schema lives in schema.ts and reader.ts. Every offset is
 * checked against the file, and vector lengths against the bytes that remain, so a hostile file can
 * cause an error but never an allocation larger than the file.
 */
export class FlatTable {
  private constructor(
    readonly reader: PagedReader,
    /** Absolute position of the table. */
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
  ) {}

  /** The table at `pos`, validated: its vtable and its inline bytes lie inside the file. */
  static at(reader: PagedReader, pos: number, what: string): FlatTable {
    reader.check(pos, 4, what);
    const vtable = pos - reader.i32(pos, `${what} vtable offset`);
    reader.check(vtable, 4, `${what} vtable`);
    const vtableSize = reader.u16(vtable);
    const tableSize = reader.u16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0) reader.fail(vtable, `a vtable of ${what} with an even size ≥ 4, got ${vtableSize}`);
    if (tableSize < 4) reader.fail(vtable, `${what} of at least 4 bytes, got ${tableSize}`);
    reader.check(vtable, vtableSize, `${what} vtable`);
    reader.check(pos, tableSize, what);
    return new FlatTable(reader, pos, vtable, vtableSize, tableSize);
  }

  /** The root table of a buffer starting at `base` (0 for a whole file). */
  static root(reader: PagedReader, what: string, base = 0): FlatTable {
    return FlatTable.at(reader, base + reader.u32(base, 'the root table offset'), what);
  }

  /** Absolute position of field `index`, or undefined when the field is absent (default value). */
  private field(index: number, width: number): number | undefined {
    const slot = 4 + 2 * index;
    if (slot + 2 > this.vtableSize) return undefined;
    const offset = this.reader.u16(this.vtable + slot);
    if (offset === 0) return undefined;
    if (offset + width > this.tableSize) this.reader.fail(this.pos, `field ${index} (${width} bytes at +${offset}) inside its table of ${this.tableSize} bytes`);
    return this.pos + offset;
  }

  has(index: number): boolean {
    return this.field(index, 1) !== undefined;
  }

  u8(index: number, fallback = 0): number {
    const p = this.field(index, 1);
    return p === undefined ? fallback : this.reader.u8(p);
  }
  i8(index: number, fallback = 0): number {
    const p = this.field(index, 1);
    return p === undefined ? fallback : this.reader.i8(p);
  }
  bool(index: number, fallback = false): boolean {
    const p = this.field(index, 1);
    return p === undefined ? fallback : this.reader.u8(p) !== 0;
  }
  i32(index: number, fallback = 0): number {
    const p = this.field(index, 4);
    return p === undefined ? fallback : this.reader.i32(p);
  }
  u32(index: number, fallback = 0): number {
    const p = this.field(index, 4);
    return p === undefined ? fallback : this.reader.u32(p);
  }
  f32(index: number, fallback = 0): number {
    const p = this.field(index, 4);
    return p === undefined ? fallback : this.reader.f32(p);
  }
  /** A uint64 field that must fit a safe integer (offsets and sizes). */
  safeU64(index: number, what: string, fallback = 0): number {
    const p = this.field(index, 8);
    return p === undefined ? fallback : this.reader.safeU64(p, what);
  }

  /** Follows the uoffset stored at field `index`; undefined when absent. */
  private target(index: number, what: string): number | undefined {
    const p = this.field(index, 4);
    if (p === undefined) return undefined;
    const target = p + this.reader.u32(p, `${what} offset`);
    this.reader.check(target, 4, what);
    return target;
  }

  table(index: number, what: string): FlatTable | undefined {
    const t = this.target(index, what);
    return t === undefined ? undefined : FlatTable.at(this.reader, t, what);
  }

  /** A vector's element start and length; the whole vector is checked to lie inside the file. */
  vector(index: number, elementSize: number, what: string): FlatVector | undefined {
    const t = this.target(index, what);
    if (t === undefined) return undefined;
    const length = this.reader.u32(t, `${what} length`);
    const start = t + 4;
    // Checked before anything is allocated from `length`.
    if (length * elementSize > this.reader.size - start) {
      this.reader.fail(t, `${what} of ${length} elements × ${elementSize} bytes inside the file`, 'The file looks truncated or corrupted.');
    }
    return { start, length, elementSize };
  }

  string(index: number, what: string): string | undefined {
    const v = this.vector(index, 1, what);
    if (v === undefined) return undefined;
    charge(this.reader, v.length, v.start, what);
    return this.reader.utf8(v.start, v.length, what);
  }

  /** A vector of tables; more than `maxCount` entries is an error raised before any is read. */
  tables(index: number, what: string, maxCount = Number.MAX_SAFE_INTEGER): FlatTable[] {
    const v = this.vector(index, 4, what);
    if (!v) return [];
    if (v.length > maxCount) this.reader.fail(v.start - 4, `at most ${maxCount} entries in ${what}, got ${v.length}`);
    charge(this.reader, v.length, v.start, what);
    const out: FlatTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      out.push(FlatTable.at(this.reader, p + this.reader.u32(p), `${what}[${i}]`));
    }
    return out;
  }

  i32s(index: number, what: string): number[] | undefined {
    const v = this.vector(index, 4, what);
    if (!v) return undefined;
    charge(this.reader, v.length, v.start, what);
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.reader.i32(v.start + 4 * i, what));
    return out;
  }

  f32s(index: number, what: string): number[] | undefined {
    const v = this.vector(index, 4, what);
    if (!v) return undefined;
    charge(this.reader, v.length, v.start, what);
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.reader.f32(v.start + 4 * i, what));
    return out;
  }

  /** int64 elements as numbers (zero points: small by construction). */
  i64s(index: number, what: string): number[] | undefined {
    const v = this.vector(index, 8, what);
    if (!v) return undefined;
    charge(this.reader, v.length, v.start, what);
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(Number(this.reader.i64(v.start + 8 * i, what)));
    return out;
  }
}

export interface FlatVector {
  /** Absolute position of the first element. */
  readonly start: number;
  readonly length: number;
  readonly elementSize: number;
}
