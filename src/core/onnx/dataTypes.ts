/** ONNX TensorProto.DataType codes and how each is stored in a TensorProto. */
import type { DataType } from '../graph/ir';

const CODE_TO_TYPE: readonly DataType[] = [
  'unknown', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool',
  'float16', 'float64', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16', 'float8e4m3fn',
  'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1', 'float8e8m0',
  'uint2', 'int2',
];

export function dataTypeFromCode(code: number): DataType {
  return CODE_TO_TYPE[code] ?? 'unknown';
}

export function dataTypeCode(type: DataType): number {
  const code = CODE_TO_TYPE.indexOf(type);
  return code < 0 ? 0 : code;
}

/** Which typed repeated field of TensorProto holds values of this type when raw_data is not used. */
export type TypedField = 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' | 'string_data';

export function typedFieldOf(type: DataType): TypedField | undefined {
  switch (type) {
    case 'float32': case 'complex64': return 'float_data';
    case 'float64': case 'complex128': return 'double_data';
    case 'int64': return 'int64_data';
    case 'uint32': case 'uint64': return 'uint64_data';
    case 'string': return 'string_data';
    case 'unknown': case 'quantized': return undefined;
    // Everything narrower than 32 bits (ints, bool, float16, bfloat16, float8, int4...) lives in int32_data.
    default: return 'int32_data';
  }
}

export function isFloatType(type: DataType): boolean {
  return type.startsWith('float') || type === 'bfloat16';
}

export function isIntegerType(type: DataType): boolean {
  return /^u?int\d+$/.test(type) || type === 'bool';
}
