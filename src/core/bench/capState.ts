/**
 * A power-cap sweep lowers CPU frequency limits or the GPU power limit and restores them in a
 * `finally`; a SIGKILL skips that. So the originals are recorded in a state file before the first
 * change and removed after the restore; the next sweep finds a left-over file and restores first.
 * Limits do not survive a reboot, and neither does the default file (in the temp folder).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CpuFrequencyControl, type GpuPowerControl, probeCpuFrequencyControl, setCpuMaxFrequency, setGpuPowerLimit } from './capControl';

export interface CapState {
  readonly cpu?: { readonly files: readonly string[]; readonly originalKHz: readonly number[] };
  readonly gpu?: { readonly command: string; readonly originalW: number };
}

/** One file per user and cpufreq root (tests sweep fake roots; they must not meet the real one's state). */
export function defaultCapStateFile(cpuRoot: string): string {
  const user = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  const root = crypto.createHash('sha256').update(cpuRoot).digest('hex').slice(0, 8);
  return path.join(os.tmpdir(), `joule-cap-state-${user}-${root}.json`);
}

/** Records what a sweep is about to change (merged with what is already recorded). */
export function recordCapState(file: string, change: CapState): void {
  const state = { ...readCapState(file), ...change };
  const temp = `${file}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state), { flag: 'wx', mode: 0o600 });
  fs.renameSync(temp, file);
}

export function clearCapState(file: string): void {
  fs.rmSync(file, { force: true });
}

/**
 * The recorded state, or undefined. Only a regular file owned by this user (not a link: the
 * default folder is shared) is trusted; anything else is ignored.
 */
export function readCapState(file: string): CapState | undefined {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > 64 * 1024) return undefined;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as CapState;
    return typeof doc === 'object' && doc !== null ? doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Restores what an interrupted sweep left changed; returns notes for the result. Recorded values
 * are checked against the machine (the same cpufreq files, frequencies within the hardware range)
 * before they are written.
 */
export async function restoreLeftCaps(file: string, cpuRoot: string): Promise<string[]> {
  const state = readCapState(file);
  if (!state) return [];
  const notes: string[] = [];
  if (state.cpu) {
    const probe = await probeCpuFrequencyControl(cpuRoot);
    const recorded = state.cpu;
    if (probe.ok && sameCpuFiles(probe.value, recorded.files) && recorded.originalKHz.every((k) => k >= probe.value.minKHz && k <= probe.value.maxKHz)) {
      await setCpuMaxFrequency(probe.value, recorded.originalKHz);
      notes.push('Restored the CPU frequency limits an interrupted sweep had lowered.');
    }
  }
  if (state.gpu && Number.isFinite(state.gpu.originalW) && state.gpu.originalW > 0) {
    const control: GpuPowerControl = { command: state.gpu.command, originalW: state.gpu.originalW };
    try {
      await setGpuPowerLimit(control, control.originalW);
      notes.push(`Restored the GPU power limit (${control.originalW} W) an interrupted sweep had lowered.`);
    } catch {
      notes.push('An interrupted sweep left the GPU power limit changed and it could not be restored: run `nvidia-smi -pl WATTS` as root.');
    }
  }
  clearCapState(file);
  return notes;
}

function sameCpuFiles(control: CpuFrequencyControl, files: readonly string[]): boolean {
  return control.files.length === files.length && control.files.every((f, i) => f === files[i]);
}
