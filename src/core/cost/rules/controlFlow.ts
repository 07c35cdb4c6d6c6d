/**
 * Control flow folds its subgraphs into the parent node: If = the branch its known condition takes,
 * else the costlier one as the top of a labelled range; Loop and Scan =
 * trip count × body when the trip count is known, one iteration flagged 'partial' when it is not.
 * Model-local functions are costed from their bodies the same way.
 */
import type { Graph, Node } from '../../graph/ir';
import { type CostContext, graphAttr, inputAt, intAttr, intsAttr } from '../context';
import { totalFlops } from '../formulas';
import type { LayerCost, OpCost, Precision } from '../types';

/** Trip counts above this are "run until cond is false" sentinels, not real counts. */
const MAX_REAL_TRIPS = 2 ** 31;

/** Sum of a subgraph's layers as one cost, repeated `times`. */
export function aggregateLayers(layers: readonly LayerCost[], times = 1): OpCost {
  let macs = 0, mac = 0, elementwise = 0, transcendental = 0, params = 0, weights = 0, inputs = 0, outputs = 0;
  let precision: Precision | undefined;
  let topMacs = -1;
  const problems: string[] = [];
  for (const l of layers) {
    macs += l.macs;
    mac += l.flops.mac;
    elementwise += l.flops.elementwise;
    transcendental += l.flops.transcendental;
    params += l.params;
    weights += l.bytes.weights;
    inputs += l.bytes.inputs;
    outputs += l.bytes.outputs;
    if (l.macs > topMacs) {
      topMacs = l.macs;
      precision = l.precision;
    }
    if (l.confidence === 'unknown') problems.push(`unknown op ${l.opType} (${l.name})`);
    else if (l.confidence === 'partial') problems.push(`${l.opType} ${l.name} partial`);
  }
  return {
    macs: macs * times,
    flops: { mac: mac * times, elementwise: elementwise * times, transcendental: transcendental * times },
    params,
    bytes: { weights: weights * times, inputs: inputs * times, outputs: outputs * times },
    precision: precision ?? 'fp32',
    confidence: problems.length > 0 ? 'partial' : 'exact',
    ...(problems.length > 0 ? { note: `body: ${problems.slice(0, 5).join(', ')}${problems.length > 5 ? ', …' : ''}` } : {}),
  };
}

function withNote(cost: OpCost, note: string, partial = false): OpCost {
  return {
    ...cost,
    confidence: partial || cost.confidence !== 'exact' ? 'partial' : 'exact',
    note: cost.note ? `${note}; ${cost.note}` : note,
  };
}

function missingBody(node: Node, what: string): OpCost {
  return {
    macs: 0, flops: { mac: 0, elementwise: 0, transcendental: 0 }, params: 0, bytes: { weights: 0, inputs: 0, outputs: 0 },
    precision: 'fp32', confidence: 'partial', note: `${node.opType} ${what} missing: not counted`,
  };
}

function weight(c: OpCost): [number, number, number] {
  return [c.macs, totalFlops(c.flops), c.bytes.weights + c.bytes.inputs + c.bytes.outputs];
}

function costlier(a: OpCost, b: OpCost): boolean {
  const [wa, wb] = [weight(a), weight(b)];
  for (let i = 0; i < 3; i++) if (wa[i] !== wb[i]) return wa[i]! > wb[i]!;
  return true;
}

/**
 * If: the branch the condition selects when it is known at analysis time (a constant, or computed
 * from shapes); otherwise the costlier branch, labelled as the top of a range whose bottom is the
 * other branch (the cost depends on input data).
 */
export const ifRule = (node: Node, ctx: CostContext): OpCost => {
  const thenGraph = graphAttr(node, 'then_branch');
  const elseGraph = graphAttr(node, 'else_branch');
  if (!thenGraph || !elseGraph) return missingBody(node, 'branch');
  const cond = inputAt(node, 0);
  const known = cond ? ctx.knownValues(cond) : undefined;
  if (known?.length === 1) {
    const taken = known[0] !== 0;
    const cost = aggregateLayers(ctx.costSubgraph(taken ? thenGraph : elseGraph).layers);
    return withNote(cost, `If: condition known at analysis time, ${taken ? 'then' : 'else'} branch taken`);
  }
  const thenCost = aggregateLayers(ctx.costSubgraph(thenGraph).layers);
  const elseCost = aggregateLayers(ctx.costSubgraph(elseGraph).layers);
  const thenWins = costlier(thenCost, elseCost);
  const [chosen, other] = thenWins ? [thenCost, elseCost] : [elseCost, thenCost];
  return withNote(chosen, `If: condition depends on input data: range ${other.macs}–${chosen.macs} MACs; costlier branch (${thenWins ? 'then' : 'else'}: ${chosen.macs} MACs) counted, other: ${other.macs}`);
};

function repeated(node: Node, ctx: CostContext, body: Graph, trips: number | undefined, how: string): OpCost {
  const layers = ctx.costSubgraph(body).layers;
  if (trips === undefined) {
    return withNote(aggregateLayers(layers), `${node.opType}: trip count unknown (${how}): one iteration counted`, true);
  }
  return withNote(aggregateLayers(layers, trips), `${node.opType}: ${trips} iterations × body`);
}

export const loopRule = (node: Node, ctx: CostContext): OpCost => {
  const body = graphAttr(node, 'body');
  if (!body) return missingBody(node, 'body');
  const m = inputAt(node, 0);
  const known = m ? ctx.knownValues(m)?.[0] : undefined;
  const trips = known !== undefined && known >= 0 && known < MAX_REAL_TRIPS ? known : undefined;
  return repeated(node, ctx, body, trips, m ? 'M not known statically' : 'no M, ends on a condition');
};

export const scanRule = (node: Node, ctx: CostContext): OpCost => {
  const body = graphAttr(node, 'body');
  if (!body) return missingBody(node, 'body');
  const scanInputs = intAttr(node, 'num_scan_inputs', 0);
  // Opset 8 Scan has a leading sequence_lens input and a batch axis before the scan axis.
  const opset8 = (ctx.model.opsetImports.get('') ?? 9) < 9;
  const first = node.inputs.length - scanInputs;
  const axis = opset8 ? 1 : (intsAttr(node, 'scan_input_axes')?.[0] ?? 0);
  const shape = scanInputs > 0 ? ctx.numericShape(node.inputs[first] ?? '') : undefined;
  const trips = shape ? shape[axis < 0 ? axis + shape.length : axis] : undefined;
  return repeated(node, ctx, body, trips, 'scan input length unknown');
};

/** A call of a model-local function: its body costed once (shapes inside are often unknown). */
export function functionCallCost(node: Node, ctx: CostContext, body: Graph): OpCost {
  const key = `${node.domain}:${node.opType}`;
  const refused = ctx.functions.refusal(key, body.nodes.length);
  if (refused) return { ...missingBody(node, 'body'), note: refused };
  ctx.functions.enter(key, body.nodes.length);
  try {
    return withNote(aggregateLayers(ctx.costSubgraph(body).layers), `function ${key} costed from its body`);
  } finally {
    ctx.functions.leave(key);
  }
}
