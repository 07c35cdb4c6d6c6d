/**
 * Whether bytes look like an ONNX ModelProto: a plausible first field of the message. ONNX has no
 * magic number, so it is tried after every format that has one (src/core/formats/registry.ts).
 */
import type { ByteSource } from '../io/byteSource';
import { isModelField } from './reader';

const HEAD_BYTES = 64;

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const b = bytes[at + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return [value, at + i + 1];
  }
  return undefined;
}

export function looksLikeOnnx(source: ByteSource): boolean {
  if (source.size === 0) return false;
  const head = source.read(0, Math.min(HEAD_BYTES, source.size));
  const tag = readVarint(head, 0);
  if (!tag) return false;
  const [key, next] = tag;
  const field = Math.floor(key / 8);
  const wire = key % 8;
  if (!isModelField(field, wire)) return false;
  if (wire === 2) {
    const length = readVarint(head, next);
    return !!length && length[1] + length[0] <= source.size;
  }
  return readVarint(head, next) !== undefined;
}
