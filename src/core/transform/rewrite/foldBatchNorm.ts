/**
 * Folds BatchNormalization into the Conv before it (W' = W·γ/√(σ²+ε) per output channel,
 * b' = (b − μ)·γ/√(σ²+ε) + β), as onnxruntime does for float models at load time. Quantization runs
 * this first: once weights are int8 behind DequantizeLinear or ConvInteger, onnxruntime can no longer
 * fold, and quantizing the folded weights is what will actually be computed.
 */
import type { WorkingModel } from '../workingModel';
import { attrFloat, attrInt } from '../workingModel';

/** Returns the number of BatchNormalization nodes folded. */
export function foldBatchNorms(wm: WorkingModel, exclude: ReadonlySet<string> = new Set()): number {
  let folded = 0;
  for (const bn of [...wm.nodes]) {
    if (bn.opType !== 'BatchNormalization' || bn.domain !== '' || bn.outputs.filter(Boolean).length !== 1) continue;
    if (attrInt(bn, 'training_mode', 0) !== 0) continue;
    const conv = wm.producer(bn.inputs[0] ?? '');
    if (!conv || conv.opType !== 'Conv' || conv.domain !== '' || exclude.has(conv.name) || exclude.has(bn.name)) continue;
    if (wm.consumers(conv.outputs[0]!).length !== 1 || wm.outputs.includes(conv.outputs[0]!)) continue;
    const weight = conv.inputs[1] ?? '';
    const info = wm.initializerInfo(weight);
    const params = bn.inputs.slice(1, 5);
    if (!info || info.dataType !== 'float32' || params.length !== 4 || !params.every((p) => wm.initializerInfo(p)?.dataType === 'float32')) continue;
    const channels = info.dims[0]!;
    const [gamma, beta, mean, variance] = params.map((p) => wm.floatValues(p));
    if ([gamma, beta, mean, variance].some((v) => v!.length !== channels)) continue;
    const biasName = conv.inputs[2];
    if (biasName && wm.initializerInfo(biasName)?.dataType !== 'float32') continue;
    const epsilon = attrFloat(bn, 'epsilon', 1e-5);
    const w = wm.floatValues(weight);
    const bias = biasName ? wm.floatValues(biasName) : new Float32Array(channels);
    const per = w.length / channels;
    const newBias = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const factor = gamma![c]! / Math.sqrt(variance![c]! + epsilon);
      for (let i = c * per; i < (c + 1) * per; i++) w[i] = w[i]! * factor;
      newBias[c] = (bias[c]! - mean![c]!) * factor + beta![c]!;
    }
    conv.inputs[1] = wm.addInitializer(`${weight}_bn_folded`, 'float32', info.dims, w);
    conv.inputs[2] = wm.addInitializer(`${conv.name}_bias_bn_folded`, 'float32', [channels], newBias);
    conv.outputs[0] = bn.outputs[0]!;
    wm.nodes.splice(wm.nodes.indexOf(bn), 1);
    folded++;
  }
  if (folded > 0) wm.removeUnusedInitializers();
  return folded;
}
