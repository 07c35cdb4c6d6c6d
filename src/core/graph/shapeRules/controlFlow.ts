/** If, Loop and Scan: output types from their subgraphs, inferred recursively. */
import type { Dim, TensorType } from '../ir';
import { axis, type OutputInfo, type RuleContext, type RuleTable, unknown } from './ruleTypes';

/** The common type of two branch outputs: equal dims stay, differing dims become unknown. */
export function mergeTypes(a: TensorType | undefined, b: TensorType | undefined): TensorType | undefined {
  if (!a || !b) return a ?? b;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { dataType: a.dataType };
  return { dataType: a.dataType, shape: a.shape.map((d, i) => (d === b.shape![i] ? d : undefined)) };
}

const info = (t: TensorType | undefined, reason = 'subgraph output type unknown'): OutputInfo => (t ? { type: t } : unknown(reason));

function ifRule(ctx: RuleContext): OutputInfo[] {
  const thenG = ctx.graph('then_branch');
  const elseG = ctx.graph('else_branch');
  if (!thenG || !elseG) return ctx.node.outputs.map(() => unknown('If without branches'));
  const a = ctx.inferSubgraph(thenG, []);
  const b = ctx.inferSubgraph(elseG, []);
  // A condition known at analysis time (constant, or computed from shapes) picks one branch's types.
  const cond = ctx.values(0);
  if (cond?.length === 1) return ctx.node.outputs.map((_, i) => info(cond[0] !== 0 ? a[i] : b[i]));
  return ctx.node.outputs.map((_, i) => {
    const merged = mergeTypes(a[i], b[i]);
    const differs = merged?.shape?.some((d, k) => d === undefined && (a[i]?.shape?.[k] !== undefined || b[i]?.shape?.[k] !== undefined));
    return differs && merged ? { type: merged, reason: 'shape depends on input data (If branches differ)' } : info(merged);
  });
}

function loopRule(ctx: RuleContext): OutputInfo[] {
  const body = ctx.graph('body');
  if (!body) return ctx.node.outputs.map(() => unknown('Loop without a body'));
  const carried = ctx.node.inputs.slice(2).map((_, i) => ctx.type(i + 2));
  const outs = ctx.inferSubgraph(body, [{ dataType: 'int64', shape: [] }, { dataType: 'bool', shape: [] }, ...carried]);
  const tripCount = ctx.has(0) && !ctx.has(1) ? ctx.values(0)?.[0] : undefined;
  return ctx.node.outputs.map((_, i) => {
    if (i < carried.length) return info(mergeTypes(carried[i], outs[i + 1]));
    const element = outs[i + 1];
    if (!element?.shape) return info(element);
    const shape: Dim[] = [tripCount, ...element.shape];
    return tripCount === undefined
      ? { type: { dataType: element.dataType, shape }, reason: 'Loop trip count is data-dependent' }
      : { type: { dataType: element.dataType, shape } };
  });
}

function scanRule(ctx: RuleContext): OutputInfo[] {
  const body = ctx.graph('body');
  const scanInputs = ctx.int('num_scan_inputs');
  if (!body || scanInputs === undefined || ctx.opset < 9) return ctx.node.outputs.map(() => unknown('Scan (opset 8 form) not covered'));
  const stateCount = ctx.node.inputs.length - scanInputs;
  const inputAxes = ctx.ints('scan_input_axes') ?? new Array<number>(scanInputs).fill(0);
  let length: Dim;
  const bodyInputs: (TensorType | undefined)[] = ctx.node.inputs.map((_, i) => ctx.type(i));
  for (let j = 0; j < scanInputs; j++) {
    const t = ctx.type(stateCount + j);
    if (!t?.shape) continue;
    const a = axis(inputAxes[j]!, t.shape.length);
    length = t.shape[a];
    bodyInputs[stateCount + j] = { dataType: t.dataType, shape: t.shape.filter((_, k) => k !== a) };
  }
  const outs = ctx.inferSubgraph(body, bodyInputs);
  const outputAxes = ctx.ints('scan_output_axes');
  return ctx.node.outputs.map((_, i) => {
    if (i < stateCount) return info(mergeTypes(ctx.type(i), outs[i]));
    const element = outs[i];
    if (!element?.shape) return info(element);
    const shape: Dim[] = [...element.shape];
    shape.splice(axis(outputAxes?.[i - stateCount] ?? 0, shape.length + 1), 0, length);
    return { type: { dataType: element.dataType, shape } };
  });
}

export const controlFlowRules: RuleTable = { If: ifRule, Loop: loopRule, Scan: scanRule };
