/**
 * `joule analyze file.py` for files with several models: a file summary listing the models (never
 * one summed total), then each model's own report. `--model NAME` picks one model, whose report is
 * the usual single-model output in every format.
 */
import type { Analysis } from '../../core/energy/analysis';
import { renderAnalysis, type ReportFormat } from '../../core/report';
import { printable } from '../../core/report/text';
import { formatCount, formatEnergy } from '../../core/report/units';
import type { PythonFileAnalysis, SourceModelAnalysis } from '../../core/pipeline/pythonModels';
import { UsageError } from '../args';

/** The model `--model` names, or the only one; undefined when the file has several and none was named. */
export function pickModel(file: PythonFileAnalysis, name: string | undefined): SourceModelAnalysis | undefined {
  if (name !== undefined) {
    const found = file.models.find((m) => m.name === name);
    if (!found) throw new UsageError(`--model ${name}: ${file.path} defines ${modelNames(file)}.`);
    return found;
  }
  return file.models.length === 1 ? file.models[0] : undefined;
}

function modelNames(file: PythonFileAnalysis): string {
  return file.models.length === 0 ? 'no model' : file.models.map((m) => m.name).join(', ');
}

/** "Net (class, line 5): 1.2 M params, 4.5 M MACs, 12.3 µJ/inference" or "… compute unknown: set the input shape". */
function summaryLine(m: SourceModelAnalysis): string {
  const a = m.analysis;
  const head = `${m.name} (${m.kind}, line ${m.line}): ${formatCount(a.model.params)} params`;
  if (a.computeUnknown !== undefined) return `${head}; MACs and energy unknown: set the input shape`;
  const shape = m.inputShape ? ` at input (${m.inputShape.join(', ')})` : '';
  return `${head}, ${formatCount(a.totals.macs)} MACs, ${formatEnergy(a.totals.energy.totalJ)}/inference${shape}`;
}

/** The file summary: one line per model, then the reason nothing is summed. */
export function fileSummary(file: PythonFileAnalysis): string {
  const lines = [
    `Joule: ${printable(file.path)} defines ${file.models.length} models; each is analysed on its own (totals are per model, never summed):`,
    ...file.models.map((m) => `  ${printable(summaryLine(m))}`),
  ];
  if (file.layersOutsideModels > 0) lines.push(`  (${file.layersOutsideModels} layer(s) outside any model are not counted)`);
  lines.push(`Pick one with --model NAME for a single report (csv, html, budgets).`);
  return `${lines.join('\n')}\n`;
}

/** The whole file in a table/md/json format: summary + each model's report, or the JSON object. */
export function renderPythonFile(file: PythonFileAnalysis, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  if (format !== 'table' && format !== 'md') {
    throw new UsageError(`${file.path} defines ${file.models.length} models (${modelNames(file)}): pick one with --model NAME for --format ${format}.`);
  }
  const reports = file.models.map((m) => `${format === 'md' ? '' : `── ${printable(m.name)} ──\n`}${renderAnalysis(m.analysis, format)}`);
  return [fileSummary(file), ...reports].join('\n');
}

/** The analyses a budget applies to: every model with a known compute. */
export function budgetedAnalyses(file: PythonFileAnalysis): Analysis[] {
  return file.models.map((m) => m.analysis).filter((a) => a.computeUnknown === undefined);
}
