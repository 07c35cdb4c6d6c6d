/**
 * The parts of the TFLite schema (tensorflow/lite/schema/schema.fbs, "TFL3") that analysis needs:
 * operator names by builtin code, tensor types, and the field numbers of tables and options.
 */
import type { DataType } from '../../graph/ir';

/** BuiltinOperator names by code (0..161, then the StableHLO range). */
const BUILTIN_NAMES_0 = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU',
  'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH',
  'CONCAT_EMBEDDINGS', 'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD',
  'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN', 'SUB',
  'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP',
  'TOPK_V2', 'SPLIT', 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU', 'MAXIMUM',
  'ARG_MAX', 'MINIMUM', 'LESS', 'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE', 'SIN',
  'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT',
  'SHAPE', 'POW', 'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT',
  'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN', 'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL',
  'FLOOR_MOD', 'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS',
  'SPLIT_V', 'UNIQUE', 'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU',
  'REVERSE_SEQUENCE', 'MATRIX_DIAG', 'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE',
  'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM',
  'BATCH_MATMUL', 'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE', 'BROADCAST_TO', 'RFFT2D', 'CONV_3D',
  'IMAG', 'REAL', 'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND', 'HASHTABLE_IMPORT', 'HASHTABLE_SIZE', 'REDUCE_ALL',
  'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE', 'ASSIGN_VARIABLE', 'BROADCAST_ARGS',
  'RANDOM_STANDARD_NORMAL', 'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL', 'GELU', 'DYNAMIC_UPDATE_SLICE',
  'RELU_0_TO_1', 'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM', 'ATAN2',
  'UNSORTED_SEGMENT_MIN', 'SIGN', 'BITCAST', 'BITWISE_XOR', 'RIGHT_SHIFT',
] as const;

const STABLEHLO_NAMES_162 = [
  'LOGISTIC', 'ADD', 'DIVIDE', 'MULTIPLY', 'MAXIMUM', 'RESHAPE', 'CLAMP', 'CONCATENATE', 'BROADCAST_IN_DIM',
  'CONVOLUTION', 'SLICE', 'CUSTOM_CALL', 'REDUCE', 'ABS', 'AND', 'COSINE', 'EXPONENTIAL', 'FLOOR', 'LOG', 'MINIMUM',
  'NEGATE', 'OR', 'POWER', 'REMAINDER', 'RSQRT', 'SELECT', 'SUBTRACT', 'TANH', 'SCATTER', 'COMPARE', 'CONVERT',
  'DYNAMIC_SLICE', 'DYNAMIC_UPDATE_SLICE', 'PAD', 'IOTA', 'DOT_GENERAL', 'REDUCE_WINDOW', 'SORT', 'WHILE', 'GATHER',
  'TRANSPOSE',
] as const;

export const BUILTIN_CUSTOM = 32;

/** The name of a builtin operator code, e.g. 3 → 'CONV_2D'; unknown codes keep their number. */
export function builtinOperatorName(code: number): string {
  if (code >= 0 && code < BUILTIN_NAMES_0.length) return BUILTIN_NAMES_0[code] ?? `BUILTIN_${code}`;
  const hlo = STABLEHLO_NAMES_162[code - 162];
  if (hlo !== undefined) return `STABLEHLO_${hlo}`;
  if (code === 203) return 'DILATE';
  if (code === 204) return 'STABLEHLO_RNG_BIT_GENERATOR';
  if (code === 205) return 'REDUCE_WINDOW';
  return `BUILTIN_${code}`;
}

/** The code of a builtin operator name (for the writer). */
export function builtinOperatorCode(name: string): number {
  const index = (BUILTIN_NAMES_0 as readonly string[]).indexOf(name);
  if (index < 0) throw new Error(`unknown TFLite builtin operator ${name}`);
  return index;
}

/** TensorType enum → IR data type. RESOURCE and VARIANT carry no data the analysis can size. */
const TENSOR_TYPES: readonly DataType[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8', 'float64',
  'complex128', 'uint64', 'unknown', 'unknown', 'uint32', 'uint16', 'int4', 'bfloat16',
];

export function tensorDataType(code: number): DataType {
  return TENSOR_TYPES[code] ?? 'unknown';
}

export function tensorTypeCode(dataType: DataType): number {
  const code = TENSOR_TYPES.indexOf(dataType);
  if (code < 0 || dataType === 'unknown') throw new Error(`no TFLite tensor type for ${dataType}`);
  return code;
}

/** Field numbers of the tables this reader visits (schema.fbs declaration order). */
export const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;
export const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const TENSOR = {
  shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7, hasRank: 8,
} as const;
export const QUANTIZATION = { min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, details: 5, quantizedDimension: 6 } as const;
export const OPERATOR = {
  opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5,
  largeCustomOptionsOffset: 9, largeCustomOptionsSize: 10,
} as const;
export const BUFFER = { data: 0, offset: 1, size: 2 } as const;

export const PADDING = ['SAME', 'VALID'] as const;
export const ACTIVATIONS = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;

/** BuiltinOptions union member numbers (1-based declaration order) of the options decoded here. */
export const OPTIONS_TYPE = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  ReducerOptions: 27,
  SubOptions: 28,
  DivOptions: 29,
  TransposeConvOptions: 49,
  BatchMatMulOptions: 101,
} as const;
