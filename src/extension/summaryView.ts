import * as path from 'node:path';
import * as vscode from 'vscode';
import { hotspotIndices } from '../core/report/hotspots';
import type { HostToWebview, ModelSummaryView, WebviewToHost } from '../core/protocol';
import type { AnalysisService } from './analysisService';
import { analysisOptions, hotspotRule, readConfig } from './config';
import type { ModelDimsStore } from './modelDims';
import { findModelFiles } from './modelFiles';
import { REPORT_VIEW_TYPE } from './reportEditor';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The side panel's summary: the workspace's models with energy per inference and top hotspots. */
export class SummaryViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: AnalysisService,
    private readonly modelDims?: ModelDimsStore,
  ) {
    analyses.onDidInvalidate(() => void this.refresh());
    modelDims?.onDidChange(() => void this.refresh());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'summary', 'Joule Summary');
    view.webview.onDidReceiveMessage((message: WebviewToHost) => {
      if (message.type === 'ready') void this.refresh();
      if (message.type === 'openModel') void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(message.path), REPORT_VIEW_TYPE);
    });
    view.onDidChangeVisibility(() => {
      if (view.visible) void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    const view = this.view;
    if (!view?.visible) return;
    const config = readConfig();
    const uris = await findModelFiles();
    const models: ModelSummaryView[] = await Promise.all(
      uris.map(async (uri): Promise<ModelSummaryView> => {
        const label = vscode.workspace.asRelativePath(uri, false);
        try {
          const a = await this.analyses.analyze(uri, analysisOptions(config, uri, undefined, this.modelDims?.get(uri)));
          const hot = hotspotIndices(a, hotspotRule(config));
          return { path: uri.fsPath, label, energyJ: a.totals.energy.totalJ, profileId: a.profile.id, hotspots: hot.map((i) => ({ name: a.layers[i]!.name, share: a.layers[i]!.energyShare })) };
        } catch (e) {
          return { path: uri.fsPath, label: label || path.basename(uri.fsPath), error: (e as Error).message, hotspots: [] };
        }
      }),
    );
    void view.webview.postMessage({ type: 'summary', models, profileId: config.hardwareProfile } satisfies HostToWebview);
  }
}
