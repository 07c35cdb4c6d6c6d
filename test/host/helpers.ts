import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JouleApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'joule-energy.joule';

export async function jouleApi(): Promise<JouleApi> {
  const extension = vscode.extensions.getExtension<JouleApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in the host`);
  return extension.activate();
}

export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host tests need the fixture workspace open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, ...parts));
}

/** Polls `probe` until it returns something truthy. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
