import { servingEstimate, trainingEstimate } from '../../core/energy/deployment';
import { withAdvice } from '../../core/advise/adviceViews';
import { renderAnalysis } from '../../core/report';
import { jsonChunks } from '../../core/report/json';
import { deploymentLines, type DeploymentViews } from '../../core/report/deployment';
import { UsageError, type Options } from '../args';
import type { CliServices } from '../services';
import { ANALYSIS_OPTIONS, BUDGET_OPTION, FORCE_OPTION, FORMAT_OPTION, OUT_OPTION, analyzeOptionsFrom, applyBudget, budgetFrom, emit, formatFrom } from './analysisOptions';
import type { CommandDefinition } from './types';
import type { Analysis } from '../../core/energy/analysis';
import type { AnalyzeFileOptions } from '../../core/pipeline/options';
import { isPythonPath } from '../../core/pipeline/analyze';
import type { CliIo } from '../io';
import { budgetedAnalyses, pickModel, renderPythonFile } from './pythonModels';

function positive(options: Options, name: string): number | undefined {
  const value = options.number(name);
  if (value !== undefined && !(value > 0)) throw new UsageError(`--${name} must be more than 0, got ${value}.`);
  return value;
}

/** The serving and training views the options ask for (none by default). */
function deploymentViews(options: Options, services: CliServices, analysis: Analysis, analyzeOptions: AnalyzeFileOptions): DeploymentViews {
  const rate = positive(options, 'requests-per-s');
  const samples = positive(options, 'train-samples');
  const epochs = positive(options, 'epochs');
  if (epochs !== undefined && samples === undefined) throw new UsageError('--epochs goes with --train-samples.');
  return {
    serving: rate === undefined ? undefined : servingEstimate(analysis, services.profile(analyzeOptions), rate),
    training: samples === undefined ? undefined : trainingEstimate(analysis, { samples, epochs: epochs ?? 1 }),
  };
}

/** Adds the views to the output: as keys of the JSON, as lines after the table or Markdown. */
function withViews(text: string, format: string, views: DeploymentViews): string {
  if (!views.serving && !views.training) return text;
  if (format === 'json') return `${JSON.stringify({ ...(JSON.parse(text) as object), ...views }, null, 2)}\n`;
  if (format === 'table' || format === 'md') return `${text.trimEnd()}\n\n${deploymentLines(views).join('\n\n')}\n`;
  return text;
}

export const analyzeCommand: CommandDefinition = {
  name: 'analyze',
  summary: 'estimate the energy of a model (or of PyTorch/Keras code), layer by layer',
  usage: 'analyze MODEL|CODE.py [options]',
  details:
    'Prints a per-layer table (MACs, bytes, energy split into compute / on-chip / off-chip / static, latency, bound) and the totals per inference, per 1k and per 1M inferences with CO2e. A .py file is read as PyTorch or Keras code: the layers it defines, their parameters and, with a known input shape, MACs and energy. --requests-per-s adds the serving view (idle power between requests counted); --train-samples and --epochs add a training estimate (table, md and json).',
  options: [
    ...ANALYSIS_OPTIONS,
    FORMAT_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
    BUDGET_OPTION,
    { name: 'requests-per-s', kind: 'number', valueName: 'R', description: 'serving view: energy per request at R requests per second' },
    { name: 'train-samples', kind: 'number', valueName: 'N', description: 'training view: samples per epoch (forward + backward ≈ 3 × forward)' },
    { name: 'epochs', kind: 'number', valueName: 'E', description: 'training view: epochs (default 1)' },
    { name: 'model', kind: 'string', valueName: 'NAME', description: 'Python code: the model (class or Sequential variable) to report when the file defines several' },
  ],
  positionals: [1, 1],
  run({ options, io, services }) {
    const model = options.positionals[0];
    if (model === undefined) throw new UsageError('analyze needs a model file.');
    const format = formatFrom(options);
    const budget = budgetFrom(options);
    const analyzeOptions = analyzeOptionsFrom(options, io);
    if (isPythonPath(model) && services.analyzePython) {
      const file = services.analyzePython(model, analyzeOptions);
      const picked = file.models.length === 0 ? undefined : pickModel(file, options.string('model'));
      if (!picked && file.models.length > 0) return emitPythonFile(io, renderPythonFile(file, format), options, model, budgetedAnalyses(file), budget);
      if (picked) return emitOne(io, options, services, model, picked.analysis, analyzeOptions, format, budget);
    }
    return emitOne(io, options, services, model, services.analyze(model, analyzeOptions), analyzeOptions, format, budget);
  },
};

function emitPythonFile(io: CliIo, text: string, options: Options, model: string, analyses: readonly Analysis[], budget: number | undefined): number {
  emit(io, text, options, [model]);
  // The budget holds for each model: the file fails when one of them is over.
  return analyses.reduce((code, a) => Math.max(code, applyBudget(io, a, budget)), 0);
}

function emitOne(io: CliIo, options: Options, services: CliServices, model: string, analysis: Analysis, analyzeOptions: AnalyzeFileOptions,
  format: ReturnType<typeof formatFrom>, budget: number | undefined): number {
  const views = deploymentViews(options, services, analysis, analyzeOptions);
  const advice = analysis.computeUnknown === undefined ? services.advise?.(model, analyzeOptions) ?? [] : [];
  if (format === 'json') {
    // Streamed: a 150k-layer analysis is ~200 MB of JSON, never held as one string.
    const extras = { ...(views.serving || views.training ? views : {}), ...(advice.length > 0 ? { advice } : {}) };
    emit(io, jsonChunks(analysis, extras), options, [model]);
  } else {
    emit(io, withAdvice(withViews(renderAnalysis(analysis, format), format, views), format, advice), options, [model]);
  }
  return applyBudget(io, analysis, budget);
}
