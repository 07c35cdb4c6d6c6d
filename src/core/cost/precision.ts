/**
 * The one table from stored types to arithmetic precision. Three questions, three answers, on
 * purpose: what an op on tensors of a type computes in; what the matrix products of an LLM run at
 * for weights stored in a type; what a Python layer's dtype (bytes per element) computes in.
 */
import type { DataType } from '../graph/ir';
import type { Precision } from './types';

/** Arithmetic precision of a data type: an op on int4 tensors runs int4, on bool ones int8. */
export function precisionOf(type: DataType | undefined): Precision | undefined {
  switch (type) {
    case undefined: case 'unknown': case 'string': case 'quantized': return undefined;
    case 'float32': case 'complex64': return 'fp32';
    case 'float64': case 'complex128': return 'fp64';
    case 'float16': return 'fp16';
    case 'bfloat16': return 'bf16';
    case 'int4': case 'uint4': case 'int2': case 'uint2': case 'float4e2m1': return 'int4';
    case 'int8': case 'uint8': case 'bool': return 'int8';
    case 'int16': case 'uint16': return 'int16';
    case 'int32': case 'uint32': case 'int64': case 'uint64': return 'int32';
    default: return type.startsWith('float8') ? 'fp8' : undefined;
  }
}

/**
 * Precision an LLM's matrix products run at for weights stored as `type`: block-quantized and narrow
 * integer weights compute as int8 (llama.cpp quantizes activations to 8 bits for its quantized dot
 * products), fp8 and fp4 as fp8, floats at their own type.
 */
export function weightComputePrecision(type: DataType): Precision | undefined {
  switch (type) {
    case 'quantized': case 'int8': case 'uint8': case 'int4': case 'uint4': case 'int2': case 'uint2': return 'int8';
    case 'bfloat16': case 'float16': case 'float32': case 'float64': return precisionOf(type);
    // Other integer tensors (token ids, shapes) are not weights a product runs on.
    default: return type.startsWith('float8') || type === 'float4e2m1' ? 'fp8' : undefined;
  }
}

/** Precision of a framework dtype known by its bytes per element (and name, for bfloat16). */
export function precisionOfBytes(bytes: number, dtypeName?: string): Precision {
  if (dtypeName?.includes('bfloat16')) return 'bf16';
  if (bytes >= 8) return 'fp64';
  if (bytes === 2) return 'fp16';
  if (bytes === 1) return 'int8';
  return 'fp32';
}
