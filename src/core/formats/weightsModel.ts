/**
 * The IR of a weights-only file (safetensors, GGUF) or a bare config.json: a graph with no nodes whose
 * values are the stored tensors, as initializers with exact byte lengths. Architecture knowledge (the
 * LLM config) travels in metadata under `llm.config` (see src/core/llm/modelLlm.ts).
 */
import type { DataType, Model, ModelFormat, Value } from '../graph/ir';

export interface StoredTensor {
  readonly name: string;
  readonly dataType: DataType;
  /** Row-major dimensions (outermost first), as ONNX. */
  readonly dims: readonly number[];
  readonly byteLength: number;
  /** Absolute file offset of the data (in `file` when set, else in the model file). */
  readonly offset: number;
  /** Another file in the model's folder holding the data (a safetensors shard). */
  readonly file?: string;
}

export function weightsOnlyModel(
  format: ModelFormat, path: string, tensors: readonly StoredTensor[], metadata: ReadonlyMap<string, string>, warnings: readonly string[], producer?: string,
): Model {
  const values = new Map<string, Value>();
  for (const t of tensors) {
    values.set(t.name, {
      name: t.name,
      type: { dataType: t.dataType, shape: t.dims },
      constant: {
        dataType: t.dataType, dims: t.dims, byteLength: t.byteLength,
        location: t.file !== undefined ? { kind: 'external', path: t.file, offset: t.offset } : { kind: 'embedded', offset: t.offset, encoding: 'raw' },
      },
    });
  }
  return {
    format,
    path,
    graph: { name: 'weights', nodes: [], values, inputs: [], outputs: [], initializers: tensors.map((t) => t.name) },
    opsetImports: new Map(),
    ...(producer ? { producer } : {}),
    metadata,
    functions: new Map(),
    warnings,
  };
}


