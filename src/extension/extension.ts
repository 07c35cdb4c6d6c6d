import * as vscode from 'vscode';
import { CommandIds } from './commandIds';
import { createLogger } from './log';
import { ModelsTreeProvider } from './modelsTree';

/** What activate() returns: used by the host tests to look inside. */
export interface JouleApi {
  readonly activationMs: number;
  readonly modelsTree: ModelsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): JouleApi {
  const started = performance.now();
  const log = createLogger();
  context.subscriptions.push(log);

  const modelsTree = new ModelsTreeProvider(undefined, log);
  context.subscriptions.push(
    modelsTree,
    vscode.window.createTreeView('joule.models', { treeDataProvider: modelsTree, showCollapseAll: true }),
    vscode.commands.registerCommand(CommandIds.showLog, () => log.show()),
    vscode.commands.registerCommand(CommandIds.refreshModels, () => modelsTree.invalidate()),
  );

  const activationMs = performance.now() - started;
  log.info(`Joule activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, modelsTree };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
