import { formatBandFactor } from '../../core/energy/uncertainty';
import * as vscode from 'vscode';
import { modelShareOf } from '../../core/pipeline/pythonSource';
import { formatCount, formatEnergy, formatGrams } from '../../core/report/units';
import { CommandIds } from '../commandIds';
import { readConfig } from '../config';
import { layerHint, layerHover } from './layerText';
import { toRange, type PythonAnalyses } from './pythonAnalyses';

export const PYTHON_SELECTOR: vscode.DocumentSelector = [{ language: 'python' }];
export const HOTSPOT_CODE = 'joule.hotspot';

/** Inlay hints after each layer construction: parameters, (weight bytes, MACs,) energy. */
export class LayerInlayHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  constructor(private readonly analyses: PythonAnalyses) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.InlayHint[]> {
    const config = readConfig(document.uri);
    if (!config.hintsEnabled) return [];
    const priced = await this.analyses.get(document);
    if (!priced) return [];
    const hints: vscode.InlayHint[] = [];
    priced.source.layers.forEach((layer, i) => {
      const at = toRange(layer.range).end;
      if (!range.contains(at)) return;
      const label = layerHint(priced, i, config.hintsDetail);
      if (!label) return;
      const hint = new vscode.InlayHint(at, ` ⚡ ${label}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = new vscode.MarkdownString(layerHover(priced, i));
      hints.push(hint);
    });
    return hints;
  }
}

/** Hover over a layer construction: the full breakdown. */
export class LayerHover implements vscode.HoverProvider {
  constructor(private readonly analyses: PythonAnalyses) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const priced = await this.analyses.get(document);
    if (!priced) return undefined;
    const index = priced.source.layers.findIndex((l) => toRange(l.range).contains(position));
    if (index < 0) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(layerHover(priced, index)), toRange(priced.source.layers[index]!.range));
  }
}

/** A CodeLens on each model class or Sequential: its totals. Clicking changes the profile. */
export class ModelCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  constructor(private readonly analyses: PythonAnalyses) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const priced = await this.analyses.get(document);
    if (!priced) return [];
    return priced.source.models.map((model, i) => {
      const e = priced.modelEnergy[i]!;
      const t = model.totals;
      const u = priced.analysis.totals.uncertainty;
      const band = u ? ` ${formatBandFactor(u.logError)}` : '';
      const parts = [`${formatCount(t.params)} params`];
      if (t.macs !== undefined) parts.push(`${formatCount(t.macs)} MACs`, `${formatEnergy(e.totalJ)}/inference${band}`, `${formatGrams(e.co2eGrams * 1000)} CO2e per 1k`);
      else parts.push(model.shapeNote ? `MACs and energy unknown: set the input shape (${model.shapeNote})` : 'MACs and energy unknown: set the input shape');
      return new vscode.CodeLens(toRange(model.nameRange), {
        title: `⚡ Joule: ${parts.join(' · ')} — estimated on ${priced.analysis.profile.id}`,
        command: CommandIds.selectProfile,
        tooltip: 'Estimated by Joule. Click to change the hardware profile.',
      });
    });
  }
}

/** Diagnostics on layers above the hotspot threshold of their model's energy (never the file's), with the reason. */
export async function hotspotDiagnostics(analyses: PythonAnalyses, document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const priced = await analyses.get(document);
  if (!priced) return [];
  const threshold = readConfig(document.uri).hotspotThreshold;
  const diagnostics: vscode.Diagnostic[] = [];
  priced.source.layers.forEach((layer, i) => {
    const e = priced.layerEnergy[i];
    const ofModel = modelShareOf(priced, i);
    if (!e || !ofModel || layer.macs === undefined || ofModel.share < threshold) return;
    const d = new vscode.Diagnostic(
      toRange(layer.range),
      `Energy hotspot: ${layer.kind} ${layer.variable} takes ${(ofModel.share * 100).toFixed(0)}% of ${ofModel.name}'s estimated energy (${formatEnergy(e.energy.totalJ)}/inference, ${e.bound}-bound on ${priced.analysis.profile.id}).`,
      vscode.DiagnosticSeverity.Information,
    );
    d.code = HOTSPOT_CODE;
    d.source = 'Joule';
    diagnostics.push(d);
  });
  return diagnostics;
}

/** Quick fixes: the quantization and pruning code PyTorch and Keras users write, as previewable edits. */
export class LayerCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly analyses: PythonAnalyses) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const version = document.version;
    const priced = await this.analyses.get(document);
    if (!priced) return [];
    const index = priced.source.layers.findIndex((l) => toRange(l.range).intersection(range) !== undefined);
    if (index < 0) return [];
    const diagnostic = context.diagnostics.find((d) => d.code === HOTSPOT_CODE && d.range.intersection(range));
    const fixes = await this.analyses.fixes(document, index);
    // Edits are positions in the text the worker saw: typing since then would misplace them.
    if (document.version !== version) return [];
    let preferredGiven = false;
    return fixes.map((fix) => {
      const action = new vscode.CodeAction(`Joule: ${fix.title}`, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) {
        edit.replace(document.uri, toRange(e.range), e.newText, { label: fix.title, description: fix.detail, needsConfirmation: false });
      }
      action.edit = edit;
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.isPreferred && diagnostic && !preferredGiven) {
        action.isPreferred = true;
        preferredGiven = true;
      }
      return action;
    });
  }
}
