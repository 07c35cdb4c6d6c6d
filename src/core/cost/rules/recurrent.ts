/** Recurrent layers: LSTM, GRU, RNN — every time step of every direction (onnx-tool#64 forgot the length). */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown } from '../assemble';
import { type CostContext, inputAt, intAttr, stringAttr } from '../context';
import { type RecurrentKind, RECURRENT_GATES, recurrentWork } from '../formulas';
import type { OpCost } from '../types';

export const recurrentRule = (node: Node, ctx: CostContext): OpCost => {
  const kind = node.opType as RecurrentKind;
  const x = ctx.numericShape(node.inputs[0] ?? '');
  const w = ctx.numericShape(node.inputs[1] ?? '') ?? ctx.constant(node.inputs[1] ?? '')?.dims;
  if (!x || x.length !== 3 || !w || w.length !== 3) {
    return assembleCost(node, ctx, { missing: [shapeUnknown(node, 'X or W shape')] }, { controlInputs: [4] });
  }
  const batchFirst = intAttr(node, 'layout', 0) === 1;
  const seqLength = batchFirst ? x[1]! : x[0]!;
  const batch = batchFirst ? x[0]! : x[1]!;
  const directions = stringAttr(node, 'direction', 'forward') === 'bidirectional' ? 2 : w[0]!;
  const hiddenSize = intAttr(node, 'hidden_size', w[1]! / RECURRENT_GATES[kind]);
  const spec = { kind, seqLength, batch, inputSize: x[2]!, hiddenSize, directions, bias: inputAt(node, 3) !== undefined };
  const work = recurrentWork(spec);
  // LSTM peepholes: three more multiply-adds per cell.
  const peephole = kind === 'LSTM' && inputAt(node, 7) ? 6 * seqLength * directions * batch * hiddenSize : 0;
  return assembleCost(node, ctx, {
    ...work,
    elementwise: work.elementwise + peephole,
    notes: [`${seqLength} steps × ${directions} direction(s)`],
  }, { controlInputs: [4] });
};
