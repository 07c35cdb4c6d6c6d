/** RNN, GRU and LSTM: outputs from sequence length, batch, directions and hidden_size. */
import { type OutputInfo, type RuleContext, type RuleTable, tensor, unknown } from './ruleTypes';

function recurrent(ctx: RuleContext, stateOutputs: number): OutputInfo[] {
  const x = ctx.shape(0);
  const hidden = ctx.int('hidden_size') ?? (ctx.shape(2)?.[2] as number | undefined);
  if (!x) return ctx.node.outputs.map(() => unknown('input shape unknown'));
  if (x.length !== 3) return ctx.node.outputs.map(() => unknown(`${ctx.node.opType} input must have rank 3, got ${x.length}`));
  const directions = ctx.string('direction') === 'bidirectional' ? 2 : 1;
  const batchFirst = ctx.int('layout') === 1;
  const [seq, batch] = batchFirst ? [x[1], x[0]] : [x[0], x[1]];
  const y = batchFirst ? [batch, seq, directions, hidden] : [seq, directions, batch, hidden];
  const state = batchFirst ? [batch, directions, hidden] : [directions, batch, hidden];
  const outs = [tensor(ctx.dtype(0), y)];
  for (let i = 0; i < stateOutputs; i++) outs.push(tensor(ctx.dtype(0), state));
  return outs.slice(0, ctx.node.outputs.length);
}

export const recurrentRules: RuleTable = {
  RNN: (ctx) => recurrent(ctx, 1),
  GRU: (ctx) => recurrent(ctx, 1),
  LSTM: (ctx) => recurrent(ctx, 2),
};
