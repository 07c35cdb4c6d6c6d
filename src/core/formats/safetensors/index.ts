/** safetensors → IR: tensors as initializers; with a config.json beside it, the LLM config too. */
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { ModelFormatError } from '../../errors';
import { withTransformerConfig } from '../../llm/modelLlm';
import { hfDtype, transformerConfigFromHf } from '../hfconfig/hfConfig';
import { type SiblingFiles, noSiblings } from '../siblingFiles';
import { weightsOnlyModel } from '../weightsModel';
import { type SafetensorsFile, readSafetensorsHeader } from './safetensors';

export { looksLikeSafetensors, readSafetensorsHeader } from './safetensors';
export type { SafetensorsFile, SafetensorsTensor } from './safetensors';

/** Attaches the LLM config of a config.json beside the weights; a broken one only adds a warning. */
export function attachSiblingConfig(metadata: Map<string, string>, warnings: string[], siblings: SiblingFiles): void {
  const configBytes = siblings.read('config.json');
  if (configBytes) {
    try {
      const json: unknown = JSON.parse(new TextDecoder().decode(configBytes));
      const { config, warnings: configWarnings } = transformerConfigFromHf(json, 'config.json');
      warnings.push(...configWarnings);
      withTransformerConfig(metadata, config, hfDtype(json));
    } catch (e) {
      // The weights are fine; only the per-token LLM costs are lost.
      const reason = e instanceof ModelFormatError ? e.message : e instanceof Error ? e.message : String(e);
      warnings.push(`config.json beside the weights was not used: ${reason}`);
    }
  }
}

const SHARD_NAME = /-(\d{5})-of-(\d{5})\.safetensors$/;

export function readSafetensorsModel(source: ByteSource, path = source.name, siblings: SiblingFiles = noSiblings): { model: Model; file: SafetensorsFile } {
  const file = readSafetensorsHeader(source);
  const warnings = [...file.warnings];
  const metadata = new Map<string, string>();
  for (const [k, v] of file.metadata) metadata.set(`safetensors.${k}`, v);
  attachSiblingConfig(metadata, warnings, siblings);
  const shard = SHARD_NAME.exec(path);
  if (shard) warnings.push(`This is shard ${Number(shard[1])} of ${Number(shard[2])}: open model.safetensors.index.json for the whole model's parameters.`);
  const tensors = file.tensors.map((t) => ({ name: t.name, dataType: t.dataType, dims: t.shape, byteLength: t.byteLength, offset: t.offset }));
  return { model: weightsOnlyModel('safetensors', path, tensors, metadata, warnings, file.metadata.get('format')), file };
}
