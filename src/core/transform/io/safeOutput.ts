/**
 * Output files that never clobber anything: a default name beside the model (`m.int8.onnx`), a free
 * variant when that exists (`m.int8-2.onnx`), a temp file in the same folder, and a no-overwrite
 * publish (hard link then unlink, atomic on one file system).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TransformError } from '../transformError';

/** `model.onnx` + `int8` -> `model.int8.onnx`, or the first free `model.int8-N.onnx`. */
export function defaultOutputPath(model: string, suffix: string): string {
  const dir = path.dirname(model);
  const base = path.basename(model).replace(/\.onnx$/i, '');
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${base}.${suffix}${n === 1 ? '' : `-${n}`}.onnx`);
    if (!fs.existsSync(candidate)) return candidate;
  }
  throw new TransformError('output', `no free output name for ${model}.${suffix}`);
}

/** Checks an explicit output path: must differ from the model, must not exist, folder writable. */
export function checkOutputPath(model: string, out: string): void {
  if (path.resolve(model) === path.resolve(out)) throw new TransformError('output', 'the output would overwrite the original model; choose another file');
  if (fs.existsSync(out)) throw new TransformError('output', `${out} already exists; Joule never overwrites a file`);
  const dir = path.dirname(path.resolve(out));
  try {
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a folder');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new TransformError('output', `cannot write to the folder ${dir}`);
  }
}

/** A hidden temp name in the output's folder, so the final rename never crosses file systems. */
export function tempPathFor(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/** The names tempPathFor makes: `.NAME.PID-8HEX.tmp`. */
const TEMP_NAME = /^\..+\.\d+-[0-9a-f]{8}\.tmp$/;
/** A temp file older than this belongs to a run that crashed or was killed (runs take minutes). */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/**
 * Removes temp files of earlier runs that were killed before their clean-up (SIGKILL, power loss):
 * regular files with our name pattern, older than a day, in `dir` only. Returns what was removed.
 */
export function sweepStaleTemps(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || now - stat.mtimeMs < STALE_TEMP_MS) continue;
      fs.rmSync(file);
      removed.push(file);
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
  return removed;
}

/** Moves the finished temp file to `out` unless `out` appeared meanwhile. */
export function publish(temp: string, out: string): void {
  try {
    fs.linkSync(temp, out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // File systems without hard links: check, then rename (a tiny race, the best they allow).
    if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') && !fs.existsSync(out)) {
      fs.renameSync(temp, out);
      return;
    }
    removeQuietly(temp);
    throw new TransformError('output', code === 'EEXIST' ? `${out} appeared while transforming; not overwritten` : `cannot create ${out}: ${String(e)}`);
  }
  removeQuietly(temp);
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* already gone or not ours to remove */
  }
}
