/**
 * Finds the weight-bearing layers rewrites act on (MatMul, Gemm, Conv with a constant weight) and
 * says, for every layer left alone, why: excluded by the user, weight too small, not a constant,
 * unsupported attributes.
 */
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrFloat, attrInt } from '../workingModel';

export type LayerKind = 'matmul' | 'gemm' | 'conv';

export interface LinearLayer {
  readonly node: WorkNode;
  readonly kind: LayerKind;
  readonly weight: string;
  readonly weightDims: readonly number[];
  /** Gemm C / Conv B, when present. */
  readonly bias?: string;
}

export interface LayerDecision {
  readonly node: string;
  readonly opType: string;
  readonly action: 'transformed' | 'skipped';
  readonly reason?: string;
}

export interface SelectOptions {
  /** Node names (or op types) to leave unchanged. */
  readonly exclude?: readonly string[];
  /** Weights with fewer elements stay as they are (default 0). */
  readonly minElements?: number;
  readonly kinds?: readonly LayerKind[];
}

/** Classifies a node as a linear layer or returns why it is not one a rewrite can touch. */
export function asLinearLayer(wm: WorkingModel, node: WorkNode): LinearLayer | string | undefined {
  const kind: LayerKind | undefined = node.domain !== '' ? undefined
    : node.opType === 'MatMul' ? 'matmul' : node.opType === 'Gemm' ? 'gemm' : node.opType === 'Conv' ? 'conv' : undefined;
  if (!kind) return undefined;
  const weight = node.inputs[1] ?? '';
  const info = wm.initializerInfo(weight);
  if (!info) return 'weight is computed at run time, not a stored initializer';
  if (info.dataType !== 'float32') return `weight is ${info.dataType}, only float32 weights are rewritten`;
  const dims = info.dims;
  if (kind === 'matmul' && dims.length !== 2) return `MatMul weight has rank ${dims.length}; only 2-D weights are rewritten`;
  if (kind === 'gemm') {
    if (attrInt(node, 'transA', 0) !== 0) return 'Gemm with transA=1 is not rewritten';
    if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) return 'Gemm with alpha or beta ≠ 1 is not rewritten';
    const c = node.inputs[2];
    if (c) {
      const cInfo = wm.initializerInfo(c);
      const n = attrInt(node, 'transB', 0) ? dims[0] : dims[1];
      if (!cInfo || cInfo.dims.length !== 1 || cInfo.dims[0] !== n) return 'Gemm bias is not a constant vector of the output width';
    }
  }
  if (kind === 'conv' && dims.length < 3) return `Conv weight has rank ${dims.length}`;
  const bias = kind === 'matmul' ? undefined : node.inputs[2] || undefined;
  return { node, kind, weight, weightDims: dims, ...(bias ? { bias } : {}) };
}

/** Selected layers in graph order plus a decision for every candidate. */
export function selectLayers(wm: WorkingModel, options: SelectOptions): { layers: LinearLayer[]; decisions: LayerDecision[] } {
  const exclude = new Set(options.exclude ?? []);
  const kinds = new Set<LayerKind>(options.kinds ?? ['matmul', 'gemm', 'conv']);
  const layers: LinearLayer[] = [];
  const decisions: LayerDecision[] = [];
  const weightUses = new Map<string, number>();
  for (const n of wm.nodes) for (const i of n.inputs) weightUses.set(i, (weightUses.get(i) ?? 0) + 1);
  for (const node of [...wm.nodes]) {
    const layer = asLinearLayer(wm, node);
    if (layer === undefined) continue;
    const skip = (reason: string): void => { decisions.push({ node: node.name, opType: node.opType, action: 'skipped', reason }); };
    if (typeof layer === 'string') { skip(layer); continue; }
    if (!kinds.has(layer.kind)) { skip(`${node.opType} is not rewritten by this mode`); continue; }
    if (exclude.has(node.name) || exclude.has(node.opType)) { skip('excluded by the user'); continue; }
    const elements = layer.weightDims.reduce((a, b) => a * b, 1);
    if (elements < (options.minElements ?? 0)) { skip(`weight has ${elements} elements, below the minimum ${options.minElements}`); continue; }
    if ((weightUses.get(layer.weight) ?? 0) > 1) { skip('weight is shared with another node'); continue; }
    layers.push(layer);
    decisions.push({ node: node.name, opType: node.opType, action: 'transformed' });
  }
  return { layers, decisions };
}

/** The weight of a MatMul or Gemm as row-major [K][N] (transposing Gemm's transB=1 [N][K]). */
export function weightAsKN(wm: WorkingModel, layer: LinearLayer): { values: Float32Array; k: number; n: number } {
  const w = wm.floatValues(layer.weight);
  const [d0, d1] = [layer.weightDims[0]!, layer.weightDims[1]!];
  if (layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1) {
    const out = new Float32Array(w.length);
    for (let r = 0; r < d0; r++) for (let c = 0; c < d1; c++) out[c * d0 + r] = w[r * d1 + c]!;
    return { values: out, k: d1, n: d0 };
  }
  return { values: w, k: d0, n: d1 };
}
