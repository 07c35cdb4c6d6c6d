/** GGUF → IR: every tensor as an initializer with its exact stored bytes; LLM config in metadata. */
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { withTransformerConfig } from '../../llm/modelLlm';
import { weightsOnlyModel } from '../weightsModel';
import { transformerConfigFromGguf } from './llmConfig';
import { renderValue, valueAsString } from './metadata';
import { type GgufFile, readGguf } from './reader';

export { looksLikeGguf, readGguf } from './reader';
export type { GgufFile, GgufTensorInfo } from './reader';

/** Reads a GGUF file into the IR. Dimensions become row-major (ggml's ne[] reversed). */
export function readGgufModel(source: ByteSource, path = source.name): { model: Model; gguf: GgufFile } {
  const gguf = readGguf(source);
  const warnings = [...gguf.warnings];
  const metadata = new Map<string, string>([['gguf.version', String(gguf.version)]]);
  for (const [key, value] of gguf.metadata) metadata.set(key, renderValue(value));
  const config = transformerConfigFromGguf(gguf, path, warnings);
  if (config) withTransformerConfig(metadata, config);
  const types = new Map<string, number>();
  for (const t of gguf.tensors) types.set(t.type.name, (types.get(t.type.name) ?? 0) + 1);
  metadata.set('gguf.tensor_types', [...types].map(([name, n]) => `${name}×${n}`).join(', '));
  const tensors = gguf.tensors.map((t) => ({
    name: t.name, dataType: t.type.dataType, dims: [...t.ne].reverse(), byteLength: t.byteLength, offset: t.offset,
  }));
  const producer = valueAsString(gguf.metadata.get('general.name'));
  return { model: weightsOnlyModel('gguf', path, tensors, metadata, warnings, producer), gguf };
}
