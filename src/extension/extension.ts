import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { BenchPanel, BENCH_VIEW_TYPE } from './benchPanel';
import { CommandIds } from './commandIds';
import { CONFIG_JSON_SELECTOR, ConfigJsonHints } from './configJsonHints';
import { analyzeModel, compareModels, exportReport, openReport } from './commands/analyze';
import { runBenchmarkCommand } from './commands/bench';
import { calibrateThisMachine } from './commands/calibrate';
import { selectProfile, setGridIntensity } from './commands/profile';
import { pruneModel, quantizeModel } from './commands/transform';
import { assumedDimsNote } from '../core/report/assumedDims';
import { analysisOptions, CONFIG_SECTION, hotspotRule, readConfig } from './config';
import { createLogger } from './log';
import { ModelDimsStore } from './modelDims';
import { ModelInputsStore, setInputValues } from './modelInputs';
import { summarizeAnalysis } from './modelSummary';
import { ModelsTreeProvider } from './modelsTree';
import { hotspotDiagnostics, LayerCodeActions, LayerHover, LayerInlayHints, ModelCodeLens, PYTHON_SELECTOR } from './python/providers';
import { PythonAnalyses } from './python/pythonAnalyses';
import { AnalysisClient } from './analysisClient';
import { WorkspaceProfiles } from './workspaceProfiles';
import { ProfilesWatcher } from './profilesWatcher';
import { REPORT_VIEW_TYPE, ReportEditorProvider } from './reportEditor';
import type { Services } from './services';
import { settingsEffect, type SettingsEffect } from './settingsEffect';
import { EnergyStatusBar } from './statusBar';
import { SummaryViewProvider } from './summaryView';

/** What activate() returns: used by the host tests to look inside. */
export interface JouleApi {
  readonly activationMs: number;
  readonly services: Services;
  readonly modelsTree: ModelsTreeProvider;
  readonly python: PythonAnalyses;
  readonly statusBar: EnergyStatusBar;
  readonly bench: BenchPanel;
  readonly diagnostics: vscode.DiagnosticCollection;
  /** Dimensions set per model in the report editor (workspace memory). */
  readonly modelDims: ModelDimsStore;
}

/** Typing pauses this long before diagnostics and the status bar update (the analysis takes ~5 ms). */
const DIAGNOSTICS_DEBOUNCE_MS = 40;
/** Limits of one live editor analysis: the budgets stop hostile code far sooner (docs/security.md). */
const EDITOR_WORKER_HEAP_MB = 512;
const EDITOR_WORK_TIMEOUT_MS = 10_000;

export function activate(context: vscode.ExtensionContext): JouleApi {
  const started = performance.now();
  const log = createLogger();
  const workerScript = path.join(context.extensionPath, 'dist', 'analysisWorker.js');
  const analyses = new AnalysisService(workerScript, log);
  // Live editor analyses (Python, config.json) get their own worker, so that a hostile file open in
  // an editor stops at its own limits and never holds up a model's analysis.
  const editorWork = new AnalysisClient(workerScript, { purpose: 'editor analysis', heapMb: EDITOR_WORKER_HEAP_MB, timeoutMs: EDITOR_WORK_TIMEOUT_MS });
  editorWork.onProblem = (message) => log.warn(message);
  const modelDims = new ModelDimsStore(context.workspaceState);
  const profiles = new WorkspaceProfiles(editorWork, log);
  const reports = new ReportEditorProvider(context.extensionUri, analyses, profiles, log, modelDims);
  const bench = new BenchPanel(context.extensionUri);
  const modelInputs = new ModelInputsStore(context.workspaceState);
  const services: Services = { extensionUri: context.extensionUri, log, analyses, profiles, reports, modelInputs, modelDims, showBench: (uri, view) => {
    bench.show(view);
    reports.showMeasured(uri, view);
  } };

  const modelsTree = new ModelsTreeProvider(async (uri) => summarizeAnalysis(await analyses.analyze(uri, analysisOptions(readConfig(uri), uri, undefined, modelDims.get(uri))), hotspotRule(readConfig(uri))), log);
  const python = new PythonAnalyses(editorWork, log);
  const inlayHints = new LayerInlayHints(python);
  const codeLens = new ModelCodeLens(python);
  const diagnostics = vscode.languages.createDiagnosticCollection('joule');
  const statusBar = new EnergyStatusBar();

  const register = (id: string, handler: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, handler);
  context.subscriptions.push(
    log,
    analyses,
    editorWork,
    modelDims,
    modelsTree,
    python,
    diagnostics,
    statusBar,
    bench,
    vscode.window.createTreeView('joule.models', { treeDataProvider: modelsTree, showCollapseAll: true }),
    vscode.window.registerCustomEditorProvider(REPORT_VIEW_TYPE, reports, { supportsMultipleEditorsPerDocument: true }),
    vscode.window.registerWebviewPanelSerializer(BENCH_VIEW_TYPE, bench),
    vscode.window.registerWebviewViewProvider('joule.summary', new SummaryViewProvider(context.extensionUri, analyses, modelDims)),
    vscode.languages.registerInlayHintsProvider(PYTHON_SELECTOR, inlayHints),
    vscode.languages.registerInlayHintsProvider(CONFIG_JSON_SELECTOR, new ConfigJsonHints(editorWork, log)),
    vscode.languages.registerHoverProvider(PYTHON_SELECTOR, new LayerHover(python)),
    vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, codeLens),
    vscode.languages.registerCodeActionsProvider(PYTHON_SELECTOR, new LayerCodeActions(python), { providedCodeActionKinds: LayerCodeActions.kinds }),
    register(CommandIds.analyzeModel, (arg) => analyzeModel(services, arg)),
    register(CommandIds.openReport, (arg) => openReport(services, arg)),
    register(CommandIds.quantizeModel, (arg, options) => quantizeModel(services, arg, options as { mode?: string } | undefined)),
    register(CommandIds.pruneModel, (arg, options) => pruneModel(services, arg, options as { mode?: string; ratio?: number } | undefined)),
    register(CommandIds.runBenchmark, (arg, options) => runBenchmarkCommand(services, arg, options as { sweep?: boolean } | undefined)),
    register(CommandIds.compareModels, (arg) => compareModels(services, arg)),
    register(CommandIds.selectProfile, () => selectProfile(profiles, reports.activeUri ? reports.profileOf(reports.activeUri) : undefined)),
    register(CommandIds.setGridIntensity, () => setGridIntensity()),
    register(CommandIds.exportReport, (arg, options) => exportReport(services, arg, options as Parameters<typeof exportReport>[2])),
    register(CommandIds.showLog, () => log.show()),
    register(CommandIds.refreshModels, () => analyses.invalidate()),
    register(CommandIds.calibrateMachine, () => calibrateThisMachine(services)),
    register(CommandIds.setInputValues, (arg) => setInputValues(modelInputs, arg, reports.activeUri)),
  );

  // Diagnostics and the status bar follow the Python file being edited, debounced while typing.
  let pending: NodeJS.Timeout | undefined;
  const updatePython = (document: vscode.TextDocument | undefined) => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      if (document?.languageId === 'python') {
        const version = document.version;
        void hotspotDiagnostics(python, document).then((found) => {
          if (!document.isClosed && document.version === version) diagnostics.set(document.uri, found);
        });
      }
      updateStatusBar();
    }, DIAGNOSTICS_DEBOUNCE_MS);
  };
  const updateStatusBar = () => {
    const report = reports.activeUri;
    if (report) {
      const config = readConfig(report);
      analyses.analyze(report, analysisOptions(config, report, reports.profileOf(report), modelDims.get(report))).then(
        (a) => statusBar.show({ label: path.basename(report.fsPath), energyJ: a.totals.energy.totalJ, profileId: a.profile.id, complete: a.unknownOps.length === 0, assumed: assumedDimsNote(a.assumedDims, 'set them in the report') }),
        () => statusBar.show(undefined),
      );
      return;
    }
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== 'python') return statusBar.show(undefined);
    void python.get(document).then((priced) => {
      // The answer comes from the worker: show it only if that document is still in front.
      if (vscode.window.activeTextEditor?.document !== document || reports.activeUri) return;
      if (!priced || priced.source.models.length === 0) return statusBar.show(undefined);
      const i = priced.source.models.findIndex((m) => m.totals.macs !== undefined);
      const index = i >= 0 ? i : 0;
      statusBar.show({ label: priced.source.models[index]!.name, energyJ: priced.modelEnergy[index]!.totalJ, profileId: priced.analysis.profile.id, complete: priced.modelEnergy[index]!.complete });
    });
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => updatePython(d)),
    vscode.workspace.onDidChangeTextDocument((e) => updatePython(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    vscode.window.onDidChangeActiveTextEditor((e) => updatePython(e?.document)),
    reports.onDidChangeActive(() => updateStatusBar()),
    modelDims.onDidChange(() => {
      modelsTree.invalidate();
      updateStatusBar();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      const effect = settingsEffect(e);
      if (e.affectsConfiguration('joule.profilesFolder')) profilesWatcher.watch();
      if (effect.reprice) log.info('Settings changed: re-estimating');
      if (effect.render) refreshViews(effect);
    }),
    { dispose: () => pending && clearTimeout(pending) },
  );
  // Re-prices (dropping cached analyses) or only re-renders from them; reports keep their own
  // profile choice unless the global profile itself changed.
  const refreshViews = (effect: Pick<SettingsEffect, 'profile' | 'reprice'>) => {
    if (effect.reprice) {
      analyses.invalidate();
      python.clear();
    }
    modelsTree.invalidate();
    reports.refreshAll({ followGlobalProfile: effect.profile });
    inlayHints.refresh();
    codeLens.refresh();
    for (const editor of vscode.window.visibleTextEditors) updatePython(editor.document);
    updateStatusBar();
  };
  const profilesWatcher = new ProfilesWatcher((file) => {
    log.info(`Hardware profile ${path.basename(file.fsPath)} changed: re-estimating`);
    const dir = path.dirname(file.fsPath);
    analyses.profilesChanged(dir);
    profiles.changed(dir);
    refreshViews({ profile: false, reprice: true });
  });
  context.subscriptions.push(profilesWatcher);
  for (const editor of vscode.window.visibleTextEditors) updatePython(editor.document);

  const activationMs = performance.now() - started;
  log.info(`Joule activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, services, modelsTree, python, statusBar, bench, diagnostics, modelDims };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
