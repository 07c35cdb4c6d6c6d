/**
 * Every model format Joule reads, as one list of `{match, read}`: a file is read by the first reader
 * whose `match` accepts its bytes (and, for JSON files, its name). Formats with a magic number come
 * first; ONNX, recognised only by a plausible first field, comes last. A new format adds one entry.
 */
import * as nodePath from 'node:path';
import { ModelFormatError } from '../errors';
import type { Model, ModelFormat } from '../graph/ir';
import type { ByteSource } from '../io/byteSource';
import { readOnnxModel } from '../onnx/reader';
import { looksLikeOnnx } from '../onnx/sniff';
import { looksLikeGguf, readGgufModel } from './gguf';
import { looksLikeHfTransformerConfig, readHfConfigModel, readJson } from './hfconfig';
import { looksLikeSafetensors, readSafetensorsModel } from './safetensors';
import { looksLikeSafetensorsIndex, readSafetensorsIndexModel } from './safetensors/shardedIndex';
import { diskSiblings, MAX_SIBLING_BYTES, type SiblingFiles } from './siblingFiles';
import { looksLikeTflite, readTflite } from './tflite';

export interface ReadOptions {
  /** Where files beside the model come from (config.json beside safetensors, shards); its folder on disk by default. */
  readonly siblings?: SiblingFiles;
  /** Most graph nodes (ONNX nodes, TFLite operators, subgraphs included) read; default DEFAULT_MAX_GRAPH_NODES. */
  readonly maxGraphNodes?: number;
}

export interface FormatReader {
  /** 'safetensors-index' is a sharded checkpoint's model.safetensors.index.json (its Model's format is 'safetensors'). */
  readonly id: ModelFormat | 'safetensors-index';
  /** Whether the file is this format: reads a few bytes (a JSON format parses the file, at most 16 MiB). */
  match(source: ByteSource, path: string): boolean;
  /** The file in the IR; ModelFormatError when it is this format but unreadable. */
  read(source: ByteSource, path: string, options: ReadOptions): Model;
}

const baseName = (path: string): string => nodePath.basename(path).toLowerCase();
const siblingsOf = (path: string, options: ReadOptions): SiblingFiles => options.siblings ?? diskSiblings(path);

/** A config.json too large to be one is refused by name, before it is parsed. */
function isConfigJson(source: ByteSource, path: string): boolean {
  if (!baseName(path).endsWith('config.json')) return false;
  if (source.size > MAX_SIBLING_BYTES) {
    throw new ModelFormatError(path, undefined, `a config.json of at most ${MAX_SIBLING_BYTES} bytes, got ${source.size}`, 'A Hugging Face config.json is a few KiB; this file is too large to be one.');
  }
  return looksLikeHfTransformerConfig(readJson(source));
}

export const FORMAT_READERS: readonly FormatReader[] = [
  { id: 'tflite', match: (source) => looksLikeTflite(source), read: (source, path, options) => readTflite(source, path, options).model },
  { id: 'gguf', match: (source) => looksLikeGguf(source), read: (source, path, options) => readGgufModel(source, path, siblingsOf(path, options)).model },
  { id: 'safetensors', match: (source) => looksLikeSafetensors(source), read: (source, path, options) => readSafetensorsModel(source, path, siblingsOf(path, options)).model },
  {
    id: 'safetensors-index',
    match: (source, path) => baseName(path).endsWith('.safetensors.index.json') && looksLikeSafetensorsIndex(baseName(path), readJson(source)),
    read: (source, path, options) => readSafetensorsIndexModel(source, path, siblingsOf(path, options)),
  },
  { id: 'hf-config', match: isConfigJson, read: (source, path) => readHfConfigModel(source, path) },
  { id: 'onnx', match: (source) => looksLikeOnnx(source), read: (source, _path, options) => readOnnxModel(source, options) },
];

/** The reader for these bytes, or undefined when no format matches. */
export function formatReaderFor(source: ByteSource, path: string = source.name): FormatReader | undefined {
  return FORMAT_READERS.find((reader) => reader.match(source, path));
}

/** Reads any supported model file into the IR (no shape inference: src/core/formats/loadModel.ts adds it). */
export function readModel(source: ByteSource, path: string = source.name, options: ReadOptions = {}): Model {
  const reader = formatReaderFor(source, path);
  if (!reader) {
    throw new ModelFormatError(path, 0, 'a model file (ONNX, TFLite, safetensors, GGUF or a Hugging Face config.json)', 'The first bytes match no supported format.');
  }
  return reader.read(source, path, options);
}
