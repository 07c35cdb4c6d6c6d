import * as path from 'node:path';
import { PRUNE_MODE_IDS } from '../../core/actions/modes';
import type { PruneMode } from '../../core/transform/types';
import { UsageError } from '../args';
import { executeTransform, onlyFrom, splitList, TRANSFORM_OPTIONS, verificationFrom } from './quantize';
import type { CommandDefinition } from './types';

const MODES = PRUNE_MODE_IDS;

export const pruneCommand: CommandDefinition = {
  name: 'prune',
  summary: 'prune an ONNX model (magnitude, 2:4, structured channels) and verify it',
  usage: 'prune MODEL --mode magnitude|2:4|structured [--ratio R] [options]',
  details: 'magnitude and 2:4 zero weights in place (same shapes: they need sparse kernels to save time); structured removes whole channels of Conv/Gemm/MatMul chains and rewires their consumers, so MACs and latency drop. Layers that cannot be pruned safely (residual adds, concatenations) are skipped with the reason.',
  options: [
    { name: 'mode', kind: 'string', valueName: 'MODE', description: 'magnitude | 2:4 | structured' },
    { name: 'ratio', kind: 'number', valueName: 'R', description: 'fraction removed, 0 < R < 1 (weights for magnitude, channels for structured)' },
    { name: 'channel-multiple', kind: 'number', valueName: 'N', description: 'structured: round kept channel counts up to a multiple of N (default 8)' },
    { name: 'global', kind: 'flag', description: 'magnitude: one threshold over all layers instead of the ratio in each layer' },
    ...TRANSFORM_OPTIONS,
  ],
  positionals: [1, 1],
  run({ options, io }) {
    const mode = options.string('mode');
    if (!mode || !(MODES as readonly string[]).includes(mode)) throw new UsageError(`prune needs --mode ${MODES.join('|')}.`);
    const ratio = options.number('ratio');
    if (mode !== '2:4' && (ratio === undefined || !(ratio > 0 && ratio < 1))) throw new UsageError('prune needs --ratio R with 0 < R < 1.');
    const multiple = options.number('channel-multiple');
    if (multiple !== undefined && !(Number.isInteger(multiple) && multiple >= 1)) throw new UsageError('--channel-multiple must be a positive integer.');
    const out = options.string('out');
    const sensitivity = options.number('sensitivity');
    const minElements = options.number('min-elements');
    return executeTransform({
      model: path.resolve(io.cwd, options.positionals[0]!),
      ...(out ? { out: path.resolve(io.cwd, out) } : {}),
      transform: { op: 'prune', mode: mode as PruneMode, ...(ratio !== undefined ? { ratio } : {}), scope: options.flag('global') ? 'global' : 'per-layer',
        ...(multiple !== undefined ? { channelMultiple: multiple } : {}) },
      exclude: splitList(options.list('exclude')),
      ...onlyFrom(options),
      ...(minElements !== undefined ? { minElements } : {}),
      ...(sensitivity !== undefined ? { sensitivity: { maxDrift: sensitivity } } : {}),
      ...verificationFrom(options, io, path.resolve(io.cwd, options.positionals[0]!)),
    }, io, options.flag('json'), options.flag('pareto'));
  },
};
