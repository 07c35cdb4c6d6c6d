import { renderComparison } from '../../core/report';
import { UsageError } from '../args';
import { ANALYSIS_OPTIONS, FORCE_OPTION, FORMAT_OPTION, OUT_OPTION, analyzeOptionsFrom, emit, formatFrom } from './analysisOptions';
import type { CommandDefinition } from './types';

export const compareCommand: CommandDefinition = {
  name: 'compare',
  summary: 'compare two models, or one model on two profiles',
  usage: 'compare MODEL_A MODEL_B [options]  |  compare MODEL --profile A --profile-b B [options]',
  details: 'Totals side by side with the change of B against A, and layers matched by name. With one model, --profile-b is required; with two models, --profile-b (if given) applies to the second.',
  options: [
    ...ANALYSIS_OPTIONS,
    { name: 'profile-b', kind: 'string', valueName: 'ID', description: 'profile of side B (default: the same as --profile)' },
    FORMAT_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
  ],
  positionals: [1, 2],
  run({ options, io, services }) {
    const [modelA, modelB] = options.positionals;
    if (modelA === undefined) throw new UsageError('compare needs one or two model files.');
    if (modelB === undefined && options.string('profile-b') === undefined) {
      throw new UsageError('compare with one model needs --profile-b (and usually --profile) to compare two profiles.');
    }
    const format = formatFrom(options);
    const a = services.analyze(modelA, analyzeOptionsFrom(options, io));
    const bOptions = analyzeOptionsFrom(options, io, options.string('profile-b') === undefined ? 'profile' : 'profile-b');
    const b = services.analyze(modelB ?? modelA, bOptions);
    emit(io, renderComparison(a, b, format), options, modelB === undefined ? [modelA] : [modelA, modelB]);
    return 0;
  },
};
