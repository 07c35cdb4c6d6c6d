/** A bare Hugging Face config.json → IR with no weights and the LLM config in metadata. */
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { ModelFormatError } from '../../errors';
import { withTransformerConfig } from '../../llm/modelLlm';
import { MAX_SIBLING_BYTES } from '../siblingFiles';
import { weightsOnlyModel } from '../weightsModel';
import { hfDtype, looksLikeHfTransformerConfig, transformerConfigFromHf } from './hfConfig';

export { transformerConfigFromHf, looksLikeHfTransformerConfig, FAMILIES } from './hfConfig';

/** Parses a JSON file of at most 16 MiB; undefined when it is not JSON. */
export function readJson(source: ByteSource): unknown {
  if (source.size > MAX_SIBLING_BYTES) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(source.read(0, source.size)));
  } catch {
    return undefined;
  }
}

export function readHfConfigModel(source: ByteSource, path = source.name, json: unknown = readJson(source)): Model {
  if (json === undefined) throw new ModelFormatError(path, 0, 'a JSON file of at most 16 MiB');
  if (!looksLikeHfTransformerConfig(json) && !(typeof json === 'object' && json !== null && 'text_config' in json)) {
    throw new ModelFormatError(path, undefined, 'a transformer config.json (num_hidden_layers/n_layer, hidden_size/n_embd, vocab_size)');
  }
  const { config, warnings } = transformerConfigFromHf(json, path);
  const metadata = new Map<string, string>([['hf.model_type', config.architecture]]);
  withTransformerConfig(metadata, config, hfDtype(json));
  return weightsOnlyModel('hf-config', path, [], metadata, [...warnings]);
}
