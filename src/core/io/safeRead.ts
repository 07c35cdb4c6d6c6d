/**
 * Opening untrusted paths without blocking or escaping: a FIFO named like a model blocks a plain
 * `open()` forever, a link planted in a repository may point at /dev/zero or outside the folder.
 * Files are opened non-blocking, checked to be regular with fstat (on the open descriptor, so the
 * check and the read see the same file), and read only up to a size cap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Thrown for a path that is not a readable regular file (a FIFO, a device, a folder, a link out). */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
}

// O_NONBLOCK makes open() of a FIFO return at once; it changes nothing for regular files (Windows has none).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Opens `file` for reading; throws NotRegularFileError unless it is a regular file. */
export function openRegularFile(file: string): { fd: number; size: number } {
  const fd = fs.openSync(file, OPEN_FLAGS);
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new NotRegularFileError(`${file} is not a regular file (a ${kindOf(stat)})`);
  }
  return { fd, size: stat.size };
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isDirectory()) return 'folder';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  if (stat.isSocket()) return 'socket';
  return 'special file';
}

/** The bytes of a regular file of at most `maxBytes`; throws NotRegularFileError otherwise. */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  const { fd, size } = openRegularFile(file);
  try {
    if (size > maxBytes) throw new NotRegularFileError(`${file} has ${size} bytes, more than the ${maxBytes} allowed`);
    const out = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, out, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when `file`, with every link resolved, lies inside `folder` (also resolved). */
export function staysInside(folder: string, file: string): boolean {
  try {
    const rel = path.relative(fs.realpathSync(folder), fs.realpathSync(file));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}
