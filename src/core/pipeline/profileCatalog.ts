/**
 * The hardware profiles on offer: the shipped ones plus the files of a user profiles folder. A folder's
 * profiles are parsed and validated once and kept while its listing is unchanged (names, sizes and
 * modification times, from one readdir and an lstat per file): a calibration or a fit that rewrites
 * this-machine.json is seen by the next analysis, and a CLI run or a worker does not re-validate every
 * file for each model it prices. The extension also invalidates a folder from its file watcher.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listProfiles, loadUserProfiles, MAX_PROFILE_FILES, type UserProfiles } from '../energy/profileRegistry';
import type { HardwareProfile } from '../energy/profileSchema';

const NO_FOLDER: UserProfiles = { profiles: [], errors: [] };

/** What a folder's profile files look like now; '' when it cannot be listed (then it is read each time). */
function listingOf(dir: string): string {
  try {
    const names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.json')).sort().slice(0, MAX_PROFILE_FILES);
    return names.map((n) => {
      const s = fs.lstatSync(path.join(dir, n), { throwIfNoEntry: false });
      return s ? `${n}\0${s.ino}\0${s.size}\0${s.mtimeMs}` : n;
    }).join('\n');
  } catch {
    return '';
  }
}

export class ProfileCatalog {
  private readonly folders = new Map<string, { readonly listing: string; readonly loaded: UserProfiles }>();

  /** `read` loads one folder; tests pass a counting one. */
  constructor(private readonly read: (dir: string) => UserProfiles = loadUserProfiles) {}

  /** The valid profiles of a folder and the files that failed (nothing when no folder is set). */
  folder(dir: string | undefined): UserProfiles {
    if (dir === undefined) return NO_FOLDER;
    const listing = listingOf(dir);
    const kept = this.folders.get(dir);
    if (kept && listing !== '' && kept.listing === listing) return kept.loaded;
    const loaded = this.read(dir);
    this.folders.set(dir, { listing, loaded });
    return loaded;
  }

  /** Shipped profiles then the folder's own (a folder's profile with a shipped id replaces it). */
  list(dir: string | undefined): readonly HardwareProfile[] {
    return listProfiles(this.folder(dir).profiles);
  }

  /** Forgets one folder (its watcher saw a change) or every folder. */
  invalidate(dir?: string): void {
    if (dir === undefined) this.folders.clear();
    else this.folders.delete(dir);
  }
}
