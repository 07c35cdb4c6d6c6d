/**
 * Sharded Hugging Face checkpoints: `model.safetensors.index.json` maps every tensor to a shard file
 * (`model-00001-of-00004.safetensors`...). The whole model is the union of the shards' headers; each
 * tensor's weight points into its shard (an 'external' location), and only headers are read.
 */
import type { Model } from '../../graph/ir';
import type { ByteSource } from '../../io/byteSource';
import { ModelFormatError } from '../../errors';
import { readJson } from '../hfconfig';
import { type SiblingFiles, isPlainFileName } from '../siblingFiles';
import { type StoredTensor, weightsOnlyModel } from '../weightsModel';
import { attachSiblingConfig } from './index';
import { readSafetensorsHeader } from './safetensors';

/** Far above real checkpoints (hundreds of shards for the largest open models). */
const MAX_SHARDS = 10_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function looksLikeSafetensorsIndex(path: string, json: unknown): boolean {
  return path.toLowerCase().endsWith('.safetensors.index.json') && isObject(json) && isObject(json['weight_map']);
}

export function readSafetensorsIndexModel(source: ByteSource, path: string, siblings: SiblingFiles, json: unknown = readJson(source)): Model {
  if (!isObject(json) || !isObject(json['weight_map'])) throw new ModelFormatError(path, 0, 'a JSON object with a "weight_map"');
  const weightMap = json['weight_map'];
  const byShard = new Map<string, Set<string>>();
  for (const [tensor, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || !isPlainFileName(shard)) {
      throw new ModelFormatError(path, undefined, `weight_map["${tensor}"] to name a file in the same folder, got ${JSON.stringify(shard).slice(0, 60)}`);
    }
    let names = byShard.get(shard);
    if (!names) {
      if (byShard.size >= MAX_SHARDS) throw new ModelFormatError(path, undefined, `at most ${MAX_SHARDS} shards`);
      names = new Set();
      byShard.set(shard, names);
    }
    names.add(tensor);
  }
  if (!siblings.open) throw new ModelFormatError(path, undefined, 'access to the shard files beside the index', 'Open one shard directly instead.');
  const warnings: string[] = [];
  const tensors: StoredTensor[] = [];
  let opened = 0;
  for (const [shard, expected] of byShard) {
    const shardSource = siblings.open(shard);
    if (!shardSource) {
      warnings.push(`Shard ${shard} is missing: its ${expected.size} tensors are not counted.`);
      continue;
    }
    try {
      const header = readSafetensorsHeader(shardSource);
      opened++;
      for (const t of header.tensors) {
        if (!expected.delete(t.name)) warnings.push(`Tensor ${t.name} in ${shard} is not listed in the index.`);
        tensors.push({ name: t.name, dataType: t.dataType, dims: t.shape, byteLength: t.byteLength, offset: t.offset, file: shard });
      }
      if (expected.size > 0) warnings.push(`${expected.size} tensor(s) the index places in ${shard} are not in it.`);
    } finally {
      shardSource.close();
    }
  }
  if (opened === 0) throw new ModelFormatError(path, undefined, 'at least one readable shard beside the index', 'Download the shards into the same folder.');
  const metadata = new Map<string, string>([['safetensors.shards', String(byShard.size)]]);
  const meta = json['metadata'];
  const totalSize = isObject(meta) ? meta['total_size'] : undefined;
  const stored = tensors.reduce((s, t) => s + t.byteLength, 0);
  if (typeof totalSize === 'number') {
    metadata.set('safetensors.total_size', String(totalSize));
    if (totalSize !== stored && opened === byShard.size) warnings.push(`The index gives total_size ${totalSize} bytes; the shards hold ${stored}.`);
  }
  attachSiblingConfig(metadata, warnings, siblings);
  return weightsOnlyModel('safetensors', path, tensors, metadata, warnings);
}
