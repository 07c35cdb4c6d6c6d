import * as fs from 'node:fs';
import { ModelFormatError } from '../errors';
import { NotRegularFileError, openRegularFile } from './safeRead';

/**
 * Positioned, synchronous reads over a model file or a buffer. Readers depend on this port only, so
 * the same code serves the CLI, the tests and the extension, and weights stay on disk until asked for.
 */
export interface ByteSource {
  /** Path or label, used in error messages. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Reads exactly `length` bytes at `position`; throws ModelFormatError when that runs past the end. */
  read(position: number, length: number): Uint8Array;
  /** Releases the underlying file, if any. Safe to call twice. */
  close(): void;
}

function checkRange(source: ByteSource, position: number, length: number): void {
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0) {
    throw new ModelFormatError(source.name, position, `a valid byte range, got offset ${position} length ${length}`);
  }
  if (position + length > source.size) {
    throw new ModelFormatError(
      source.name,
      position,
      `${length} bytes, but the file ends after ${source.size - position}`,
      'The file looks truncated.',
    );
  }
}

/** A ByteSource over bytes already in memory. */
export class BufferByteSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = '<buffer>',
  ) {
    this.size = bytes.length;
  }
  read(position: number, length: number): Uint8Array {
    checkRange(this, position, length);
    return this.bytes.subarray(position, position + length);
  }
  close(): void {
    /* nothing to release */
  }
}

/** A ByteSource over a file on disk: each read is one positioned `fs.readSync`. */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;

  constructor(readonly name: string) {
    let opened: { fd: number; size: number };
    try {
      opened = openRegularFile(name);
    } catch (e) {
      if (e instanceof NotRegularFileError) throw new ModelFormatError(name, undefined, 'a regular file', e.message);
      throw e;
    }
    this.fd = opened.fd;
    this.size = opened.size;
  }

  read(position: number, length: number): Uint8Array {
    checkRange(this, position, length);
    if (this.fd === undefined) throw new Error(`${this.name} is closed`);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, out, done, length - done, position + done);
      if (n === 0) throw new ModelFormatError(this.name, position + done, 'more bytes', 'The file changed while it was read.');
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Opens a file, runs `fn` with it and always closes it. */
export function withFileSource<T>(path: string, fn: (source: ByteSource) => T): T {
  const source = new FileByteSource(path);
  try {
    return fn(source);
  } finally {
    source.close();
  }
}
