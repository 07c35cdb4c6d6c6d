/**
 * Turns a traced layer into the shared LayerCost contract, so the energy model prices layers found in
 * Python code exactly like nodes of an ONNX graph.
 */
import { precisionOfBytes } from '../cost/precision';
import type { LayerCost } from '../cost/types';
import type { LayerRecord, LayerUsage } from './records';

/**
 * Weight bytes read per inference count the trainable parameters and the buffers (running statistics)
 * once, or only the looked-up rows for embeddings. Activations use the layer's dtype too.
 */
export function layerCost(layer: LayerRecord, usage: LayerUsage, note: string | undefined): LayerCost {
  const bytes = layer.dtypeBytes;
  const copies = layer.copies ?? 1;
  const stateElements = ((layer.params ?? 0) + (layer.buffers ?? 0)) * copies;
  const weightElements = usage.weightsRead ?? stateElements;
  return {
    name: layer.variable,
    opType: layer.kind,
    domain: layer.framework === 'pytorch' ? 'torch.nn' : 'keras.layers',
    macs: usage.macs,
    flops: { mac: 2 * usage.macs, elementwise: usage.elementwise, transcendental: usage.transcendental },
    params: (layer.params ?? 0) * copies,
    bytes: { weights: weightElements * bytes, inputs: usage.inputElements * bytes, outputs: usage.outputElements * bytes },
    precision: precisionOfBytes(bytes, layer.dtypeName),
    confidence: layer.params === undefined ? 'partial' : 'exact',
    note,
    gemm: usage.gemm,
    inputShapes: [usage.inputShape, ...usage.extraInputShapes],
    outputShapes: [usage.outputShape],
    activationInputs: usage.inputIds,
    activationOutputs: usage.outputIds,
  };
}
