import * as path from 'node:path';
import * as vscode from 'vscode';
import { findModelFiles, MODEL_GLOB } from './modelFiles';
import type { Logger } from './log';

/** What the tree shows under a model: filled by the analysis service when it has a result. */
export interface ModelSummary {
  /** e.g. "1.2 mJ / inference (estimated, laptop-x86)". */
  readonly description: string;
  readonly tooltip: string;
  readonly hotspots: readonly { label: string; description: string }[];
}

export type SummaryProvider = (uri: vscode.Uri) => Promise<ModelSummary | Error>;

type Item = { kind: 'model'; uri: vscode.Uri } | { kind: 'hotspot'; label: string; description: string } | { kind: 'error'; message: string };

/** The Models view: every model file of the workspace with its energy and top hotspots. */
export class ModelsTreeProvider implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly summaries = new Map<string, Promise<ModelSummary | Error>>();

  constructor(
    private readonly summarize: SummaryProvider | undefined,
    private readonly log: Logger,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher(MODEL_GLOB);
    const refreshOne = (uri: vscode.Uri) => {
      this.summaries.delete(uri.toString());
      this.refresh();
    };
    this.watcher.onDidCreate(refreshOne);
    this.watcher.onDidChange(refreshOne);
    this.watcher.onDidDelete(refreshOne);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Forgets every cached summary (after a profile or setting change) and redraws. */
  invalidate(): void {
    this.summaries.clear();
    this.refresh();
  }

  async getChildren(element?: Item): Promise<Item[]> {
    if (!element) {
      const uris = await findModelFiles();
      this.log.debug(`Models view: ${uris.length} model file(s)`);
      return uris.map((uri) => ({ kind: 'model', uri }));
    }
    if (element.kind !== 'model' || !this.summarize) return [];
    const summary = await this.summaryOf(element.uri);
    if (summary instanceof Error) return [{ kind: 'error', message: summary.message }];
    return summary.hotspots.map((h) => ({ kind: 'hotspot', ...h }));
  }

  async getTreeItem(element: Item): Promise<vscode.TreeItem> {
    if (element.kind === 'hotspot') {
      const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
      item.description = element.description;
      item.iconPath = new vscode.ThemeIcon('flame');
      return item;
    }
    if (element.kind === 'error') {
      const item = new vscode.TreeItem(element.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('error');
      return item;
    }
    const relative = vscode.workspace.asRelativePath(element.uri, false);
    const item = new vscode.TreeItem(path.posix.basename(element.uri.path), vscode.TreeItemCollapsibleState.Collapsed);
    item.resourceUri = element.uri;
    item.contextValue = 'joule.model';
    item.tooltip = relative;
    item.command = { command: 'vscode.openWith', title: 'Open Energy Report', arguments: [element.uri, 'joule.modelReport'] };
    if (this.summarize) {
      const summary = await this.summaryOf(element.uri);
      item.description = summary instanceof Error ? 'unreadable' : summary.description;
      item.tooltip = summary instanceof Error ? `${relative}\n${summary.message}` : `${relative}\n${summary.tooltip}`;
    }
    return item;
  }

  private summaryOf(uri: vscode.Uri): Promise<ModelSummary | Error> {
    const key = uri.toString();
    let summary = this.summaries.get(key);
    if (!summary) {
      summary = this.summarize!(uri).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      this.summaries.set(key, summary);
    }
    return summary;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
