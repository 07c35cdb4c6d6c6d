/**
 * Writes a WorkingModel through the shared ONNX writer (src/core/onnx/writer.ts): unchanged weights
 * are copied from the original file byte for byte, lazily; tensors the transform created or changed
 * come from the WorkingModel; subgraphs, functions and metadata pass through unchanged.
 */
import type { ByteSource } from '../../io/byteSource';
import { encodeOnnxModel, type NewTensor } from '../../onnx/writer';
import type { ProtoWriter } from '../../onnx/wireWriter';
import type { WorkingModel } from '../workingModel';

/** Lowest IR version that carries each default-domain opset (onnx helper VERSION_TABLE). */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 9) return 4;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export function serializeModel(wm: WorkingModel, source: ByteSource): ProtoWriter {
  const model = wm.toModel();
  const irVersion = Math.max(model.irVersion ?? 3, irVersionFor(wm.opsets.get('') ?? 1));
  const tensors = new Map<string, NewTensor>(wm.newTensors());
  return encodeOnnxModel({ ...model, irVersion }, { source, tensors, producer: 'joule-transform' });
}
