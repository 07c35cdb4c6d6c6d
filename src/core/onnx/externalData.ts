/**
 * Resolves ONNX external-data locations and confines them to the model's folder: absolute paths,
 * `..` segments and links that lead outside are rejected, because a model file must not make Joule
 * read arbitrary files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../errors';

const HINT = 'External data must be a relative path inside the model\'s folder.';

/**
 * Returns the absolute path of `location` inside `baseDir`, or, without a base folder, the checked
 * relative location. Missing files are allowed (analysis never reads weights); readTensorData
 * reports them when asked.
 */
export function resolveExternalLocation(file: string, at: number, baseDir: string | undefined, location: string): string {
  const fail = (why: string): never => {
    throw new ModelFormatError(file, at, `an external-data location inside the model's folder, got '${location.slice(0, 200)}' (${why})`, HINT);
  };
  if (location === '' || location.includes('\0')) fail('empty or invalid');
  if (path.isAbsolute(location) || path.win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) fail('absolute path');
  const segments = location.split(/[\\/]+/);
  if (segments.includes('..')) fail('a ".." segment');
  if (baseDir === undefined) return segments.join('/');

  const base = path.resolve(baseDir);
  const resolved = path.resolve(base, ...segments);
  if (!isInside(base, resolved)) fail('outside the folder');
  if (fs.existsSync(resolved)) {
    // Links may point anywhere: compare real paths.
    const realBase = fs.realpathSync(base);
    const real = fs.realpathSync(resolved);
    if (!isInside(realBase, real)) fail('a link that leads outside the folder');
    if (!fs.statSync(real).isFile()) fail('not a regular file');
  }
  return resolved;
}

function isInside(base: string, candidate: string): boolean {
  const rel = path.relative(base, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
