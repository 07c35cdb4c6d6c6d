import * as path from 'node:path';
import { withAdvice } from '../../core/advise/adviceViews';
import { renderAnalysis } from '../../core/report';
import { UsageError } from '../args';
import { ANALYSIS_OPTIONS, BUDGET_OPTION, FORCE_OPTION, FORMAT_OPTION, OUT_OPTION, analyzeOptionsFrom, applyBudget, budgetFrom, emit, formatFrom } from './analysisOptions';
import type { CommandDefinition } from './types';

const EXTENSION = { table: 'txt', json: 'json', md: 'md', html: 'html', csv: 'csv' } as const;

export const reportCommand: CommandDefinition = {
  name: 'report',
  summary: 'write a report file (HTML with charts by default)',
  usage: 'report MODEL [--format html|md|json|csv|table] [--out FILE] [options]',
  details: 'Like analyze, but writes a file: by default MODEL-energy.html in the current folder, one self-contained page with charts (energy by layer, by category, by memory level, roofline). An existing file is kept unless --force is given; a link at the output name is never followed.',
  options: [...ANALYSIS_OPTIONS, { ...FORMAT_OPTION, description: 'report format (default html)' }, OUT_OPTION, FORCE_OPTION, BUDGET_OPTION],
  positionals: [1, 1],
  run({ options, io, services }) {
    const model = options.positionals[0];
    if (model === undefined) throw new UsageError('report needs a model file.');
    const format = formatFrom(options, 'html');
    const budget = budgetFrom(options);
    const analyzeOptions = analyzeOptionsFrom(options, io);
    const analysis = services.analyze(model, analyzeOptions);
    const out = options.string('out') ?? `${path.parse(model).name}-energy.${EXTENSION[format]}`;
    emit(io, withAdvice(renderAnalysis(analysis, format), format, services.advise?.(model, analyzeOptions) ?? []), options, [model], out);
    return applyBudget(io, analysis, budget);
  },
};
