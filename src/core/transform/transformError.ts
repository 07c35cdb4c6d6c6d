/**
 * Why a transform refused or failed, as a code the CLI maps to exit 2 and the extension to a message.
 * ModelFormatError (unreadable file) and CancelledError stay separate: they are not transform faults.
 */
export type TransformErrorCode =
  /** Not an ONNX model, or a graph shape the transform cannot handle (subgraphs, training graphs). */
  | 'unsupported-model'
  /** An operator the requested transform cannot rewrite, with no way to skip it. */
  | 'unsupported-op'
  /** Weights the transform must read are absent (external file missing, empty initializer). */
  | 'missing-weights'
  /** Bad options: ratio out of range, unknown mode, unreadable calibration data. */
  | 'bad-request'
  /** The output cannot be written (folder not writable, would overwrite). */
  | 'output'
  /** The transformed model does not load or run in onnxruntime. */
  | 'verification-failed'
  /** Nothing in the model matched the transform (no MatMul to quantize, no channel to prune). */
  | 'nothing-to-do';

export class TransformError extends Error {
  override readonly name = 'TransformError';
  constructor(
    readonly code: TransformErrorCode,
    message: string,
  ) {
    super(message);
  }
}
