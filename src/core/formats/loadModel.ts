/**
 * One entry point from a file path to an analysable Model: the format's reader (registry.ts), then
 * shape inference with the requested dims, and the reader's warnings capped.
 */
import type { Model } from '../graph/ir';
import { inferShapes, type ShapeInferenceOptions } from '../graph/shapeInference';
import { type ByteSource, withFileSource } from '../io/byteSource';
import { readModel, type ReadOptions } from './registry';

export type LoadModelOptions = ShapeInferenceOptions & Pick<ReadOptions, 'maxGraphNodes'>;

/** Reads a model from bytes already open (the extension's virtual files, tests). */
export function loadModelFromSource(source: ByteSource, options: LoadModelOptions = {}): Model {
  return withShapes(readModel(source, source.name, { maxGraphNodes: options.maxGraphNodes }), options);
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
