/**
 * Reads a TFLite flatbuffer ("TFL3") into plain data: operator codes, subgraphs, tensors with shapes,
 * types and quantization, operators with decoded options, and where each buffer's bytes are. Buffer
 * contents are never read: only their offsets and sizes are recorded.
 */
import { NodeBudget } from '../../graph/nodeBudget';
import type { Attribute, DataType } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { PagedReader } from '../pagedReader';
import { FlatTable } from './flatbuffer';
import { decodeBuiltinOptions } from './options';
import {
  BUFFER, BUILTIN_CUSTOM, MODEL, OPERATOR, OPERATOR_CODE, QUANTIZATION, SUBGRAPH, TENSOR,
  builtinOperatorName, tensorDataType,
} from './schema';

/**
 * Limits far above any real model (large converted LLMs have a few thousand tensors) that keep a
 * hostile file from exhausting memory: vector entries are 4-byte offsets that may all point at one
 * table, so entry counts are capped, not only checked against the file size.
 */
const MAX_SUBGRAPHS = 10_000;
const MAX_TENSORS = 500_000;
const MAX_OPERATORS = 500_000;
const MAX_BUFFERS = 500_000;
/** Across all subgraphs together. */
const MAX_TOTAL_ENTRIES = 2_000_000;
const MAX_RANK = 64;

export interface TfliteQuantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** Axis of per-channel parameters (meaningful when scale has more than one entry). */
  readonly quantizedDimension: number;
  readonly min?: readonly number[];
  readonly max?: readonly number[];
}

export interface TfliteTensor {
  readonly index: number;
  readonly name: string;
  readonly dataType: DataType;
  readonly typeCode: number;
  readonly shape: readonly number[];
  /** Shape with -1 for dimensions unknown at conversion time (batch, sequence). */
  readonly shapeSignature?: readonly number[];
  readonly buffer: number;
  readonly quantization?: TfliteQuantization;
  readonly isVariable: boolean;
  readonly sparse: boolean;
}

export interface TfliteOperator {
  readonly index: number;
  readonly opcodeIndex: number;
  /** Builtin name (CONV_2D) or, for custom ops, the custom code. */
  readonly opType: string;
  readonly custom: boolean;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly attributes: ReadonlyMap<string, Attribute>;
}

export interface TfliteSubgraph {
  readonly name: string;
  readonly tensors: readonly TfliteTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperator[];
}

export interface TfliteBuffer {
  /** Absolute file offset of the data (inside the flatbuffer, or past it in the newer large-model layout). */
  readonly offset: number;
  readonly size: number;
  readonly external: boolean;
}

export interface TfliteOperatorCode {
  readonly builtinCode: number;
  readonly name: string;
  readonly customCode?: string;
  readonly version: number;
}

export interface TfliteModel {
  readonly version: number;
  readonly description?: string;
  readonly operatorCodes: readonly TfliteOperatorCode[];
  readonly subgraphs: readonly TfliteSubgraph[];
  readonly buffers: readonly TfliteBuffer[];
  readonly warnings: readonly string[];
}

/** True when the bytes carry the TFLite file identifier 'TFL3' at offset 4. */
export function looksLikeTflite(source: ByteSource): boolean {
  if (source.size < 8) return false;
  const id = source.read(4, 4);
  return id[0] === 0x54 && id[1] === 0x46 && id[2] === 0x4c && id[3] === 0x33;
}

/** Counts tensors and operators over all subgraphs against MAX_TOTAL_ENTRIES. */
class EntryBudget {
  private used = 0;
  constructor(private readonly reader: PagedReader) {}
  take(n: number, what: string): void {
    this.used += n;
    if (this.used > MAX_TOTAL_ENTRIES) this.reader.fail(undefined, `at most ${MAX_TOTAL_ENTRIES} tensors and operators in all subgraphs (${what})`);
  }
}

export function readTfliteModel(source: ByteSource, options: { readonly maxGraphNodes?: number } = {}): TfliteModel {
  const reader = new PagedReader(source);
  if (!looksLikeTflite(source)) reader.fail(4, "the TFLite file identifier 'TFL3'");
  const warnings: string[] = [];
  const model = FlatTable.root(reader, 'Model');
  const version = model.u32(MODEL.version);
  if (version !== 3) warnings.push(`TFLite schema version ${version}; this reader follows version 3.`);

  const operatorCodes = model.tables(MODEL.operatorCodes, 'Model.operator_codes', MAX_OPERATORS).map(readOperatorCode);
  const buffers = model.tables(MODEL.buffers, 'Model.buffers', MAX_BUFFERS).map((t, i) => readBuffer(reader, t, i));
  const subgraphTables = model.tables(MODEL.subgraphs, 'Model.subgraphs', MAX_SUBGRAPHS);
  if (subgraphTables.length === 0) reader.fail(undefined, 'at least one subgraph');
  const budget = new EntryBudget(reader);
  const nodeBudget = new NodeBudget(options.maxGraphNodes);
  const subgraphs = subgraphTables.map((t, i) => readSubgraph(reader, t, i, operatorCodes, buffers.length, warnings, budget, nodeBudget));
  const description = model.string(MODEL.description, 'Model.description');
  return { version, ...(description !== undefined ? { description } : {}), operatorCodes, subgraphs, buffers, warnings };
}

function readOperatorCode(t: FlatTable): TfliteOperatorCode {
  // Codes ≥ 127 live only in builtin_code; older files set only the deprecated byte: take the larger.
  const builtinCode = Math.max(t.i8(OPERATOR_CODE.deprecatedBuiltinCode), t.i32(OPERATOR_CODE.builtinCode));
  const customCode = t.string(OPERATOR_CODE.customCode, 'OperatorCode.custom_code');
  return {
    builtinCode,
    name: builtinOperatorName(builtinCode),
    ...(customCode !== undefined ? { customCode } : {}),
    version: t.i32(OPERATOR_CODE.version, 1),
  };
}

function readBuffer(reader: PagedReader, t: FlatTable, index: number): TfliteBuffer {
  const data = t.vector(BUFFER.data, 1, `Buffer[${index}].data`);
  if (data && data.length > 0) return { offset: data.start, size: data.length, external: false };
  // Large-model layout (schema 3c): data after the flatbuffer at an absolute offset; offset 1 is a
  // placeholder the converter writes before it knows the position.
  const offset = t.safeU64(BUFFER.offset, `Buffer[${index}].offset`);
  const size = t.safeU64(BUFFER.size, `Buffer[${index}].size`);
  if (offset > 1 && size > 0) {
    reader.check(offset, size, `Buffer[${index}] data stored past the flatbuffer`);
    return { offset, size, external: true };
  }
  return { offset: 0, size: 0, external: false };
}

function readSubgraph(
  reader: PagedReader, t: FlatTable, index: number, codes: readonly TfliteOperatorCode[], bufferCount: number, warnings: string[],
  budget: EntryBudget, nodeBudget: NodeBudget,
): TfliteSubgraph {
  const what = `SubGraph[${index}]`;
  const tensorTables = t.tables(SUBGRAPH.tensors, `${what}.tensors`, MAX_TENSORS);
  budget.take(tensorTables.length, `${what}.tensors`);
  const tensors = tensorTables.map((tt, i) => readTensor(reader, tt, i, bufferCount, `${what}.tensors[${i}]`));
  const checkIndices = (list: number[] | undefined, field: string, allowOmitted: boolean): number[] => {
    for (const i of list ?? []) {
      if ((i < 0 && !(allowOmitted && i === -1)) || i >= tensors.length) {
        reader.fail(t.pos, `${what}.${field} to name tensors 0..${tensors.length - 1}, got ${i}`);
      }
    }
    return list ?? [];
  };
  const operatorTables = t.tables(SUBGRAPH.operators, `${what}.operators`, MAX_OPERATORS);
  budget.take(operatorTables.length, `${what}.operators`);
  nodeBudget.take(operatorTables.length, reader.name, t.pos);
  const operators = operatorTables.map((ot, i) => {
    const opWhat = `${what}.operators[${i}]`;
    const opcodeIndex = ot.u32(OPERATOR.opcodeIndex);
    const code = codes[opcodeIndex];
    if (!code) reader.fail(ot.pos, `${opWhat}.opcode_index below ${codes.length}, got ${opcodeIndex}`);
    const custom = code.builtinCode === BUILTIN_CUSTOM;
    const attributes = new Map<string, Attribute>();
    const optionsType = ot.u8(OPERATOR.builtinOptionsType);
    const options = optionsType !== 0 ? ot.table(OPERATOR.builtinOptions, `${opWhat}.builtin_options`) : undefined;
    if (options) {
      const warning = decodeBuiltinOptions(optionsType, options, attributes);
      if (warning && !warnings.some((w) => w.endsWith(`${code.name}: ${warning}`))) warnings.push(`${code.name}: ${warning}`);
    }
    return {
      index: i,
      opcodeIndex,
      opType: custom ? code.customCode ?? 'CUSTOM' : code.name,
      custom,
      inputs: checkIndices(ot.i32s(OPERATOR.inputs, `${opWhat}.inputs`), `operators[${i}].inputs`, true),
      outputs: checkIndices(ot.i32s(OPERATOR.outputs, `${opWhat}.outputs`), `operators[${i}].outputs`, false),
      attributes,
    };
  });
  return {
    name: t.string(SUBGRAPH.name, `${what}.name`) ?? '',
    tensors,
    inputs: checkIndices(t.i32s(SUBGRAPH.inputs, `${what}.inputs`), 'inputs', false),
    outputs: checkIndices(t.i32s(SUBGRAPH.outputs, `${what}.outputs`), 'outputs', false),
    operators,
  };
}

function readShape(reader: PagedReader, t: FlatTable, field: number, what: string, allowMinusOne: boolean): number[] | undefined {
  const v = t.vector(field, 4, what);
  if (!v) return undefined;
  if (v.length > MAX_RANK) reader.fail(v.start, `${what} of rank ≤ ${MAX_RANK}, got ${v.length}`);
  const shape = t.i32s(field, what) ?? [];
  for (const d of shape) if (d < 0 && !(allowMinusOne && d === -1)) reader.fail(v.start, `${what} with dimensions ≥ 0, got ${d}`);
  return shape;
}

function readTensor(reader: PagedReader, t: FlatTable, index: number, bufferCount: number, what: string): TfliteTensor {
  const typeCode = t.i8(TENSOR.type);
  const buffer = t.u32(TENSOR.buffer);
  if (buffer >= bufferCount && buffer !== 0) reader.fail(t.pos, `${what}.buffer below ${bufferCount}, got ${buffer}`);
  // Static shapes may carry -1 in files from dynamic-shape converters; treat like shape_signature.
  const shape = readShape(reader, t, TENSOR.shape, `${what}.shape`, true) ?? [];
  const shapeSignature = readShape(reader, t, TENSOR.shapeSignature, `${what}.shape_signature`, true);
  if (shapeSignature && shapeSignature.length !== shape.length) {
    reader.fail(t.pos, `${what}.shape_signature of the same rank as shape (${shape.length}), got ${shapeSignature.length}`);
  }
  const q = t.table(TENSOR.quantization, `${what}.quantization`);
  let quantization: TfliteQuantization | undefined;
  if (q) {
    const scale = q.f32s(QUANTIZATION.scale, `${what}.quantization.scale`) ?? [];
    const zeroPoint = q.i64s(QUANTIZATION.zeroPoint, `${what}.quantization.zero_point`) ?? [];
    const min = q.f32s(QUANTIZATION.min, `${what}.quantization.min`);
    const max = q.f32s(QUANTIZATION.max, `${what}.quantization.max`);
    if (scale.length > 0 || min) {
      quantization = {
        scale, zeroPoint, quantizedDimension: q.i32(QUANTIZATION.quantizedDimension),
        ...(min ? { min } : {}), ...(max ? { max } : {}),
      };
    }
  }
  return {
    index,
    name: t.string(TENSOR.name, `${what}.name`) ?? '',
    dataType: tensorDataType(typeCode),
    typeCode,
    shape,
    ...(shapeSignature ? { shapeSignature } : {}),
    buffer,
    ...(quantization ? { quantization } : {}),
    isVariable: t.bool(TENSOR.isVariable),
    sparse: t.has(TENSOR.sparsity),
  };
}
