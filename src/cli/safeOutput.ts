/**
 * The one way the CLI writes a file. A report name can sit in a cloned repository as a symbolic link
 * to ~/.bashrc, or equal the model it reports on; so every write goes to a fresh temp file in the
 * target's folder (opened exclusively: O_EXCL never follows a link), then moves into place without
 * overwriting anything. `--force` allows replacing an existing regular file or link (the link itself,
 * never what it points to); the input models are never replaced, forced or not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeQuietly, sweepStaleTemps, tempPathFor } from '../core/transform/io/safeOutput';

/** A refused or failed write: the CLI reports it in one line and exits 2. */
export class OutputError extends Error {}

export interface WriteRules {
  /** Replace an existing file or link (`--force`). */
  readonly force: boolean;
  /** Files the command reads (absolute): never written, even with --force. */
  readonly inputs: readonly string[];
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Why `target` may not be written, or undefined when it may. */
function refusal(target: string, rules: WriteRules): string | undefined {
  const input = rules.inputs.find((i) => sameFile(target, i));
  if (input !== undefined) return `${target} is the input ${input}; choose another output file`;
  const stat = lstatOrUndefined(target);
  if (!stat) return undefined;
  if (stat.isSymbolicLink()) {
    return rules.force ? undefined : `${target} is a symbolic link; Joule does not write through links (--force replaces the link itself)`;
  }
  if (!stat.isFile()) return `${target} exists and is not a regular file`;
  return rules.force ? undefined : `${target} already exists; use --force to replace it`;
}

/** Writes `data` (bytes, text, or text in pieces as they come) to `file` under the rules above; throws OutputError when refused. */
export function writeOutputFile(file: string, data: string | Uint8Array | Iterable<string>, rules: WriteRules): void {
  const target = path.resolve(file);
  const refused = refusal(target, rules);
  if (refused) throw new OutputError(`Not written: ${refused}.`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  sweepStaleTemps(path.dirname(target));
  const temp = tempPathFor(target);
  try {
    const fd = fs.openSync(temp, 'wx', 0o666);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) fs.writeFileSync(fd, data);
      else for (const piece of data) fs.writeFileSync(fd, piece);
    } finally {
      fs.closeSync(fd);
    }
    if (rules.force) fs.renameSync(temp, target);
    else fs.linkSync(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(code === 'EEXIST' ? `Not written: ${target} appeared meanwhile; not overwritten.` : `Cannot write ${target}: ${code ?? String(e)}.`);
  } finally {
    removeQuietly(temp);
  }
}
