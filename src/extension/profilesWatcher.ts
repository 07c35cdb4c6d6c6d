import * as vscode from 'vscode';
import { readConfig, userProfilesDir } from './config';

/**
 * Watches the user profile folder (`joule.profilesFolder`, `.joule/profiles` by default) of every
 * workspace folder: adding, editing or deleting a profile there re-prices what is shown, as a
 * calibration writing `this-machine.json` does.
 */
export class ProfilesWatcher implements vscode.Disposable {
  private watchers: vscode.FileSystemWatcher[] = [];

  constructor(private readonly onChange: (file: vscode.Uri) => void) {
    this.watch();
  }

  /** Watches the folders the settings name now (call again when `joule.profilesFolder` changes). */
  watch(): void {
    this.disposeWatchers();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = userProfilesDir(readConfig(folder.uri), folder.uri);
      if (!dir) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*.json'));
      watcher.onDidCreate(this.onChange);
      watcher.onDidChange(this.onChange);
      watcher.onDidDelete(this.onChange);
      this.watchers.push(watcher);
    }
  }

  dispose(): void {
    this.disposeWatchers();
  }

  private disposeWatchers(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
  }
}
