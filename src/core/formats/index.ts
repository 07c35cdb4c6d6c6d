/**
 * Entry point of the non-ONNX readers: recognise a file by its bytes (and, for config.json, its name
 * and keys) and read it into the IR. src/core/io/loadModel.ts calls this after ruling out ONNX.
 */
import * as nodePath from 'node:path';
import { ModelFormatError } from '../errors';
import type { Model } from '../graph/ir';
import type { ByteSource } from '../io/byteSource';
import { readGgufModel, looksLikeGguf } from './gguf';
import { looksLikeHfTransformerConfig, readHfConfigModel, readJson } from './hfconfig';
import { looksLikeSafetensors, readSafetensorsModel } from './safetensors';
import { looksLikeSafetensorsIndex, readSafetensorsIndexModel } from './safetensors/shardedIndex';
import { MAX_SIBLING_BYTES, type SiblingFiles, diskSiblings } from './siblingFiles';
import { looksLikeTflite, readTflite } from './tflite';

/** 'safetensors-index' is a sharded checkpoint's model.safetensors.index.json (read as format 'safetensors'). */
export type SniffedFormat = 'tflite' | 'gguf' | 'safetensors' | 'safetensors-index' | 'hf-config';

/** Which of these formats the bytes (and name) look like, reading a few bytes (or a JSON file of ≤ 16 MiB). */
export function sniffFormat(source: ByteSource, path: string): SniffedFormat | undefined {
  if (looksLikeTflite(source)) return 'tflite';
  if (looksLikeGguf(source)) return 'gguf';
  if (looksLikeSafetensors(source)) return 'safetensors';
  const name = nodePath.basename(path).toLowerCase();
  if (name.endsWith('.safetensors.index.json') && looksLikeSafetensorsIndex(name, readJson(source))) return 'safetensors-index';
  if (name.endsWith('config.json') && source.size > MAX_SIBLING_BYTES) {
    throw new ModelFormatError(path, undefined, `a config.json of at most ${MAX_SIBLING_BYTES} bytes, got ${source.size}`, 'A Hugging Face config.json is a few KiB; this file is too large to be one.');
  }
  if (name.endsWith('config.json') && looksLikeHfTransformerConfig(readJson(source))) return 'hf-config';
  return undefined;
}

export interface SniffOptions {
  /** Where config.json beside a safetensors file comes from; the model's folder on disk by default. */
  readonly siblings?: SiblingFiles;
}

/**
 * Reads TFLite, GGUF, safetensors or a Hugging Face config.json into the IR; undefined when the file
 * is none of these. Throws ModelFormatError when it is one of them but unreadable.
 */
export function sniffAndRead(source: ByteSource, path: string, options: SniffOptions = {}): Model | undefined {
  switch (sniffFormat(source, path)) {
    case 'tflite': return readTflite(source, path).model;
    case 'gguf': return readGgufModel(source, path, options.siblings ?? diskSiblings(path)).model;
    case 'safetensors': return readSafetensorsModel(source, path, options.siblings ?? diskSiblings(path)).model;
    case 'safetensors-index': return readSafetensorsIndexModel(source, path, options.siblings ?? diskSiblings(path));
    case 'hf-config': return readHfConfigModel(source, path);
    case undefined: return undefined;
  }
}

export { weightTotals } from './weightsModel';
export { type SiblingFiles, diskSiblings, noSiblings } from './siblingFiles';
export { configJsonHints, type ConfigHint, type ConfigHintsResult } from './hfconfig/configHints';
export { writeFormatFixtures } from './fixtures';
