/**
 * Writes a WorkingModel through the shared ONNX writer (src/core/onnx/writer.ts): unchanged weights
 * are copied from the original file byte for byte, lazily; tensors the transform created or changed
 * come from the WorkingModel; subgraphs, functions and metadata pass through unchanged.
 */
import type { ByteSource } from '../../io/byteSource';
import { encodeOnnxModel, type NewTensor } from '../../onnx/writer';
import type { ProtoWriter } from '../../onnx/wireWriter';
import type { WorkingModel } from '../workingModel';
import { irVersionFor } from '../../onnx/irVersion';


export function serializeModel(wm: WorkingModel, source: ByteSource): ProtoWriter {
  const model = wm.toModel();
  const irVersion = Math.max(model.irVersion ?? 3, irVersionFor(wm.opsets.get('') ?? 1));
  const tensors = new Map<string, NewTensor>(wm.newTensors());
  return encodeOnnxModel({ ...model, irVersion }, { source, tensors, producer: 'joule-transform' });
}
