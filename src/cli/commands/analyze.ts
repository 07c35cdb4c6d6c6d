import { renderAnalysis } from '../../core/report';
import { UsageError } from '../args';
import { ANALYSIS_OPTIONS, BUDGET_OPTION, FORMAT_OPTION, OUT_OPTION, analyzeOptionsFrom, applyBudget, budgetFrom, emit, formatFrom } from './analysisOptions';
import type { CommandDefinition } from './types';

export const analyzeCommand: CommandDefinition = {
  name: 'analyze',
  summary: 'estimate the energy of a model, layer by layer',
  usage: 'analyze MODEL [options]',
  details: 'Prints a per-layer table (MACs, bytes, energy split into compute / on-chip / off-chip / static, latency, bound) and the totals per inference, per 1k and per 1M inferences with CO2e.',
  options: [...ANALYSIS_OPTIONS, FORMAT_OPTION, OUT_OPTION, BUDGET_OPTION],
  positionals: [1, 1],
  run({ options, io, services }) {
    const model = options.positionals[0];
    if (model === undefined) throw new UsageError('analyze needs a model file.');
    const format = formatFrom(options);
    const budget = budgetFrom(options);
    const analysis = services.analyze(model, analyzeOptionsFrom(options, io));
    emit(io, renderAnalysis(analysis, format), options.string('out'));
    return applyBudget(io, analysis, budget);
  },
};
