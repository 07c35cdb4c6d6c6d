/**
 * int8 dynamic quantization: weights stored as int8 (per output channel or per tensor), activations
 * quantized at run time. Uses what onnxruntime's CPU provider runs (checked against 1.30):
 *   MatMul / Gemm -> com.microsoft DynamicQuantizeMatMul(A, B int8 [K,N], scale [N], zero point [N], bias)
 *   Conv          -> DynamicQuantizeLinear -> ConvInteger -> Cast -> Mul(x_scale · w_scale) (-> Add bias)
 * ConvInteger on CPU accepts only a scalar weight zero point, so per-channel Conv is always symmetric.
 */
import { quantizeTensor } from '../math/quantParams';
import type { WorkingModel } from '../workingModel';
import { intAttr, makeNode } from '../workingModel';
import { type LayerDecision, type LinearLayer, selectLayers, weightAsKN } from './linearLayers';
import { quantizeEmbeddings } from './quantizeEmbeddings';

export interface DynamicQuantOptions {
  readonly perChannel: boolean;
  readonly symmetric: boolean;
  readonly exclude?: readonly string[];
  readonly minElements?: number;
  /**
   * How Conv layers run: 'integer' (ConvInteger, activations quantized at run time) or 'weight-only'
   * (int8 weights behind DequantizeLinear, float compute). onnxruntime's CPU ConvInteger is far slower
   * than its float Conv, so weight-only keeps the 4x smaller file without the slowdown.
   */
  readonly conv?: 'integer' | 'weight-only';
}

export function quantizeDynamic(wm: WorkingModel, options: DynamicQuantOptions): LayerDecision[] {
  const { layers, decisions } = selectLayers(wm, { exclude: options.exclude, minElements: options.minElements });
  for (const layer of layers) {
    if (layer.kind === 'conv' && options.conv === 'weight-only') quantizeConvWeightOnly(wm, layer, options);
    else if (layer.kind === 'conv') quantizeConv(wm, layer, options);
    else quantizeMatMul(wm, layer, options);
  }
  wm.requireOpset('com.microsoft', 1);
  wm.removeUnusedInitializers();
  return [...decisions, ...quantizeEmbeddings(wm, options)];
}

function quantizeMatMul(wm: WorkingModel, layer: LinearLayer, options: DynamicQuantOptions): void {
  const { values, k, n } = weightAsKN(wm, layer);
  // Per column of B ([K][N], axis 1) = per output feature.
  // 7-bit weights (−63..63): x86 CPUs without VNNI multiply u8×s8 with pairwise int16 sums that
  // saturate on full-range weights (onnxruntime's `reduce_range`); cosine fell to 0.984 on AVX2.
  const q = quantizeTensor(values, [k, n], 'int8', {
    axis: options.perChannel ? 1 : undefined, symmetric: options.symmetric, narrow: options.symmetric,
    ...(options.symmetric ? { range: { qmin: -63, qmax: 63 } } : {}),
  });
  const base = layer.node.name;
  const weight = wm.addInitializer(`${base}_w_int8`, 'int8', [k, n], q.values);
  const scaleDims = options.perChannel ? [n] : [];
  const scale = wm.addInitializer(`${base}_w_scale`, 'float32', scaleDims, q.scales);
  const zeroPoint = wm.addInitializer(`${base}_w_zero_point`, 'int8', scaleDims, q.zeroPoints);
  const inputs = [layer.node.inputs[0]!, weight, scale, zeroPoint];
  if (layer.bias) inputs.push(layer.bias);
  wm.replaceNode(layer.node, [
    makeNode(`${base}_dynamic_int8`, 'DynamicQuantizeMatMul', inputs, [layer.node.outputs[0]!], {}, 'com.microsoft'),
  ]);
}

function quantizeConv(wm: WorkingModel, layer: LinearLayer, options: DynamicQuantOptions): void {
  const dims = layer.weightDims;
  const outChannels = dims[0]!;
  const values = wm.floatValues(layer.weight);
  // ConvInteger needs one weight zero point: per-channel scales only with symmetric (zero point 0).
  const perChannel = options.perChannel;
  const symmetric = perChannel || options.symmetric;
  const q = quantizeTensor(values, dims, 'int8', { axis: perChannel ? 0 : undefined, symmetric, narrow: symmetric });
  const base = layer.node.name;
  const weight = wm.addInitializer(`${base}_w_int8`, 'int8', dims, q.values);
  const wZero = wm.addInitializer(`${base}_w_zero_point`, 'int8', [], [q.zeroPoints[0]!]);
  const spatialOnes = dims.slice(2).map(() => 1);
  const wScale = wm.addInitializer(`${base}_w_scale`, 'float32', perChannel ? [1, outChannels, ...spatialOnes] : [], q.scales);
  const [xq, xScale, xZero] = [wm.uniqueName(`${base}_x_q`), wm.uniqueName(`${base}_x_scale`), wm.uniqueName(`${base}_x_zero_point`)];
  const [acc, accFloat, scale] = [wm.uniqueName(`${base}_acc`), wm.uniqueName(`${base}_acc_float`), wm.uniqueName(`${base}_scale`)];
  const convAttributes = Object.fromEntries([...layer.node.attributes].filter(([key]) => key !== 'activation'));
  const output = layer.node.outputs[0]!;
  const scaled = layer.bias ? wm.uniqueName(`${base}_scaled`) : output;
  const nodes = [
    makeNode(`${base}_quantize_x`, 'DynamicQuantizeLinear', [layer.node.inputs[0]!], [xq, xScale, xZero]),
    makeNode(`${base}_conv_int8`, 'ConvInteger', [xq, weight, xZero, wZero], [acc], convAttributes),
    makeNode(`${base}_to_float`, 'Cast', [acc], [accFloat], { to: intAttr(1) }),
    makeNode(`${base}_combine_scales`, 'Mul', [xScale, wScale], [scale]),
    makeNode(`${base}_rescale`, 'Mul', [accFloat, scale], [scaled]),
  ];
  if (layer.bias) {
    const biasValues = wm.floatValues(layer.bias);
    const bias = wm.addInitializer(`${base}_bias`, 'float32', [1, outChannels, ...spatialOnes], biasValues);
    nodes.push(makeNode(`${base}_add_bias`, 'Add', [scaled, bias], [output]));
  }
  wm.replaceNode(layer.node, nodes);
}

function quantizeConvWeightOnly(wm: WorkingModel, layer: LinearLayer, options: DynamicQuantOptions): void {
  const dims = layer.weightDims;
  // Per-axis DequantizeLinear needs opset 13; older models get one scale per tensor.
  const perChannel = options.perChannel && (wm.opsets.get('') ?? 1) >= 13;
  const q = quantizeTensor(wm.floatValues(layer.weight), dims, 'int8', { axis: perChannel ? 0 : undefined, symmetric: options.symmetric, narrow: options.symmetric });
  const base = layer.node.name;
  const channelDims = perChannel ? [dims[0]!] : [];
  const weight = wm.addInitializer(`${base}_w_int8`, 'int8', dims, q.values);
  const scale = wm.addInitializer(`${base}_w_scale`, 'float32', channelDims, q.scales);
  const zeroPoint = wm.addInitializer(`${base}_w_zero_point`, 'int8', channelDims, q.zeroPoints);
  const dequantized = wm.uniqueName(`${base}_w_dq`);
  wm.insertBefore(layer.node, [
    makeNode(`${base}_dequantize_w`, 'DequantizeLinear', [weight, scale, zeroPoint], [dequantized], perChannel ? { axis: intAttr(0) } : {}),
  ]);
  layer.node.inputs[1] = dequantized;
}
