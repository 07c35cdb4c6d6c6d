/**
 * Dispatches a request to its rewrite with the request's options resolved to defaults, so the full
 * run, sensitivity runs (one layer at a time) and tests all rewrite the same way.
 */
import type { ActivationRange } from './math/calibration';
import { convertFp16 } from './rewrite/convertFp16';
import { foldBatchNorms } from './rewrite/foldBatchNorm';
import type { LayerDecision, LayerKind } from './rewrite/linearLayers';
import { PRUNE_MODE_IDS, QUANTIZE_MODE_IDS } from '../actions/modes';
import { pruneChannels } from './rewrite/pruneChannels';
import { pruneHeads } from './rewrite/pruneHeads';
import { pruneMagnitude, pruneNofM } from './rewrite/pruneWeights';
import { quantizeDynamic } from './rewrite/quantizeDynamic';
import { quantizeInt4 } from './rewrite/quantizeInt4';
import { quantizeStatic } from './rewrite/quantizeStatic';
import { TransformError } from './transformError';
import type { PruneSpec, QuantizeSpec, TransformRequest } from './types';
import type { WorkingModel } from './workingModel';

export interface RewriteOutcome {
  readonly decisions: LayerDecision[];
  readonly sparsity?: number;
}

/** File-name suffix of each transform's output (`model.<suffix>.onnx`). */
export function outputSuffix(spec: QuantizeSpec | PruneSpec): string {
  if (spec.op === 'prune') return spec.mode === 'structured' ? 'pruned' : spec.mode === '2:4' ? 'sparse24' : 'sparse';
  return { 'int8-dynamic': 'int8', 'int8-static': 'int8-static', fp16: 'fp16', int4: 'int4' }[spec.mode];
}

export function transformLabel(spec: QuantizeSpec | PruneSpec): string {
  if (spec.op === 'quantize') return spec.mode === 'int8-static' ? `quantize int8-static (${spec.calibration?.method ?? 'minmax'})` : `quantize ${spec.mode}`;
  return spec.mode === '2:4' ? 'prune 2:4' : `prune ${spec.mode} ${Math.round((spec.ratio ?? 0) * 100)}%`;
}

/** Layer kinds a mode acts on (for sensitivity and exclusion lists). */
export function kindsOf(spec: QuantizeSpec | PruneSpec): LayerKind[] {
  if (spec.op === 'quantize' && spec.mode === 'int4') return ['matmul', 'gemm'];
  return ['matmul', 'gemm', 'conv'];
}

/**
 * Weights smaller than this stay float by default. int8-static quantizes every layer, the first Conv
 * and small depthwise convs included, as onnxruntime's quantize_static does: leaving them float put
 * a dequantize/quantize pair around each and made MobileNetV2 1.7x slower than onnxruntime's result.
 * Other modes skip tiny weights, where int8 weight-only or ConvInteger kernels gain nothing.
 */
export function defaultMinElements(spec: QuantizeSpec | PruneSpec): number {
  if (spec.op === 'prune') return 0;
  return spec.mode === 'int8-static' ? 0 : 1024;
}

export function validateRequest(request: TransformRequest): void {
  const t = request.transform;
  if (t.op === 'quantize') {
    if (!QUANTIZE_MODE_IDS.includes(t.mode)) throw new TransformError('bad-request', `unknown quantization mode ${String(t.mode)}`);
    if (t.blockSize !== undefined && ![32, 64, 128].includes(t.blockSize)) throw new TransformError('bad-request', `int4 block size must be 32, 64 or 128, got ${t.blockSize}`);
    const p = t.calibration?.percentile;
    if (p !== undefined && !(p > 50 && p <= 100)) throw new TransformError('bad-request', `percentile must be in (50, 100], got ${p}`);
  } else if (t.op === 'prune') {
    if (!PRUNE_MODE_IDS.includes(t.mode)) throw new TransformError('bad-request', `unknown pruning mode ${String(t.mode)}`);
    if (t.channelMultiple !== undefined && !(Number.isInteger(t.channelMultiple) && t.channelMultiple >= 1)) {
      throw new TransformError('bad-request', `channel multiple must be a positive integer, got ${t.channelMultiple}`);
    }
    if (t.mode !== '2:4' && !(t.ratio !== undefined && t.ratio > 0 && t.ratio < 1)) {
      throw new TransformError('bad-request', `--ratio must be a number between 0 and 1 (exclusive), got ${t.ratio}`);
    }
  } else {
    throw new TransformError('bad-request', 'transform must be quantize or prune');
  }
  if (request.sensitivity && !(request.sensitivity.maxDrift > 0 && request.sensitivity.maxDrift < 1)) {
    throw new TransformError('bad-request', `sensitivity maxDrift must be in (0, 1), got ${request.sensitivity.maxDrift}`);
  }
}

/** The exclusions `only` means: every node of the graph but the named ones. */
export function excludeAllBut(nodes: readonly { readonly name: string }[], only: readonly string[]): string[] {
  const names = new Set(nodes.map((n) => n.name));
  const unknown = only.filter((name) => !names.has(name));
  if (unknown.length > 0) throw new TransformError('bad-request', `no node named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in the model`);
  const keep = new Set(only);
  return nodes.filter((n) => !keep.has(n.name)).map((n) => n.name);
}

export function applyTransform(
  wm: WorkingModel,
  request: TransformRequest,
  exclude: readonly string[],
  ranges?: ReadonlyMap<string, ActivationRange>,
): RewriteOutcome {
  const t = request.transform;
  if (t.op === 'quantize') {
    const perChannel = t.perChannel ?? true;
    const symmetric = t.symmetric ?? true;
    const minElements = request.minElements ?? defaultMinElements(t);
    if ((t.mode === 'int8-dynamic' || t.mode === 'int8-static') && (wm.opsets.get('') ?? 1) < 10) {
      throw new TransformError('unsupported-model', `int8 quantization needs opset 10 or later (QuantizeLinear, ConvInteger); the model uses opset ${wm.opsets.get('') ?? 1}`);
    }
    if (t.mode === 'int8-dynamic' || t.mode === 'int8-static') foldBatchNorms(wm, new Set(exclude));
    switch (t.mode) {
      case 'int8-dynamic': return { decisions: quantizeDynamic(wm, { perChannel, symmetric, exclude, minElements, conv: t.conv ?? 'integer' }) };
      case 'int8-static':
        if (!ranges) throw new Error('static quantization needs calibration ranges');
        return { decisions: quantizeStatic(wm, ranges, { perChannel, symmetric, exclude, minElements }) };
      case 'fp16': return { decisions: convertFp16(wm, { keepIo: t.keepIo ?? true, exclude, ...(t.blockOps ? { blockOps: t.blockOps } : {}) }) };
      case 'int4': return { decisions: quantizeInt4(wm, { blockSize: t.blockSize ?? 32, symmetric, exclude, minElements, accuracyLevel: t.accuracyLevel ?? 4 }) };
    }
  }
  const minElements = request.minElements ?? defaultMinElements(t);
  switch (t.mode) {
    case 'magnitude': {
      const r = pruneMagnitude(wm, { ratio: t.ratio!, scope: t.scope ?? 'per-layer', exclude, minElements });
      return { decisions: r.decisions, sparsity: r.sparsity };
    }
    case '2:4': {
      const r = pruneNofM(wm, { n: 2, m: 4, exclude, minElements });
      return { decisions: r.decisions, sparsity: r.sparsity };
    }
    case 'structured': {
      // Attention heads first: their projections end in Reshapes the channel walk cannot cross.
      const heads = pruneHeads(wm, t.ratio!, new Set(exclude));
      const r = pruneChannels(wm, { ratio: t.ratio!, exclude, multiple: t.channelMultiple ?? 8, handled: heads.handled });
      return { decisions: [...heads.decisions, ...r.decisions], sparsity: r.total ? r.removed / r.total : 0 };
    }
  }
}
