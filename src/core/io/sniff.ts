/**
 * Recognizes a model file's format from its first bytes, never from its name (Netron's approach):
 * ONNX by a plausible first ModelProto field, the others by their magic numbers.
 */
import type { ModelFormat } from '../graph/ir';
import { isModelField } from '../onnx/reader';
import type { ByteSource } from './byteSource';

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

function looksLikeOnnx(head: Uint8Array, size: number): boolean {
  const tag = readVarint(head, 0);
  if (!tag) return false;
  const [key, next] = tag;
  const field = Math.floor(key / 8);
  const wire = key % 8;
  if (!isModelField(field, wire)) return false;
  if (wire === 2) {
    const length = readVarint(head, next);
    return !!length && length[1] + length[0] <= size;
  }
  return readVarint(head, next) !== undefined;
}

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** The format of the bytes in `source`, or undefined when none is recognized. */
export function sniffFormat(source: ByteSource): ModelFormat | undefined {
  if (source.size === 0) return undefined;
  const head = source.read(0, Math.min(HEAD_BYTES, source.size));
  if (head.length >= 8 && ascii(head, 4, 8) === 'TFL3') return 'tflite';
  if (head.length >= 4 && ascii(head, 0, 4) === 'GGUF') return 'gguf';
  if (head.length >= 9) {
    const headerLength = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    if (headerLength > 1n && headerLength < BigInt(source.size) && head[8] === 0x7b /* { */) return 'safetensors';
  }
  const firstText = ascii(head, 0, Math.min(head.length, 16)).trimStart();
  if (firstText.startsWith('{')) return 'hf-config';
  if (looksLikeOnnx(head, source.size)) return 'onnx';
  return undefined;
}
