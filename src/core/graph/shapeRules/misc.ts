/** Losses, signal processing (windows, DFT, STFT, mel matrix), text ops and preview training optimizers. */
import type { Dim } from '../ir';
import { dataTypeFromCode } from '../../onnx/dataTypes';
import { axis, type OutputInfo, type RuleContext, type RuleTable, tensor, unknown } from './ruleTypes';
import { maxOf } from '../../extent';

/** NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: per-element loss when reduction is 'none', else a scalar. */
function loss(ctx: RuleContext, withLogProb: boolean): OutputInfo[] {
  const scores = ctx.shape(0);
  const target = ctx.shape(1);
  const outs: OutputInfo[] = [];
  if ((ctx.string('reduction') ?? 'mean') === 'none') outs.push(target ? tensor(ctx.dtype(0), target) : unknown('target shape unknown'));
  else outs.push(tensor(ctx.dtype(0), []));
  if (withLogProb && ctx.node.outputs.length > 1) outs.push(tensor(ctx.dtype(0), scores));
  return outs;
}

function windowRule(ctx: RuleContext): OutputInfo[] {
  const size = ctx.values(0)?.[0];
  return [tensor(dataTypeFromCode(ctx.int('output_datatype') ?? 1), [size])];
}

function dft(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  if (!x) return [unknown('input shape unknown')];
  const a = axis(ctx.opset >= 20 ? ctx.values(2)?.[0] ?? -2 : ctx.int('axis') ?? 1, x.length);
  const length: Dim = ctx.has(1) ? ctx.values(1)?.[0] : x[a];
  const onesided = ctx.int('onesided') === 1 && ctx.int('inverse') !== 1;
  const out = [...x];
  out[a] = onesided && typeof length === 'number' ? Math.floor(length / 2) + 1 : length;
  out[x.length - 1] = 2;
  return [tensor(ctx.dtype(0), out)];
}

function stft(ctx: RuleContext): OutputInfo[] {
  const x = ctx.shape(0);
  const step = ctx.values(1)?.[0];
  const frame = (ctx.has(3) ? ctx.values(3)?.[0] : undefined) ?? (ctx.has(2) ? ctx.shape(2)?.[0] : undefined);
  if (!x || step === undefined || typeof frame !== 'number') return [unknown('STFT frame parameters unknown')];
  const frames = typeof x[1] === 'number' ? Math.floor((x[1] - frame) / step) + 1 : undefined;
  const bins = (ctx.int('onesided') ?? 1) === 1 ? Math.floor(frame / 2) + 1 : frame;
  return [tensor(ctx.dtype(0), [x[0], frames, bins, 2])];
}

export const miscRules: RuleTable = {
  NegativeLogLikelihoodLoss: (ctx) => loss(ctx, false),
  SoftmaxCrossEntropyLoss: (ctx) => loss(ctx, true),
  HannWindow: windowRule,
  HammingWindow: windowRule,
  BlackmanWindow: windowRule,
  DFT: dft,
  STFT: stft,
  MelWeightMatrix: (ctx) => {
    const [mel, dftLength] = [ctx.values(0)?.[0], ctx.values(1)?.[0]];
    return [tensor(dataTypeFromCode(ctx.int('output_datatype') ?? 1), [dftLength === undefined ? undefined : Math.floor(dftLength / 2) + 1, mel])];
  },
  StringNormalizer: (ctx) => {
    const x = ctx.shape(0);
    if (!x) return [unknown('input shape unknown')];
    if ((ctx.node.attributes.get('stopwords')?.value as readonly string[] | undefined)?.length) {
      return [{ type: { dataType: 'string', shape: x.map((d, i) => (i === x.length - 1 ? undefined : d)) }, reason: 'stop-word removal is data-dependent' }];
    }
    return [tensor('string', x)];
  },
  TfIdfVectorizer: (ctx) => {
    const x = ctx.shape(0);
    const indexes = ctx.ints('ngram_indexes');
    if (!x || !indexes) return [unknown('input shape or ngram_indexes unknown')];
    const width = maxOf(indexes) + 1;
    return [tensor('float32', x.length === 2 ? [x[0], width] : [width])];
  },
};

// Optimizers of the preview training domain: output i updates input i + 2 (after R and T).
for (const op of ['Adagrad', 'Adam', 'Momentum']) {
  miscRules[`ai.onnx.preview.training:${op}`] = (ctx) => ctx.node.outputs.map((_, i) => (ctx.type(i + 2) ? { type: ctx.type(i + 2)! } : unknown('input type unknown')));
}
