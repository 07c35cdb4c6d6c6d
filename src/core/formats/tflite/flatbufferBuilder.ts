/**
 * A small FlatBuffers encoder for test fixtures. Unlike the official builder (which writes back to
 * front), it lays objects out front to back: each object is placed, then the objects it refers to
 * after it, so every uoffset points forward as the format requires. Vtables are not shared; objects
 * marked with `fb.share` are placed once, after everything else, and every reference points at them
 * (as real builders deduplicate), which is how hostile-input tests build shared-table amplification.
 */

export type ScalarKind = 'bool' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'i64' | 'u64' | 'f64';

const SCALAR_SIZE: Record<ScalarKind, number> = {
  bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, i64: 8, u64: 8, f64: 8,
};

export interface FbScalar { readonly kind: 'scalar'; readonly type: ScalarKind; readonly value: number | bigint }
export interface FbTable { readonly kind: 'table'; readonly fields: readonly (FbField | undefined)[] }
export interface FbString { readonly kind: 'string'; readonly value: string }
export interface FbScalarVector { readonly kind: 'scalars'; readonly type: ScalarKind; readonly values: readonly (number | bigint)[]; readonly align?: number }
export interface FbTableVector { readonly kind: 'tables'; readonly items: readonly FbTable[] }
export type FbRef = FbTable | FbString | FbScalarVector | FbTableVector;
export type FbField = FbScalar | FbRef;

export const fb = {
  scalar: (type: ScalarKind, value: number | bigint): FbScalar => ({ kind: 'scalar', type, value }),
  table: (fields: readonly (FbField | undefined)[]): FbTable => ({ kind: 'table', fields }),
  string: (value: string): FbString => ({ kind: 'string', value }),
  scalars: (type: ScalarKind, values: readonly (number | bigint)[], align?: number): FbScalarVector =>
    ({ kind: 'scalars', type, values, ...(align !== undefined ? { align } : {}) }),
  tables: (items: readonly FbTable[]): FbTableVector => ({ kind: 'tables', items }),
  /** Marks `ref` to be written once however often it is referenced. */
  share: <T extends FbRef>(ref: T): T => {
    shared.add(ref);
    return ref;
  },
};

const shared = new WeakSet<FbRef>();

class Output {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private ensure(size: number): void {
    if (size <= this.buffer.length) return;
    let capacity = this.buffer.length;
    while (capacity < size) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  /** Reserves `size` bytes so that the position `pos + lead` is aligned to `align`; returns pos. */
  reserve(size: number, align = 1, lead = 0): number {
    while ((this.length + lead) % align !== 0) this.length++;
    const pos = this.length;
    this.ensure(pos + size);
    this.length = pos + size;
    return pos;
  }

  put(type: ScalarKind, pos: number, value: number | bigint): void {
    const v = this.view;
    switch (type) {
      case 'bool': case 'u8': v.setUint8(pos, Number(value)); break;
      case 'i8': v.setInt8(pos, Number(value)); break;
      case 'i16': v.setInt16(pos, Number(value), true); break;
      case 'u16': v.setUint16(pos, Number(value), true); break;
      case 'i32': v.setInt32(pos, Number(value), true); break;
      case 'u32': v.setUint32(pos, Number(value), true); break;
      case 'f32': v.setFloat32(pos, Number(value), true); break;
      case 'f64': v.setFloat64(pos, Number(value), true); break;
      case 'i64': v.setBigInt64(pos, BigInt(value), true); break;
      case 'u64': v.setBigUint64(pos, BigInt(value), true); break;
    }
  }

  /** Slots that refer to a shared object, filled once it is placed at the end. */
  readonly pending = new Map<FbRef, number[]>();

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Writes `ref` at the end of `out` (and everything it refers to after it); returns its position. */
function place(out: Output, ref: FbRef): number {
  switch (ref.kind) {
    case 'string': {
      const bytes = new TextEncoder().encode(ref.value);
      const pos = out.reserve(4 + bytes.length + 1, 4);
      out.put('u32', pos, bytes.length);
      for (let i = 0; i < bytes.length; i++) out.put('u8', pos + 4 + i, bytes[i] ?? 0);
      return pos;
    }
    case 'scalars': {
      const size = SCALAR_SIZE[ref.type];
      const pos = out.reserve(4 + size * ref.values.length, Math.max(4, size, ref.align ?? 1), 4);
      out.put('u32', pos, ref.values.length);
      ref.values.forEach((v, i) => out.put(ref.type, pos + 4 + size * i, v));
      return pos;
    }
    case 'tables': {
      const pos = out.reserve(4 + 4 * ref.items.length, 4);
      out.put('u32', pos, ref.items.length);
      ref.items.forEach((item, i) => link(out, pos + 4 + 4 * i, item));
      return pos;
    }
    case 'table':
      return placeTable(out, ref);
  }
}

function placeTable(out: Output, table: FbTable): number {
  // Inline layout: soffset, then fields in declaration order, each aligned to its size.
  const offsets: number[] = [];
  let size = 4;
  let maxAlign = 4;
  table.fields.forEach((field, i) => {
    if (!field) return;
    const width = field.kind === 'scalar' ? SCALAR_SIZE[field.type] : 4;
    while (size % width !== 0) size++;
    offsets[i] = size;
    size += width;
    maxAlign = Math.max(maxAlign, width);
  });
  const vtableSize = 4 + 2 * table.fields.length;
  const vtable = out.reserve(vtableSize, 2);
  const pos = out.reserve(size, maxAlign);
  out.put('u16', vtable, vtableSize);
  out.put('u16', vtable + 2, size);
  table.fields.forEach((_, i) => out.put('u16', vtable + 4 + 2 * i, offsets[i] ?? 0));
  out.put('i32', pos, pos - vtable);
  const refs: [number, FbRef][] = [];
  table.fields.forEach((field, i) => {
    const at = pos + (offsets[i] ?? 0);
    if (!field) return;
    if (field.kind === 'scalar') out.put(field.type, at, field.value);
    else refs.push([at, field]);
  });
  for (const [at, ref] of refs) link(out, at, ref);
  return pos;
}

/** Writes at `slot` the uoffset of `ref`: placed now, or later when it is shared. */
function link(out: Output, slot: number, ref: FbRef): void {
  if (!shared.has(ref)) {
    out.put('u32', slot, place(out, ref) - slot);
    return;
  }
  const slots = out.pending.get(ref);
  if (slots) slots.push(slot);
  else out.pending.set(ref, [slot]);
}

/** Encodes a root table with an optional 4-character file identifier. */
export function encodeFlatBuffer(root: FbTable, identifier?: string): Uint8Array {
  const out = new Output();
  const header = out.reserve(identifier ? 8 : 4, 1);
  if (identifier) {
    const id = new TextEncoder().encode(identifier);
    if (id.length !== 4) throw new Error('a FlatBuffers file identifier has 4 bytes');
    id.forEach((b, i) => out.put('u8', header + 4 + i, b));
  }
  out.put('u32', header, place(out, root) - header);
  // Shared objects go last, so every slot pointing at them points forward.
  while (out.pending.size > 0) {
    const [ref, slots] = out.pending.entries().next().value as [FbRef, number[]];
    out.pending.delete(ref);
    const pos = place(out, ref);
    for (const slot of slots) out.put('u32', slot, pos - slot);
  }
  return out.bytes();
}
