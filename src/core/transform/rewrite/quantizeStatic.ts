/**
 * int8 static quantization in QDQ form: activations get QuantizeLinear -> DequantizeLinear pairs with
 * scales from calibration (uint8, asymmetric), weights are stored int8 per channel (symmetric) behind
 * a DequantizeLinear. onnxruntime fuses DQ -> Conv/MatMul -> Q into integer kernels where it can;
 * the QDQ file also runs anywhere an ONNX runtime does.
 */
import type { ActivationRange } from '../math/calibration';
import { intRange, quantParamsFromRange, quantizeTensor } from '../math/quantParams';
import type { WorkingModel } from '../workingModel';
import { attrInt, intAttr, makeNode } from '../workingModel';
import { type LayerDecision, type LinearLayer, selectLayers } from './linearLayers';
import { fusedActivation } from './fusedActivation';
import { quantizeEmbeddings } from './quantizeEmbeddings';

export interface StaticQuantOptions {
  readonly perChannel: boolean;
  readonly symmetric: boolean;
  readonly exclude?: readonly string[];
  readonly minElements?: number;
}

/** Activation tensors whose ranges calibration must collect, for the layers that will be quantized. */
export function calibrationTargets(wm: WorkingModel, options: StaticQuantOptions): string[] {
  const { layers } = selectLayers(wm, options);
  const names = new Set<string>();
  for (const l of layers) {
    names.add(l.node.inputs[0]!);
    const fused = fusedActivation(wm, l.node);
    if (fused) names.add(fused.node.outputs[0]!);
    else if (!wm.outputs.includes(l.node.outputs[0]!)) names.add(l.node.outputs[0]!);
  }
  return [...names];
}

export function quantizeStatic(wm: WorkingModel, ranges: ReadonlyMap<string, ActivationRange>, options: StaticQuantOptions): LayerDecision[] {
  const { layers, decisions } = selectLayers(wm, options);
  // Per-axis DequantizeLinear needs opset 13; raising an older model's opset would change the meaning
  // of other ops (Squeeze, Split, ReduceSum), so older models get per-tensor weight scales instead.
  if ((wm.opsets.get('') ?? 1) < 13) options = { ...options, perChannel: false };
  const quantized = new Map<string, string>();
  const result: LayerDecision[] = [];
  for (const d of decisions) {
    const layer = layers.find((l) => l.node.name === d.node);
    if (!layer) { result.push(d); continue; }
    const input = layer.node.inputs[0]!;
    const range = ranges.get(input);
    if (!range) { result.push({ ...d, action: 'skipped', reason: `no calibration range for its input ${input}` }); continue; }
    let dq = quantized.get(input);
    if (!dq) {
      dq = insertActivationQdq(wm, input, range, layer.node.name);
      quantized.set(input, dq);
    }
    layer.node.inputs[0] = dq;
    layer.node.inputs[1] = quantizeWeight(wm, layer, options);
    const fused = fusedActivation(wm, layer.node);
    const fusedRange = fused ? ranges.get(fused.node.outputs[0]!) : undefined;
    if (fused && fusedRange && !quantized.has(fused.node.outputs[0]!)) {
      // The activation disappears into the output range: [0, min(calibrated max, clip max)].
      const activated = fused.node.outputs[0]!;
      wm.nodes.splice(wm.nodes.indexOf(fused.node), 1);
      insertQdqNodes(wm, layer.node.outputs[0]!, activated, { min: 0, max: Math.min(fusedRange.max, fused.max) }, layer.node.name, layer.node);
      quantized.set(activated, activated);
      result.push({ ...d, reason: `${fused.node.opType} fused into the output range` });
      continue;
    }
    const output = layer.node.outputs[0]!;
    const outRange = ranges.get(output);
    if (outRange && !wm.outputs.includes(output) && !quantized.has(output)) {
      // Rename the float result and let the DQ produce the old name, so every reader stays wired.
      const raw = wm.uniqueName(`${output}_float`);
      layer.node.outputs[0] = raw;
      insertQdqNodes(wm, raw, output, outRange, layer.node.name, layer.node);
      quantized.set(output, output);
    }
    result.push(d);
  }
  wm.removeUnusedInitializers();
  return [...result, ...quantizeEmbeddings(wm, options)];
}

function activationParams(range: ActivationRange): { scale: number; zeroPoint: number } {
  return quantParamsFromRange(range.min, range.max, intRange('uint8'), false);
}

/** Q -> DQ on `value` for its quantized readers; returns the dequantized name. */
function insertActivationQdq(wm: WorkingModel, value: string, range: ActivationRange, prefix: string): string {
  const dq = wm.uniqueName(`${value}_dq`);
  const producer = wm.producer(value);
  const at = producer ? wm.nodes[wm.nodes.indexOf(producer) + 1] : wm.nodes[0];
  insertQdqNodes(wm, value, dq, range, prefix, undefined, at);
  return dq;
}

function insertQdqNodes(wm: WorkingModel, from: string, to: string, range: ActivationRange, prefix: string, after?: LinearLayer['node'], before?: LinearLayer['node']): void {
  const p = activationParams(range);
  const scale = wm.addInitializer(`${prefix}_act_scale`, 'float32', [], [p.scale]);
  const zeroPoint = wm.addInitializer(`${prefix}_act_zero_point`, 'uint8', [], [p.zeroPoint]);
  const q = wm.uniqueName(`${from}_q`);
  const nodes = [
    makeNode(wm.uniqueName(`${prefix}_quantize`), 'QuantizeLinear', [from, scale, zeroPoint], [q]),
    makeNode(wm.uniqueName(`${prefix}_dequantize`), 'DequantizeLinear', [q, scale, zeroPoint], [to]),
  ];
  if (after) wm.nodes.splice(wm.nodes.indexOf(after) + 1, 0, ...nodes);
  else wm.insertBefore(before, nodes);
}

/** Stores the weight as int8 and returns the name of its dequantized float tensor. */
function quantizeWeight(wm: WorkingModel, layer: LinearLayer, options: StaticQuantOptions): string {
  const dims = layer.weightDims;
  // The output-channel axis: Conv [O, I, ...] and Gemm transB=1 [N, K] -> 0; MatMul / Gemm [K, N] -> 1.
  const axis = layer.kind === 'conv' || (layer.kind === 'gemm' && attrInt(layer.node, 'transB', 0) === 1) ? 0 : 1;
  const q = quantizeTensor(wm.floatValues(layer.weight), dims, 'int8', {
    axis: options.perChannel ? axis : undefined, symmetric: options.symmetric, narrow: options.symmetric,
  });
  const base = layer.node.name;
  const channelDims = options.perChannel ? [dims[axis]!] : [];
  const weight = wm.addInitializer(`${base}_w_int8`, 'int8', dims, q.values);
  const scale = wm.addInitializer(`${base}_w_scale`, 'float32', channelDims, q.scales);
  const zeroPoint = wm.addInitializer(`${base}_w_zero_point`, 'int8', channelDims, q.zeroPoints);
  const out = wm.uniqueName(`${base}_w_dq`);
  wm.insertBefore(layer.node, [
    makeNode(`${base}_dequantize_w`, 'DequantizeLinear', [weight, scale, zeroPoint], [out], options.perChannel ? { axis: intAttr(axis) } : {}),
  ]);
  return out;
}
