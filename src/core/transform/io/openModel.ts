/** Opens an ONNX file for transforming: the IR, its byte source (for weights) and a WorkingModel. */
import * as fs from 'node:fs';
import type { Model, TensorType, WeightRef } from '../../graph/ir';
import { JOB_MAX_GRAPH_NODES } from '../../graph/nodeBudget';
import { inferShapes } from '../../graph/shapeInference';
import { FileByteSource } from '../../io/byteSource';
import { readOnnxModel } from '../../onnx/reader';
import { readTensorData } from '../../onnx/tensorData';
import { TransformError } from '../transformError';
import { WorkingModel } from '../workingModel';

export interface OpenedModel {
  readonly model: Model;
  readonly source: FileByteSource;
  /** A fresh editable copy; call again for an independent one (sensitivity runs). */
  working(): WorkingModel;
  close(): void;
}

export function openModel(file: string): OpenedModel {
  if (!fs.existsSync(file)) throw new TransformError('bad-request', `${file} does not exist`);
  const source = new FileByteSource(file);
  try {
    const model = readOnnxModel(source, {
      maxGraphNodes: JOB_MAX_GRAPH_NODES,
      raiseNodeBudget: () => `Transforms read at most ${JOB_MAX_GRAPH_NODES.toLocaleString('en-US')} nodes.`,
    });
    // Declared input/output types are what the result must keep (symbolic batch stays symbolic);
    // inferred intermediate shapes only guide rewrites (Flatten widths, which tensors are float).
    const declared = new Map<string, TensorType>();
    for (const name of [...model.graph.inputs, ...model.graph.outputs]) {
      const type = model.graph.values.get(name)?.type;
      if (type) declared.set(name, type);
    }
    try {
      inferShapes(model, { batch: 1 });
    } catch {
      // Shape inference is an aid here, never a requirement: rewrites fall back to declared types.
    }
    const read = (name: string, ref: WeightRef): Float32Array => {
      let values;
      try {
        values = readTensorData(source, ref);
      } catch (e) {
        throw new TransformError('missing-weights', `cannot read weight ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (values instanceof Float32Array) return values;
      if (Array.isArray(values)) throw new TransformError('unsupported-op', `weight ${name} holds strings`);
      return Float32Array.from(values as ArrayLike<number | bigint>, Number);
    };
    return { model, source, working: () => new WorkingModel(model, read, declared), close: () => source.close() };
  } catch (e) {
    source.close();
    throw e;
  }
}
