import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BenchView, HostToWebview, MeasuredOverlay, WebviewToHost } from '../core/protocol';
import { hotspotIndices } from '../core/report/hotspots';
import type { AnalysisService } from './analysisService';
import { ACTION_COMMANDS } from './commandIds';
import { analysisOptions, hotspotRule, readConfig } from './config';
import type { Logger } from './log';
import type { ModelDimsStore } from './modelDims';
import { saveExport } from './exportFile';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { offerNodeBudget } from './nodeBudgetOffer';
import type { WorkspaceProfiles } from './workspaceProfiles';

export const REPORT_VIEW_TYPE = 'joule.modelReport';

class ModelDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    /* nothing held: the model is read by the analysis worker */
  }
}

/**
 * The model report: a read-only custom editor for model files. The page shows totals, the per-layer
 * table and details; it gets its data by message after it says `ready`.
 */
export class ReportEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; profileId: string; measured?: MeasuredOverlay; refresh(): Promise<void> }>();
  /** The latest benchmark's per-layer times by model URI, kept for reports opened later. */
  private readonly measured = new Map<string, MeasuredOverlay>();
  /** The last state (busy, analysis or error) each report was sent, by model URI (for the host tests). */
  readonly lastPosted = new Map<string, HostToWebview>();
  /** The report in front, for the status bar and commands. */
  activeUri: vscode.Uri | undefined;
  private readonly activeChanged = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeActive = this.activeChanged.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: AnalysisService,
    private readonly profiles: WorkspaceProfiles,
    private readonly log: Logger,
    private readonly modelDims?: ModelDimsStore,
  ) {
    analyses.onDidInvalidate(() => {
      for (const p of this.panels.values()) void p.refresh();
    });
    modelDims?.onDidChange((uri) => void this.panels.get(uri.toString())?.refresh());
  }

  openCustomDocument(uri: vscode.Uri): ModelDocument {
    return new ModelDocument(uri);
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    const uri = document.uri;
    const key = uri.toString();
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'report', `Energy report: ${path.basename(uri.fsPath)}`);
    const post = (message: HostToWebview) => {
      // The measured overlay decorates the page's state; the state itself stays the last thing recorded.
      if (message.type !== 'measured') this.lastPosted.set(key, message);
      void panel.webview.postMessage(message);
    };
    let budgetOffered = false;
    const state: { panel: vscode.WebviewPanel; profileId: string; measured?: MeasuredOverlay; refresh(): Promise<void> } = {
      panel,
      profileId: readConfig(uri).hardwareProfile,
      measured: this.measured.get(key),
      refresh: async () => {
        post({ type: 'busy', message: `Analysing on ${state.profileId}…` });
        try {
          const [{ analysis, advice, graph }, profiles] = await Promise.all([this.analyses.analyzeWithAdvice(uri, analysisOptions(readConfig(uri), uri, state.profileId, this.modelDims?.get(uri))), this.profiles.choices(uri)]);
          post({ type: 'analysis', analysis, profiles, advice, hotspots: hotspotIndices(analysis, hotspotRule(readConfig(uri))), graph });
          if (state.measured) post({ type: 'measured', measured: state.measured });
        } catch (e) {
          this.log.warn(`Report for ${uri.fsPath}: ${(e as Error).message}`);
          post({ type: 'error', message: (e as Error).message });
          // Once per report: every re-price (a settings change, a profile pick) would refuse it again.
          if (!budgetOffered) budgetOffered = offerNodeBudget(e, path.basename(uri.fsPath));
        }
      },
    };
    this.panels.set(key, state);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath)));
    watcher.onDidChange(() => void state.refresh());
    panel.onDidDispose(() => {
      watcher.dispose();
      this.panels.delete(key);
      if (this.activeUri?.toString() === key) this.setActive(undefined);
    });
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.setActive(uri);
      else if (this.activeUri?.toString() === key) this.setActive(undefined);
    });
    if (panel.active) this.setActive(uri);
    panel.webview.onDidReceiveMessage((message: WebviewToHost) => this.onMessage(uri, state, message));
  }

  private setActive(uri: vscode.Uri | undefined): void {
    this.activeUri = uri;
    this.activeChanged.fire(uri);
  }

  private async onMessage(uri: vscode.Uri, state: { profileId: string; refresh(): Promise<void>; panel: vscode.WebviewPanel }, message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return state.refresh();
      case 'selectProfile':
        return this.selectProfile(uri, message.id);
      case 'runAction': {
        await vscode.commands.executeCommand(ACTION_COMMANDS[message.action], uri, { mode: message.mode, layer: message.layer });
        return;
      }
      case 'export': {
        const saved = await saveExport(uri, message.format, message.content);
        void state.panel.webview.postMessage({ type: 'exported', requestId: message.requestId, path: saved?.fsPath } satisfies HostToWebview);
        return;
      }
      case 'openModel':
        return;
      case 'setDims':
        // The store fires a change: this report, the Models view and the status bar follow.
        return this.modelDims?.set(uri, message.dims);
    }
  }

  /** After a benchmark: the model's report (open now or later) colours its graph by measured time. */
  showMeasured(uri: vscode.Uri, bench: BenchView): void {
    const measured: MeasuredOverlay = { label: bench.label, energy: bench.energy, layers: bench.layers };
    const key = uri.toString();
    this.measured.set(key, measured);
    const open = this.panels.get(key);
    if (!open) return;
    open.measured = measured;
    void open.panel.webview.postMessage({ type: 'measured', measured } satisfies HostToWebview);
  }

  /** The report's own picker: this report is priced on `id`; the setting and other views stay as they are. */
  async selectProfile(uri: vscode.Uri, id: string): Promise<void> {
    const state = this.panels.get(uri.toString());
    if (!state) return;
    state.profileId = id;
    // The status bar shows the report in front on that report's profile: tell it.
    if (this.activeUri?.toString() === uri.toString()) this.activeChanged.fire(uri);
    await state.refresh();
  }

  /** The profile a report shows (its picker's choice, else the setting); undefined when not open. */
  profileOf(uri: vscode.Uri): string | undefined {
    return this.panels.get(uri.toString())?.profileId;
  }

  /**
   * Re-renders every open report (from cached analyses unless they were dropped). A report keeps the
   * profile its own picker chose unless the global profile changed (`followGlobalProfile`).
   */
  refreshAll(options: { readonly followGlobalProfile: boolean }): void {
    for (const [key, p] of this.panels) {
      if (options.followGlobalProfile) p.profileId = readConfig(vscode.Uri.parse(key)).hardwareProfile;
      void p.refresh();
    }
  }
}
