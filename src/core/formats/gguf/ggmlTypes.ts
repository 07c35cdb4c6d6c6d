/**
 * GGML tensor types as stored in GGUF: elements per block and bytes per block, from the block
 * structs of ggml-common.h (e.g. Q4_0 = fp16 scale + 16 bytes of nibbles = 18 bytes per 32 weights;
 * Q4_K = 144 bytes per 256; Q6_K = 210 per 256; Q8_0 = 34 per 32). Removed ids (4, 5, 31–33, 36–38)
 * are absent on purpose: a file using them is refused rather than mis-sized.
 */
import type { DataType } from '../../graph/ir';

export interface GgmlType {
  readonly id: number;
  readonly name: string;
  readonly blockSize: number;
  readonly typeSize: number;
  /** The IR type: plain types map directly, block-quantized ones are 'quantized'. */
  readonly dataType: DataType;
}

const Q: DataType = 'quantized';

const TYPES: readonly GgmlType[] = [
  { id: 0, name: 'F32', blockSize: 1, typeSize: 4, dataType: 'float32' },
  { id: 1, name: 'F16', blockSize: 1, typeSize: 2, dataType: 'float16' },
  { id: 2, name: 'Q4_0', blockSize: 32, typeSize: 18, dataType: Q },
  { id: 3, name: 'Q4_1', blockSize: 32, typeSize: 20, dataType: Q },
  { id: 6, name: 'Q5_0', blockSize: 32, typeSize: 22, dataType: Q },
  { id: 7, name: 'Q5_1', blockSize: 32, typeSize: 24, dataType: Q },
  { id: 8, name: 'Q8_0', blockSize: 32, typeSize: 34, dataType: Q },
  { id: 9, name: 'Q8_1', blockSize: 32, typeSize: 36, dataType: Q },
  { id: 10, name: 'Q2_K', blockSize: 256, typeSize: 84, dataType: Q },
  { id: 11, name: 'Q3_K', blockSize: 256, typeSize: 110, dataType: Q },
  { id: 12, name: 'Q4_K', blockSize: 256, typeSize: 144, dataType: Q },
  { id: 13, name: 'Q5_K', blockSize: 256, typeSize: 176, dataType: Q },
  { id: 14, name: 'Q6_K', blockSize: 256, typeSize: 210, dataType: Q },
  { id: 15, name: 'Q8_K', blockSize: 256, typeSize: 292, dataType: Q },
  { id: 16, name: 'IQ2_XXS', blockSize: 256, typeSize: 66, dataType: Q },
  { id: 17, name: 'IQ2_XS', blockSize: 256, typeSize: 74, dataType: Q },
  { id: 18, name: 'IQ3_XXS', blockSize: 256, typeSize: 98, dataType: Q },
  { id: 19, name: 'IQ1_S', blockSize: 256, typeSize: 50, dataType: Q },
  { id: 20, name: 'IQ4_NL', blockSize: 32, typeSize: 18, dataType: Q },
  { id: 21, name: 'IQ3_S', blockSize: 256, typeSize: 110, dataType: Q },
  { id: 22, name: 'IQ2_S', blockSize: 256, typeSize: 82, dataType: Q },
  { id: 23, name: 'IQ4_XS', blockSize: 256, typeSize: 136, dataType: Q },
  { id: 24, name: 'I8', blockSize: 1, typeSize: 1, dataType: 'int8' },
  { id: 25, name: 'I16', blockSize: 1, typeSize: 2, dataType: 'int16' },
  { id: 26, name: 'I32', blockSize: 1, typeSize: 4, dataType: 'int32' },
  { id: 27, name: 'I64', blockSize: 1, typeSize: 8, dataType: 'int64' },
  { id: 28, name: 'F64', blockSize: 1, typeSize: 8, dataType: 'float64' },
  { id: 29, name: 'IQ1_M', blockSize: 256, typeSize: 56, dataType: Q },
  { id: 30, name: 'BF16', blockSize: 1, typeSize: 2, dataType: 'bfloat16' },
  { id: 34, name: 'TQ1_0', blockSize: 256, typeSize: 54, dataType: Q },
  { id: 35, name: 'TQ2_0', blockSize: 256, typeSize: 66, dataType: Q },
  { id: 39, name: 'MXFP4', blockSize: 32, typeSize: 17, dataType: Q },
];

const BY_ID = new Map(TYPES.map((t) => [t.id, t]));
const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));

export function ggmlType(id: number): GgmlType | undefined {
  return BY_ID.get(id);
}

export function ggmlTypeByName(name: string): GgmlType {
  const t = BY_NAME.get(name);
  if (!t) throw new Error(`unknown GGML type ${name}`);
  return t;
}

/** Bits per weight including block scales (Q4_0: 4.5, Q4_K: 4.5, Q6_K: 6.5625, Q8_0: 8.5). */
export function bitsPerWeight(t: GgmlType): number {
  return (8 * t.typeSize) / t.blockSize;
}
