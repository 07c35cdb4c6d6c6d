import * as vscode from 'vscode';
import type { BenchView, HostToWebview, WebviewToHost } from '../core/protocol';
import { ACTION_COMMANDS } from './commandIds';
import { saveExport } from './exportFile';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const BENCH_VIEW_TYPE = 'joule.benchmark';

/**
 * The benchmark panel: charts of a run. One panel, reused; its page keeps the last view in its
 * webview state, so a serializer restores it after a reload without re-running anything.
 */
export class BenchPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: BenchView | undefined;
  /** The message the panel shows now (for the host tests). */
  lastPosted: HostToWebview | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(view: BenchView): void {
    this.view = view;
    this.lastPosted = { type: 'bench', bench: view };
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(BENCH_VIEW_TYPE, 'Joule Benchmark', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
      this.attach(panel);
    } else {
      this.panel.reveal();
      this.post({ type: 'bench', bench: view });
    }
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'bench', 'Joule Benchmark');
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage(async (message: WebviewToHost) => {
      if (message.type === 'ready') {
        // A restored page renders from its own saved state when the host has nothing newer.
        if (this.view) this.post({ type: 'bench', bench: this.view });
      } else if (message.type === 'export') {
        const model = this.view ? vscode.Uri.file(this.view.modelPath) : vscode.workspace.workspaceFolders?.[0]?.uri;
        if (!model) return;
        const saved = await saveExport(model, message.format, message.content);
        this.post({ type: 'exported', requestId: message.requestId, path: saved?.fsPath });
      } else if (message.type === 'runAction' && this.view) {
        await vscode.commands.executeCommand(ACTION_COMMANDS[message.action], vscode.Uri.file(this.view.modelPath), { mode: message.mode });
      }
    });
  }

  private post(message: HostToWebview): void {
    this.lastPosted = message;
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
