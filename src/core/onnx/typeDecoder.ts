/** ValueInfoProto and TypeProto -> name and TensorType. */
import type { Dim, TensorType } from '../graph/ir';
import { dataTypeFromCode } from './dataTypes';
import { DimensionField, ElementTypeField, ShapeField, TensorTypeField, TypeField, ValueInfoField } from './protoFields';
import { Wire, type WireReader } from './wireReader';

const MAX_TYPE_DEPTH = 16;
const MAX_RANK = 1024;

export interface DecodedValueInfo {
  readonly name: string;
  readonly type?: TensorType;
  /** 'sequence', 'map' or 'optional' when the value is not a plain tensor. */
  readonly container?: string;
}

export function decodeValueInfo(r: WireReader, end: number): DecodedValueInfo {
  let name = '';
  let decoded: { type?: TensorType; container?: string } = {};
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === ValueInfoField.name) { r.expectWire(wire, Wire.Bytes, 'ValueInfoProto.name'); name = r.string(end); }
    else if (field === ValueInfoField.type) { r.expectWire(wire, Wire.Bytes, 'ValueInfoProto.type'); decoded = decodeType(r, r.lengthDelimited(end), 0); }
    else r.skip(wire, end);
  }
  return { name, ...decoded };
}

/** A TypeProto; sequences and optionals report their element tensor type with a container tag. */
export function decodeType(r: WireReader, end: number, depth: number): { type?: TensorType; container?: string } {
  if (depth > MAX_TYPE_DEPTH) r.fail(r.pos, `types nested at most ${MAX_TYPE_DEPTH} deep`);
  let result: { type?: TensorType; container?: string } = {};
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === TypeField.tensorType || field === TypeField.sparseTensorType) {
      r.expectWire(wire, Wire.Bytes, 'TypeProto.tensor_type');
      result = { type: decodeTensorType(r, r.lengthDelimited(end)) };
    } else if (field === TypeField.sequenceType || field === TypeField.optionalType) {
      r.expectWire(wire, Wire.Bytes, 'TypeProto.sequence_type');
      const inner = decodeElementType(r, r.lengthDelimited(end), depth + 1);
      result = { type: inner.type, container: field === TypeField.sequenceType ? 'sequence' : inner.container ?? 'optional' };
    } else if (field === TypeField.mapType) {
      r.skip(wire, end);
      result = { container: 'map' };
    } else r.skip(wire, end);
  }
  return result;
}

function decodeElementType(r: WireReader, end: number, depth: number): { type?: TensorType; container?: string } {
  let result: { type?: TensorType; container?: string } = {};
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === ElementTypeField.elemType && wire === Wire.Bytes) result = decodeType(r, r.lengthDelimited(end), depth);
    else r.skip(wire, end);
  }
  return result;
}

function decodeTensorType(r: WireReader, end: number): TensorType {
  let code = 0;
  let shape: Dim[] | undefined;
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field === TensorTypeField.elemType) { r.expectWire(wire, Wire.Varint, 'TypeProto.Tensor.elem_type'); code = r.varint(end); }
    else if (field === TensorTypeField.shape) {
      r.expectWire(wire, Wire.Bytes, 'TypeProto.Tensor.shape');
      shape = decodeShape(r, r.lengthDelimited(end));
    } else r.skip(wire, end);
  }
  return shape ? { dataType: dataTypeFromCode(code), shape } : { dataType: dataTypeFromCode(code) };
}

function decodeShape(r: WireReader, end: number): Dim[] {
  const dims: Dim[] = [];
  while (r.pos < end) {
    const [field, wire] = r.tag(end);
    if (field !== ShapeField.dim) { r.skip(wire, end); continue; }
    r.expectWire(wire, Wire.Bytes, 'TensorShapeProto.dim');
    if (dims.length >= MAX_RANK) r.fail(r.pos, `a rank of at most ${MAX_RANK}`);
    const dimEnd = r.lengthDelimited(end);
    let dim: Dim;
    while (r.pos < dimEnd) {
      const [f, w] = r.tag(dimEnd);
      if (f === DimensionField.dimValue && w === Wire.Varint) {
        const v = r.varint(dimEnd);
        dim = v >= 0 ? v : undefined; // -1 and friends mean "unknown" in some exporters
      } else if (f === DimensionField.dimParam && w === Wire.Bytes) {
        const p = r.string(dimEnd);
        dim = p === '' ? undefined : p;
      } else r.skip(w, dimEnd);
    }
    dims.push(dim);
  }
  return dims;
}
