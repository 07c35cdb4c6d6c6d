import * as vscode from 'vscode';
import { listProfiles } from '../core/energy/profileRegistry';
import type { HardwareProfile } from '../core/energy/profileSchema';
import type { ProfileChoice } from '../core/protocol';
import { readConfig, userProfilesDir } from './config';
import type { Logger } from './log';
import type { AnalysisClient } from './analysisClient';
import { profilesChangedNotification } from './worker/protocol';

/**
 * The hardware profiles a workspace offers: the shipped ones plus its profiles folder. The folder
 * belongs to the repository, so its files are read in the editor's worker (regular files only, size
 * caps, a time limit), never on the extension host.
 */
export class WorkspaceProfiles {
  constructor(
    private readonly channel: AnalysisClient,
    private readonly log: Logger,
  ) {}

  /** The workspace's own profiles for a file's folder; skipped files are logged. */
  async user(scope?: vscode.Uri): Promise<readonly HardwareProfile[]> {
    const dir = userProfilesDir(readConfig(scope), scope);
    if (dir === undefined) return [];
    try {
      const { profiles, skipped } = await this.channel.call('userProfiles', { dir });
      for (const s of skipped) this.log.warn(`Skipped hardware profile ${s}`);
      return profiles;
    } catch (e) {
      this.log.warn(`Could not read the hardware profiles in ${dir}: ${(e as Error).message}`);
      return [];
    }
  }

  /** What a picker offers for a file: shipped profiles plus the workspace's own. */
  async choices(scope?: vscode.Uri): Promise<ProfileChoice[]> {
    return listProfiles(await this.user(scope)).map((p) => ({ id: p.id, name: p.name, kind: p.kind }));
  }

  /** A profile file in `dir` changed: the editor's worker forgets that folder. */
  changed(dir: string): void {
    this.channel.notify(profilesChangedNotification, { dir });
  }

  /** One profile by id for a file's folder; rejects with the known ids when there is none. */
  resolve(profileId: string, scope?: vscode.Uri): Promise<HardwareProfile> {
    return this.channel.call('resolveProfile', { profileId, userProfilesDir: userProfilesDir(readConfig(scope), scope) });
  }
}
