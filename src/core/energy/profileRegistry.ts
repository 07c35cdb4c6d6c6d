/**
 * The shipped hardware profiles (JSON beside this file, bundled by esbuild through these imports)
 * and users' own profiles from a folder such as `.joule/profiles`. Validation runs on first use,
 * never at import time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotRegularFileError, readRegularFile, staysInside } from '../io/safeRead';
import { validateProfile, type HardwareProfile } from './profileSchema';
import a100 from './profiles/a100.json';
import cortexM4 from './profiles/cortex-m4.json';
import cortexM7 from './profiles/cortex-m7.json';
import desktopX86 from './profiles/desktop-x86.json';
import edgeTpu from './profiles/edge-tpu.json';
import eyeriss from './profiles/eyeriss.json';
import fpgaZu9 from './profiles/fpga-zu9.json';
import h100 from './profiles/h100.json';
import jetsonOrinAgx from './profiles/jetson-orin-agx.json';
import laptopX86 from './profiles/laptop-x86.json';
import mobileNpu from './profiles/mobile-npu.json';
import pimReram from './profiles/pim-reram.json';
import serverX86 from './profiles/server-x86.json';
import x86Core from './profiles/x86-core.json';

/** Shipped documents in display order: smallest devices first, then the literature's architectures. */
const SHIPPED_DOCUMENTS: readonly unknown[] = [
  cortexM4, cortexM7, mobileNpu, edgeTpu, jetsonOrinAgx, x86Core, laptopX86, desktopX86, serverX86, a100, h100,
  eyeriss, fpgaZu9, pimReram,
];

export const DEFAULT_PROFILE_ID = 'laptop-x86';

let shipped: readonly HardwareProfile[] | undefined;

/** The shipped profiles, validated once (a shipped profile that fails validation is a bug: it throws). */
export function shippedProfiles(): readonly HardwareProfile[] {
  if (shipped === undefined) {
    shipped = SHIPPED_DOCUMENTS.map((doc) => {
      const result = validateProfile(doc);
      if (!result.ok) throw new Error(`Shipped hardware profile is invalid:\n${result.errors.join('\n')}`);
      return result.profile;
    });
  }
  return shipped;
}

/**
 * Every profile, shipped first, then `extra` (user profiles). A user profile with a shipped id
 * replaces the shipped one, so a workspace can correct a value it knows better.
 */
export function listProfiles(extra: readonly HardwareProfile[] = []): readonly HardwareProfile[] {
  const byId = new Map<string, HardwareProfile>();
  for (const profile of shippedProfiles()) byId.set(profile.id, profile);
  for (const profile of extra) byId.set(profile.id, profile);
  return [...byId.values()];
}

export function getProfile(id: string, extra: readonly HardwareProfile[] = []): HardwareProfile | undefined {
  return listProfiles(extra).find((p) => p.id === id);
}

export interface ProfileLoadError {
  readonly file: string;
  readonly errors: readonly string[];
}

export interface UserProfiles {
  readonly profiles: readonly HardwareProfile[];
  /** Files that could not be read, parsed or validated, with every problem found; nothing is thrown. */
  readonly errors: readonly ProfileLoadError[];
}

/** A profile is a few KiB of JSON; larger files are refused unread. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** At most this many profile files are read from one folder. */
export const MAX_PROFILE_FILES = 1000;

/** Loads `*.json` profiles from `dir` (e.g. `<workspace>/.joule/profiles`); a missing folder yields none. */
export function loadUserProfiles(dir: string): UserProfiles {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.json')).sort().slice(0, MAX_PROFILE_FILES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: [], errors: [] };
    return { profiles: [], errors: [{ file: dir, errors: [`cannot list the folder: ${(err as Error).message}`] }] };
  }
  const profiles: HardwareProfile[] = [];
  const errors: ProfileLoadError[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    // A repository can plant these files: regular files only, small, and no link out of the folder.
    if (!staysInside(dir, file)) {
      errors.push({ file, errors: ['a link that leads outside the profiles folder: not read'] });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readRegularFile(file, MAX_PROFILE_BYTES);
    } catch (err) {
      errors.push({ file, errors: [err instanceof NotRegularFileError ? `${err.message}: not read` : `cannot read: ${(err as Error).message}`] });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      errors.push({ file, errors: [`not valid JSON: ${(err as Error).message}`] });
      continue;
    }
    const result = validateProfile(doc);
    if (!result.ok) {
      errors.push({ file, errors: result.errors });
      continue;
    }
    const previous = seen.get(result.profile.id);
    if (previous !== undefined) {
      errors.push({ file, errors: [`$.id: "${result.profile.id}" is already defined in ${previous}`] });
      continue;
    }
    seen.set(result.profile.id, file);
    profiles.push(result.profile);
  }
  return { profiles, errors };
}
