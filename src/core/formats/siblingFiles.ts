/**
 * Files that give meaning to a model file and sit beside it (config.json next to model.safetensors).
 * Readers ask through this port so tests and virtual workspaces can supply them without a disk.
 */
import * as nodePath from 'node:path';
import { type ByteSource, FileByteSource } from '../io/byteSource';
import { readRegularFile, staysInside } from '../io/safeRead';

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

/**
 * Siblings on the local file system, in the folder of `modelPath`: regular files only, and a link
 * is followed only when it stays inside that folder (as ONNX external data is confined).
 */
export function diskSiblings(modelPath: string): SiblingFiles {
  const folder = nodePath.dirname(modelPath);
  const confined = (name: string): string | undefined => {
    if (!isPlainFileName(name)) return undefined;
    const file = nodePath.join(folder, name);
    return staysInside(folder, file) ? file : undefined;
  };
  return {
    read(name: string): Uint8Array | undefined {
      const file = confined(name);
      try {
        return file === undefined ? undefined : readRegularFile(file, MAX_SIBLING_BYTES);
      } catch {
        return undefined;
      }
    },
    open(name: string): ByteSource | undefined {
      const file = confined(name);
      try {
        return file === undefined ? undefined : new FileByteSource(file);
      } catch {
        return undefined;
      }
    },
  };
}
