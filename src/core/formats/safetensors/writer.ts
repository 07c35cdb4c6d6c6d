/** Writes safetensors files for fixtures: header JSON padded to 8 bytes, then the tensors in order. */
import { SAFETENSORS_DTYPES } from './safetensors';

export interface SafetensorsTensorSpec {
  readonly name: string;
  readonly dtype: keyof typeof SAFETENSORS_DTYPES;
  readonly shape: readonly number[];
  /** Tensor bytes; zeros of the right size when omitted. */
  readonly data?: Uint8Array;
  /** Unused bytes left before the tensor (tests of gap warnings). */
  readonly gapBefore?: number;
}

export function writeSafetensors(tensors: readonly SafetensorsTensorSpec[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const info = SAFETENSORS_DTYPES[t.dtype];
    if (!info) throw new Error(`unknown dtype ${t.dtype}`);
    const size = Math.ceil((t.shape.reduce((a, b) => a * b, 1) * info.bits) / 8);
    const data = t.data ?? new Uint8Array(size);
    if (data.length !== size) throw new Error(`${t.name}: ${data.length} bytes given, ${size} expected`);
    if (t.gapBefore) {
      blobs.push(new Uint8Array(t.gapBefore));
      offset += t.gapBefore;
    }
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    blobs.push(data);
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // The reference writer pads the header with spaces so tensor data starts 8-byte aligned.
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
