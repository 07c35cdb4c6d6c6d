/**
 * Structured pruning of attention heads, as exporters write multi-head attention with plain ops:
 *   q|k|v = Reshape(MatMul(x, W) [+ b], [0, 0, H, D]) -> Transpose
 *   scores = MatMul(q, k) -> scale / mask / Softmax -> MatMul(·, v) -> Transpose -> Reshape([0, 0, H·D])
 *   out = MatMul(merged, Wo)
 * Removing a head drops D columns of Wq, Wk, Wv (and their biases), D rows of Wo, and rewrites the
 * head count in the Reshape targets; every other shape stays. Heads are ranked by the L1 norm of their
 * weights in all four matrices. A block that deviates from the pattern is skipped with the reason.
 */
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrInt } from '../workingModel';
import type { LayerDecision } from './linearLayers';
import { channelsToKeep } from '../math/pruneMasks';
import { sliceAxis } from './sliceWeights';

interface Projection {
  readonly matmul: WorkNode;
  readonly bias?: WorkNode;
  readonly reshape: WorkNode;
}

interface AttentionBlock {
  readonly q: Projection;
  readonly k: Projection;
  readonly v: Projection;
  readonly merge: WorkNode;
  readonly out: WorkNode;
  readonly heads: number;
  readonly headDim: number;
}

/** Ops allowed between the scores MatMul and the context MatMul (scaling, masking, softmax). */
const SCORE_OPS = new Set(['Mul', 'Div', 'Add', 'Softmax', 'Where', 'Cast']);

/** Decisions per attention block, and the projection MatMuls already pruned (channel pruning skips them). */
export function pruneHeads(wm: WorkingModel, ratio: number, exclude: ReadonlySet<string>): { decisions: LayerDecision[]; handled: Set<string> } {
  const decisions: LayerDecision[] = [];
  const handled = new Set<string>();
  for (const scores of wm.nodes.filter((n) => n.opType === 'MatMul' && n.domain === '' && !wm.isInitializer(n.inputs[1] ?? ''))) {
    const block = matchBlock(wm, scores);
    if (block === undefined) continue;
    const skip = (reason: string): void => { decisions.push({ node: scores.name, opType: 'Attention', action: 'skipped', reason }); };
    if (typeof block === 'string') { skip(block); continue; }
    if ([block.q, block.k, block.v].some((p) => exclude.has(p.matmul.name)) || exclude.has(block.out.name)) { skip('excluded by the user'); continue; }
    const keep = channelsToKeep(headScores(wm, block), ratio);
    if (keep.length === block.heads) { skip(`ratio removes no head of ${block.heads}`); continue; }
    applyHeadPruning(wm, block, keep);
    for (const n of [block.q.matmul, block.k.matmul, block.v.matmul, block.out]) handled.add(n.name);
    decisions.push({ node: scores.name, opType: 'Attention', action: 'transformed', reason: `${block.heads} -> ${keep.length} heads` });
  }
  return { decisions, handled };
}

function only(wm: WorkingModel, value: string): WorkNode | undefined {
  const readers = wm.consumers(value);
  return readers.length === 1 && !wm.outputs.includes(value) ? readers[0] : undefined;
}

/** Walks back from the Transpose that feeds the scores MatMul to its projection. */
function projectionOf(wm: WorkingModel, transposed: string): Projection | string {
  const transpose = wm.producer(transposed);
  if (transpose?.opType !== 'Transpose') return 'no Transpose before the attention MatMul';
  const reshape = wm.producer(transpose.inputs[0] ?? '');
  if (reshape?.opType !== 'Reshape') return 'no Reshape that splits heads';
  let node = wm.producer(reshape.inputs[0] ?? '');
  let bias: WorkNode | undefined;
  if (node?.opType === 'Add') {
    bias = node;
    const [a, b] = node.inputs;
    node = wm.producer(wm.isInitializer(a ?? '') ? b ?? '' : a ?? '');
  }
  if (node?.opType !== 'MatMul' || !wm.isInitializer(node.inputs[1] ?? '')) return 'head projection is not a MatMul with a stored weight';
  for (const v of [node.outputs[0]!, bias?.outputs[0], reshape.outputs[0]!, transpose.outputs[0]!]) {
    if (v !== undefined && !only(wm, v)) return `intermediate ${v} has other readers`;
  }
  return { matmul: node, ...(bias ? { bias } : {}), reshape };
}

function intValues(wm: WorkingModel, name: string): number[] | undefined {
  const info = wm.initializerInfo(name);
  if (!info || (info.dataType !== 'int64' && info.dataType !== 'int32')) return undefined;
  return Array.from(wm.floatValues(name));
}

function matchBlock(wm: WorkingModel, scores: WorkNode): AttentionBlock | string | undefined {
  const q = projectionOf(wm, scores.inputs[0] ?? '');
  const k = projectionOf(wm, scores.inputs[1] ?? '');
  if (typeof q === 'string' || typeof k === 'string') return undefined; // not an attention score product
  // Forward: scores -> scale/mask/softmax -> MatMul(probs, v).
  let value = scores.outputs[0]!;
  let context: WorkNode | undefined;
  for (let steps = 0; steps < 8; steps++) {
    const next = only(wm, value);
    if (!next) return `attention scores ${value} have several readers`;
    if (next.opType === 'MatMul') { context = next; break; }
    if (!SCORE_OPS.has(next.opType)) return `${next.opType} between attention scores and context`;
    if (next.opType === 'Softmax' && ![-1, 3].includes(attrInt(next, 'axis', -1))) return 'Softmax over a non-key axis';
    value = next.outputs[0]!;
  }
  if (!context || context.inputs[0] !== value) return 'no context MatMul after the softmax';
  const v = projectionOf(wm, context.inputs[1] ?? '');
  if (typeof v === 'string') return `value path: ${v}`;
  const back = only(wm, context.outputs[0]!);
  const merge = back?.opType === 'Transpose' ? only(wm, back.outputs[0]!) : undefined;
  if (merge?.opType !== 'Reshape') return 'heads are not merged by Transpose -> Reshape';
  const out = only(wm, merge.outputs[0]!);
  if (out?.opType !== 'MatMul' || out.inputs[0] !== merge.outputs[0] || !wm.isInitializer(out.inputs[1] ?? '')) return 'merged heads do not feed a MatMul with a stored weight';
  const shapes = [q, k, v].map((p) => intValues(wm, p.reshape.inputs[1] ?? ''));
  const heads = shapes[0]?.[2];
  const headDim = shapes[0]?.[3];
  if (!heads || !headDim || heads < 2 || headDim <= 0 || shapes.some((s) => !s || s.length !== 4 || s[2] !== heads || s[3] !== headDim)) {
    return 'head split targets are not constant [.., .., H, D] shapes';
  }
  for (const p of [q, k, v]) if (wm.initializerInfo(p.matmul.inputs[1]!)!.dims[1] !== heads * headDim) return 'projection width differs from H·D';
  const mergeShape = intValues(wm, merge.inputs[1] ?? '');
  const last = mergeShape?.[mergeShape.length - 1];
  if (!mergeShape || (last !== heads * headDim && last !== -1)) return 'merge Reshape target is not a constant ending in H·D';
  return { q, k, v, merge, out, heads, headDim };
}

/** L1 norm of each head's columns in Wq, Wk, Wv and rows in Wo. */
function headScores(wm: WorkingModel, b: AttentionBlock): Float64Array {
  const scores = new Float64Array(b.heads);
  for (const p of [b.q, b.k, b.v]) {
    const w = wm.floatValues(p.matmul.inputs[1]!);
    const cols = b.heads * b.headDim;
    for (let i = 0; i < w.length; i++) scores[Math.floor((i % cols) / b.headDim)]! += Math.abs(w[i]!);
  }
  const wo = wm.floatValues(b.out.inputs[1]!);
  const width = wm.initializerInfo(b.out.inputs[1]!)!.dims[1]!;
  for (let i = 0; i < wo.length; i++) scores[Math.floor(Math.floor(i / width) / b.headDim)]! += Math.abs(wo[i]!);
  return scores;
}

function applyHeadPruning(wm: WorkingModel, b: AttentionBlock, keepHeads: readonly number[]): void {
  const columns = keepHeads.flatMap((h) => Array.from({ length: b.headDim }, (_, j) => h * b.headDim + j));
  const slice = (node: WorkNode, index: number, axis: number): void => {
    const name = node.inputs[index]!;
    const info = wm.initializerInfo(name)!;
    const { data, dims } = sliceAxis(wm.floatValues(name), info.dims, axis, columns);
    node.inputs[index] = wm.addInitializer(`${name}_heads`, 'float32', dims, data);
  };
  for (const p of [b.q, b.k, b.v]) {
    slice(p.matmul, 1, 1);
    if (p.bias) {
      const index = wm.isInitializer(p.bias.inputs[1] ?? '') ? 1 : 0;
      const info = wm.initializerInfo(p.bias.inputs[index]!)!;
      if (info.dims.reduce((a, c) => a * c, 1) > 1) slice(p.bias, index, info.dims.length - 1);
    }
    const shape = intValues(wm, p.reshape.inputs[1]!)!;
    shape[2] = keepHeads.length;
    p.reshape.inputs[1] = wm.addInitializer(`${p.reshape.name}_shape`, 'int64', [4], shape);
  }
  const mergeShape = intValues(wm, b.merge.inputs[1]!)!;
  if (mergeShape[mergeShape.length - 1] !== -1) {
    mergeShape[mergeShape.length - 1] = keepHeads.length * b.headDim;
    b.merge.inputs[1] = wm.addInitializer(`${b.merge.name}_shape`, 'int64', [mergeShape.length], mergeShape);
  }
  slice(b.out, 1, 0);
}
