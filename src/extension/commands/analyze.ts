import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { renderAnalysis, renderComparison, REPORT_FORMATS, type ReportFormat } from '../../core/report';
import { formatEnergy, formatGrams, formatSeconds } from '../../core/report/units';
import { analysisOptions, readConfig } from '../config';
import { saveExport } from '../exportFile';
import { findModelFiles } from '../modelFiles';
import { pickModel } from '../pickModel';
import { REPORT_VIEW_TYPE } from '../reportEditor';
import { offerNodeBudget } from '../nodeBudgetOffer';
import type { Services } from '../services';

/** Joule: Analyze Model — analyses a model, logs the table and shows the headline numbers. */
export async function analyzeModel(s: Services, arg?: unknown): Promise<void> {
  const uri = await pickModel(arg, s.reports.activeUri, 'Analyze which model?');
  if (!uri) return;
  const config = readConfig(uri);
  const analysis = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Joule: analysing ${path.basename(uri.fsPath)}`, cancellable: true },
    (_progress, token) => s.analyses.analyze(uri, analysisOptions(config, uri), { get cancelled() { return token.isCancellationRequested; } }),
  ).then(undefined, (e: Error) => {
    if (e instanceof CancelledError) void vscode.window.showInformationMessage(`Joule: analysis of ${path.basename(uri.fsPath)} cancelled.`);
    else if (!offerNodeBudget(e, path.basename(uri.fsPath))) void vscode.window.showErrorMessage(`Joule could not analyse ${path.basename(uri.fsPath)}: ${e.message}`);
    return undefined;
  });
  if (!analysis) return;
  s.log.info(`Analysis of ${uri.fsPath}\n${renderAnalysis(analysis, 'table')}`);
  const t = analysis.totals;
  const open = 'Open Energy Report';
  const choice = await vscode.window.showInformationMessage(
    `${path.basename(uri.fsPath)}: ${formatEnergy(t.energy.totalJ)} per inference, ${formatSeconds(t.latencyS)}, ${formatGrams(t.per1k.co2eGrams)} CO2e per 1k (estimated on ${analysis.profile.id}).`,
    open,
    'Show Log',
  );
  if (choice === open) await openReport(s, uri);
  if (choice === 'Show Log') s.log.show();
}

/** Joule: Open Energy Report — the report editor for a model. */
export async function openReport(s: Services, arg?: unknown): Promise<void> {
  const uri = await pickModel(arg, s.reports.activeUri, 'Open the energy report of which model?');
  if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, REPORT_VIEW_TYPE);
}

/** Joule: Export Report… — JSON, Markdown, HTML (self-contained) or CSV, next to the model. */
/** `options.out` writes without asking (for scripts and tests). */
export async function exportReport(s: Services, arg?: unknown, options?: { format?: ReportFormat; out?: vscode.Uri }): Promise<vscode.Uri | undefined> {
  const uri = await pickModel(arg, s.reports.activeUri, 'Export the report of which model?');
  if (!uri) return undefined;
  const format =
    options?.format ??
    (await vscode.window.showQuickPick(
      REPORT_FORMATS.filter((f) => f !== 'table').map((f) => ({ label: f, id: f })),
      { title: 'Export format' },
    ))?.id;
  if (!format) return undefined;
  const profileId = s.reports.profileOf(uri) ?? readConfig(uri).hardwareProfile;
  const analysis = await s.analyses.analyze(uri, analysisOptions(readConfig(uri), uri, profileId));
  const content = renderAnalysis(analysis, format);
  if (options?.out) {
    await vscode.workspace.fs.writeFile(options.out, Buffer.from(content, 'utf8'));
    return options.out;
  }
  const saved = await saveExport(uri, format === 'table' ? 'md' : format, content);
  if (saved) void vscode.window.showInformationMessage(`Joule report written to ${vscode.workspace.asRelativePath(saved)}`);
  return saved;
}

/** Joule: Compare Models… — two models on one profile, or one model on two profiles, as Markdown. */
export async function compareModels(s: Services, arg?: unknown): Promise<void> {
  const first = await pickModel(arg, s.reports.activeUri, 'Compare: first model');
  if (!first) return;
  const how = await vscode.window.showQuickPick(
    [
      { label: 'With another model', id: 'model' as const },
      { label: 'On another hardware profile', id: 'profile' as const },
    ],
    { title: `Compare ${path.basename(first.fsPath)}` },
  );
  if (!how) return;
  const config = readConfig(first);
  let secondUri = first;
  let secondProfile = config.hardwareProfile;
  if (how.id === 'model') {
    const others = (await findModelFiles()).filter((u) => u.toString() !== first.toString());
    const picked = await vscode.window.showQuickPick(others.map((u) => ({ label: vscode.workspace.asRelativePath(u, false), uri: u })), { title: 'Compare with' });
    if (!picked) return;
    secondUri = picked.uri;
  } else {
    const picked = await vscode.window.showQuickPick((await s.profiles.choices(first)).map((p) => ({ label: p.name, description: p.id, id: p.id })), { title: 'Compare on profile' });
    if (!picked) return;
    secondProfile = picked.id;
  }
  try {
    const [a, b] = await Promise.all([
      s.analyses.analyze(first, analysisOptions(config, first)),
      s.analyses.analyze(secondUri, analysisOptions(config, secondUri, secondProfile)),
    ]);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderComparison(a, b, 'md') });
    await vscode.window.showTextDocument(doc, { preview: false });
  } catch (e) {
    void vscode.window.showErrorMessage(`Joule could not compare: ${(e as Error).message}`);
  }
}
