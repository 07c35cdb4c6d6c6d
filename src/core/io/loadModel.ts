/**
 * One entry point from a file path to an analysable Model: sniff the format by content, read it
 * with that format's reader, run shape inference with the requested dims. New formats register a
 * reader in READERS.
 */
import { ModelFormatError } from '../errors';
import type { Model, ModelFormat } from '../graph/ir';
import { inferShapes, type ShapeInferenceOptions } from '../graph/shapeInference';
import { readOnnxModel } from '../onnx/reader';
import { type ByteSource, withFileSource } from './byteSource';
import { sniffFormat } from './sniff';
import { sniffAndRead } from '../formats';

export type LoadModelOptions = ShapeInferenceOptions;

type Reader = (source: ByteSource) => Model;

/** Readers by sniffed format; formats without one are reported as unsupported. */
const READERS: Partial<Record<ModelFormat, Reader>> = {
  onnx: (source) => readOnnxModel(source),
};

/** Reads a model from bytes already open (the extension's virtual files, tests). */
export function loadModelFromSource(source: ByteSource, options: LoadModelOptions = {}): Model {
  // TFLite, GGUF, safetensors and config.json by their magic (and names beside them); then ONNX.
  const other = sniffAndRead(source, source.name);
  if (other) return withShapes(other, options);
  const format = sniffFormat(source);
  if (!format) {
    throw new ModelFormatError(source.name, 0, 'a model file (ONNX, TFLite, safetensors, GGUF or a Hugging Face config.json)',
      'The first bytes match no supported format.');
  }
  const reader = READERS[format];
  if (!reader) throw new ModelFormatError(source.name, 0, `a supported format, got ${format}`, `Reading ${format} files is not available in this build.`);
  return withShapes(reader(source), options);
}

/** Warnings a reader may pass on: a hostile file can raise thousands, printed on every run. */
export const MAX_MODEL_WARNINGS = 20;

/** The first warnings and a count of the rest. */
export function aggregateWarnings(warnings: readonly string[], max = MAX_MODEL_WARNINGS): string[] {
  if (warnings.length <= max) return [...warnings];
  const shown = warnings.slice(0, max - 1);
  return [...shown, `… and ${warnings.length - shown.length} more warnings from the reader (not shown).`];
}

function withShapes(model: Model, options: LoadModelOptions): Model {
  const { boundDims, assumedDims, openDims, unknown } = inferShapes(model, options);
  return { ...model, warnings: aggregateWarnings(model.warnings), boundDims, assumedDims, openDims, unknownValues: unknown };
}

export function loadModel(path: string, options: LoadModelOptions = {}): Model {
  return withFileSource(path, (source) => loadModelFromSource(source, options));
}
