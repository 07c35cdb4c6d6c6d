/**
 * Files that give meaning to a model file and sit beside it (config.json next to model.safetensors).
 * Readers ask through this port so tests and virtual workspaces can supply them without a disk.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type ByteSource, FileByteSource } from '../io/byteSource';

/** Small text files beside a model are capped: a config.json is a few KiB. */
export const MAX_SIBLING_BYTES = 16 * 1024 * 1024;

export interface SiblingFiles {
  /** The bytes of `name` in the model's folder, or undefined when absent or too large. */
  read(name: string): Uint8Array | undefined;
  /** Positioned access to a large sibling (a safetensors shard); the caller closes it. */
  open?(name: string): ByteSource | undefined;
}

export const noSiblings: SiblingFiles = { read: () => undefined };

/** A plain file name in the same folder: no separators, no parent references. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length < 256 && !/[\\/\0]/.test(name) && name !== '.' && name !== '..';
}

/** Siblings on the local file system, in the folder of `modelPath`. */
export function diskSiblings(modelPath: string): SiblingFiles {
  return {
    read(name: string): Uint8Array | undefined {
      if (!isPlainFileName(name)) return undefined;
      const file = nodePath.join(nodePath.dirname(modelPath), name);
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile() || stat.size > MAX_SIBLING_BYTES) return undefined;
        return fs.readFileSync(file);
      } catch {
        return undefined;
      }
    },
    open(name: string): ByteSource | undefined {
      if (!isPlainFileName(name)) return undefined;
      const file = nodePath.join(nodePath.dirname(modelPath), name);
      try {
        return fs.statSync(file).isFile() ? new FileByteSource(file) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
