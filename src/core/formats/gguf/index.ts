/** GGUF → IR: every tensor as an initializer with its exact stored bytes; LLM config in metadata. */
import * as nodePath from 'node:path';
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { withTransformerConfig } from '../../llm/modelLlm';
import { type SiblingFiles, noSiblings } from '../siblingFiles';
import { type StoredTensor, weightsOnlyModel } from '../weightsModel';
import { transformerConfigFromGguf } from './llmConfig';
import { renderValue, valueAsNumber, valueAsString } from './metadata';
import { type GgufFile, type GgufTensorInfo, readGguf } from './reader';

export { looksLikeGguf, readGguf } from './reader';
export type { GgufFile, GgufTensorInfo } from './reader';

/** llama.cpp's gguf-split naming: `<prefix>-00001-of-00003.gguf`. */
const SPLIT_NAME = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/;

interface SplitTensor extends GgufTensorInfo {
  /** The split file holding the data, when not the file opened. */
  readonly file?: string;
}

/**
 * The tensors of the other splits of a split model (llama.cpp gguf-split writes `split.count` and
 * `split.no`; the first split holds the architecture metadata, every split its own tensors).
 */
function otherSplits(gguf: GgufFile, path: string, siblings: SiblingFiles, warnings: string[]): SplitTensor[] {
  const count = valueAsNumber(gguf.metadata.get('split.count')) ?? 1;
  if (count <= 1) return [];
  const no = valueAsNumber(gguf.metadata.get('split.no')) ?? 0;
  const name = SPLIT_NAME.exec(nodePath.basename(path));
  if (!name || !siblings.open || count > 10_000) {
    warnings.push(`This is split ${no + 1} of ${count}: only its own tensors are counted.`);
    return [];
  }
  const out: SplitTensor[] = [];
  for (let i = 0; i < count; i++) {
    if (i === no) continue;
    const file = `${name[1]}-${String(i + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.gguf`;
    const source = siblings.open(file);
    if (!source) {
      warnings.push(`Split ${file} is missing: its tensors are not counted.`);
      continue;
    }
    try {
      for (const t of readGguf(source).tensors) out.push({ ...t, file });
    } finally {
      source.close();
    }
  }
  return out;
}

/**
 * Reads a GGUF file into the IR. Dimensions become row-major (ggml's ne[] reversed). For a split
 * model, the other splits beside it are read too when `siblings` can open them.
 */
export function readGgufModel(source: ByteSource, path = source.name, siblings: SiblingFiles = noSiblings): { model: Model; gguf: GgufFile } {
  const gguf = readGguf(source);
  const warnings = [...gguf.warnings];
  const all: SplitTensor[] = [...gguf.tensors, ...otherSplits(gguf, path, siblings, warnings)];
  const metadata = new Map<string, string>([['gguf.version', String(gguf.version)]]);
  for (const [key, value] of gguf.metadata) metadata.set(key, renderValue(value));
  const config = transformerConfigFromGguf({ ...gguf, tensors: all }, path, warnings);
  if (config) withTransformerConfig(metadata, config);
  const types = new Map<string, number>();
  for (const t of all) types.set(t.type.name, (types.get(t.type.name) ?? 0) + 1);
  metadata.set('gguf.tensor_types', [...types].map(([name, n]) => `${name}×${n}`).join(', '));
  const tensors: StoredTensor[] = all.map((t) => ({
    name: t.name, dataType: t.type.dataType, dims: [...t.ne].reverse(), byteLength: t.byteLength, offset: t.offset,
    ...(t.file !== undefined ? { file: t.file } : {}),
  }));
  const producer = valueAsString(gguf.metadata.get('general.name'));
  return { model: weightsOnlyModel('gguf', path, tensors, metadata, warnings, producer), gguf };
}
