/**
 * Field numbers of onnx.proto (ONNX 1.17 and later), shared by the reader and the writer so both
 * speak the same schema. Only fields Joule reads or writes are listed.
 */

export const ModelField = {
  irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6,
  graph: 7, opsetImport: 8, metadataProps: 14, trainingInfo: 20, functions: 25,
} as const;

export const OperatorSetIdField = { domain: 1, version: 2 } as const;
export const StringStringEntryField = { key: 1, value: 2 } as const;

export const GraphField = {
  node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13,
  sparseInitializer: 15,
} as const;

export const NodeField = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;

export const AttributeField = {
  name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, tensors: 10, graphs: 11,
  docString: 13, tp: 14, typeProtos: 15, type: 20, refAttrName: 21, sparseTensor: 22, sparseTensors: 23,
} as const;

/** AttributeProto.AttributeType */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

export const ValueInfoField = { name: 1, type: 2, docString: 3 } as const;

export const TypeField = { tensorType: 1, sequenceType: 4, mapType: 5, sparseTensorType: 8, optionalType: 9 } as const;
export const TensorTypeField = { elemType: 1, shape: 2 } as const;
export const ShapeField = { dim: 1 } as const;
export const DimensionField = { dimValue: 1, dimParam: 2 } as const;
/** TypeProto.Sequence and TypeProto.Optional: one element type. */
export const ElementTypeField = { elemType: 1 } as const;

export const TensorField = {
  dims: 1, dataType: 2, segment: 3, floatData: 4, int32Data: 5, stringData: 6, int64Data: 7, name: 8,
  rawData: 9, doubleData: 10, uint64Data: 11, docString: 12, externalData: 13, dataLocation: 14,
} as const;

export const SparseTensorField = { values: 1, indices: 2, dims: 3 } as const;

export const FunctionField = {
  name: 1, input: 4, output: 5, attribute: 6, node: 7, docString: 8, opsetImport: 9, domain: 10,
  attributeProto: 11, valueInfo: 12, overload: 13,
} as const;

/** TensorProto.DataLocation */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;
