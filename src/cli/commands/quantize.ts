/**
 * `joule quantize`, plus what it shares with `joule prune`: transform options, running in the
 * transform worker with Ctrl-C cancellation, printing the verification summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, ModelFormatError } from '../../core/errors';
import { formatPareto, paretoSearch, variantPath } from '../../core/transform/pareto';
import { paretoSvg } from '../../core/transform/paretoChart';
import { recommendForModel } from '../../core/transform/recommendMode';
import { runTransform } from '../../core/transform/runTransform';
import { formatTransformSummary } from '../../core/transform/summary';
import { TransformError } from '../../core/transform/transformError';
import { QUANTIZE_MODE_IDS } from '../../core/actions/modes';
import type { QuantizeMode, TransformRequest, TransformResult } from '../../core/transform/types';
import { InputValueError, parseInputValues } from '../../core/bench/inputValues';
import { declarationsFromFile } from '../../core/bench/modelInputs';
import { type OptionSpec, type Options, UsageError } from '../args';
import type { CliIo } from '../io';
import type { CommandDefinition } from './types';

export const TRANSFORM_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', valueName: 'FILE', description: 'output file (default: beside the model, never overwritten)' },
  { name: 'exclude', kind: 'list', valueName: 'NODES', description: 'comma-separated node names or op types to leave unchanged' },
  { name: 'only', kind: 'list', valueName: 'NODES', description: 'comma-separated node names: transform only these layers, leave every other one unchanged' },
  { name: 'min-elements', kind: 'number', valueName: 'N', description: 'leave weights with fewer elements unchanged' },
  { name: 'sensitivity', kind: 'number', valueName: 'DRIFT', description: 'exclude layers whose lone transform drifts the output more than DRIFT (1 - cosine), e.g. 0.01' },
  { name: 'verify-data', kind: 'string', valueName: 'DIR', description: 'verify on your inputs (.npy, .pb, .json; with labels.txt, one class index per row) or an ImageNet-style folder of class folders of .jpg/.png images: reports top-1/top-5 accuracy before and after' },
  { name: 'preprocess', kind: 'string', valueName: 'PRESET', description: 'image folders: imagenet (resize, center crop, ImageNet mean/std; default) or unit ([0, 1] only)' },
  { name: 'pareto', kind: 'flag', description: 'mixed precision by sensitivity: write variants transforming the least sensitive 25/50/75/100% of layers (model.<mode>.pNN.onnx) and print their measured agreement vs estimated energy, Pareto front marked' },
  { name: 'json', kind: 'flag', description: 'print the full result as JSON' },
  { name: 'input', kind: 'list', valueName: 'NAME=VALUE', description: 'verification: real value of an input, a number or comma list (sr=16000) or a .npy, .pb or .json file (repeatable); others are generated' },
];

/** `--only NODES`: the layers transformed, every other one left unchanged. */
export function onlyFrom(options: Options): Pick<TransformRequest, 'only'> {
  const only = splitList(options.list('only'));
  return only.length > 0 ? { only } : {};
}

/**
 * The verification fields every transform command shares: `--verify-data DIR` (the user's dataset,
 * with `--preprocess`) and `--input` entries, typed from the model's declared inputs.
 */
export function verificationFrom(options: Options, io: CliIo, model: string): Pick<TransformRequest, 'verification'> {
  const data = options.string('verify-data');
  const preset = options.string('preprocess');
  if (preset !== undefined && preset !== 'imagenet' && preset !== 'unit') throw new UsageError('--preprocess must be imagenet or unit.');
  const entries = options.list('input');
  let inputs;
  try {
    inputs = entries.length === 0 ? undefined : parseInputValues(entries, declarationsFromFile(model), io.cwd);
  } catch (e) {
    if (e instanceof InputValueError) throw new UsageError(e.message);
    throw e;
  }
  if (data === undefined && inputs === undefined) return {};
  return { verification: { ...(data ? { data: path.resolve(io.cwd, data), ...(preset ? { preprocess: preset } : {}) } : {}), ...(inputs ? { inputs } : {}) } };
}

export function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Runs the request in the transform worker; exit 0 on success, 2 on bad input, 130 when interrupted. */
export async function executeTransform(request: TransformRequest, io: CliIo, json: boolean, pareto = false): Promise<number> {
  const signal = { cancelled: false };
  const onInterrupt = (): void => { signal.cancelled = true; };
  process.once('SIGINT', onInterrupt);
  try {
    const run = (r: TransformRequest): Promise<TransformResult> => runTransform(r, (p) => { if (!json) io.stderr(`[${Math.round(p.fraction * 100)}%] ${p.message}\n`); }, signal);
    if (pareto) {
      const front = await paretoSearch(request, run);
      const chart = variantPath(request, 1).replace(/\.p100\.onnx$/, '.pareto.svg');
      fs.writeFileSync(chart, paretoSvg(front));
      io.stdout(json ? `${JSON.stringify({ ...front, chart }, null, 2)}\n` : `${formatPareto(front)}chart: ${chart}\n`);
      return 0;
    }
    const result = await run(request);
    io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : formatTransformSummary(result));
    return 0;
  } catch (e) {
    if (e instanceof CancelledError) {
      io.stderr('joule: cancelled; no file was written.\n');
      return 130;
    }
    if (e instanceof TransformError || e instanceof ModelFormatError) {
      io.stderr(`joule: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

const MODES = QUANTIZE_MODE_IDS;

export const quantizeCommand: CommandDefinition = {
  name: 'quantize',
  summary: 'quantize an ONNX model (int8 dynamic/static, fp16, int4) and verify it',
  usage: 'quantize MODEL --mode auto|int8-dynamic|int8-static|fp16|int4 [options]',
  details: 'Writes a new file beside the model (model.int8.onnx, ...), never overwriting one, then runs the original and the result in onnxruntime on the same inputs and prints cosine similarity, max error, top-1 agreement, file size, MACs and measured latency.',
  options: [
    { name: 'mode', kind: 'string', valueName: 'MODE', description: 'auto (the mode --profile runs fast: int8-static for CNNs and int8-dynamic for transformers on CPU, fp16 on GPU) | int8-dynamic | int8-static | fp16 | int4' },
    { name: 'profile', kind: 'string', valueName: 'ID', description: 'hardware profile of the energy estimate, of --mode auto and of the expected speed-up (default laptop-x86)' },
    ...TRANSFORM_OPTIONS,
    { name: 'per-tensor', kind: 'flag', description: 'one int8 scale per weight tensor instead of per output channel' },
    { name: 'conv-weight-only', kind: 'flag', description: 'int8-dynamic: int8 Conv weights with float compute (ConvInteger is slow on CPU)' },
    { name: 'asymmetric', kind: 'flag', description: 'asymmetric weight quantization (zero points)' },
    { name: 'calib', kind: 'string', valueName: 'DIR', description: 'int8-static: inputs (.npy, .pb, .json, or test_data_set_N folders)' },
    { name: 'calib-method', kind: 'string', valueName: 'METHOD', description: 'int8-static: minmax (default) or percentile' },
    { name: 'percentile', kind: 'number', valueName: 'P', description: 'int8-static percentile (default 99.99)' },
    { name: 'block-size', kind: 'number', valueName: 'N', description: 'int4: block size along K (32, 64 or 128; default 32)' },
    { name: 'fp16-io', kind: 'flag', description: 'fp16: make inputs and outputs float16 too (default keeps them float32)' },
    { name: 'keep-fp32', kind: 'list', valueName: 'OPS', description: 'fp16: op types kept in float32 (replaces the default list)' },
  ],
  positionals: [1, 1],
  run({ options, io }) {
    const model = path.resolve(io.cwd, options.positionals[0]!);
    const profileId = options.string('profile');
    let mode = options.string('mode');
    if (mode === 'auto') {
      let advice;
      try {
        advice = recommendForModel(model, profileId ? { profileId } : {});
      } catch (e) {
        io.stderr(`joule: ${e instanceof Error ? e.message : String(e)}\n`);
        return Promise.resolve(2);
      }
      io.stderr(`auto: ${advice.mode} for ${advice.profile}: ${advice.reason}\n`);
      mode = advice.mode;
    }
    if (!mode || !(MODES as readonly string[]).includes(mode)) throw new UsageError(`quantize needs --mode auto|${MODES.join('|')}.`);
    const method = options.string('calib-method');
    if (method !== undefined && method !== 'minmax' && method !== 'percentile') throw new UsageError('--calib-method must be minmax or percentile.');
    const blockSize = options.number('block-size');
    if (blockSize !== undefined && ![32, 64, 128].includes(blockSize)) throw new UsageError('--block-size must be 32, 64 or 128.');
    const calib = options.string('calib');
    const keepFp32 = splitList(options.list('keep-fp32'));
    const out = options.string('out');
    const sensitivity = options.number('sensitivity');
    const minElements = options.number('min-elements');
    const percentile = options.number('percentile');
    return executeTransform({
      model,
      ...(profileId ? { energyProfile: { profileId } } : {}),
      ...(out ? { out: path.resolve(io.cwd, out) } : {}),
      transform: {
        op: 'quantize', mode: mode as QuantizeMode, perChannel: !options.flag('per-tensor'), symmetric: !options.flag('asymmetric'),
        ...(options.flag('conv-weight-only') ? { conv: 'weight-only' as const } : {}),
        keepIo: !options.flag('fp16-io'),
        ...(keepFp32.length ? { blockOps: keepFp32 } : {}),
        ...(blockSize ? { blockSize: blockSize as 32 | 64 | 128 } : {}),
        calibration: {
          ...(method ? { method } : {}), ...(percentile !== undefined ? { percentile } : {}),
          ...(calib ? { data: path.resolve(io.cwd, calib) } : {}),
        },
      },
      exclude: splitList(options.list('exclude')),
      ...onlyFrom(options),
      ...(minElements !== undefined ? { minElements } : {}),
      ...(sensitivity !== undefined ? { sensitivity: { maxDrift: sensitivity } } : {}),
      ...verificationFrom(options, io, path.resolve(io.cwd, options.positionals[0]!)),
    }, io, options.flag('json'), options.flag('pareto'));
  },
};
