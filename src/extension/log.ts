import * as vscode from 'vscode';

/** The one log of the extension: a LogOutputChannel named Joule (levels set by the user in the UI). */
export type Logger = vscode.LogOutputChannel;

export function createLogger(): Logger {
  return vscode.window.createOutputChannel('Joule', { log: true });
}
