/**
 * int4 weight-only quantization: MatMul (and Gemm) weights become com.microsoft MatMulNBits with
 * 4-bit codes in blocks of 32 or 128 along K; activations stay float. Conv is left alone (no 4-bit
 * Conv kernel in onnxruntime's CPU provider), with that reason in the decisions.
 */
import { quantizeMatMulNBits } from '../math/int4Blocks';
import type { WorkingModel } from '../workingModel';
import { intAttr, makeNode } from '../workingModel';
import { type LayerDecision, selectLayers, weightAsKN } from './linearLayers';

export interface Int4Options {
  readonly blockSize: number;
  readonly symmetric: boolean;
  readonly exclude?: readonly string[];
  readonly minElements?: number;
  /**
   * onnxruntime's accuracy_level: 0 = unset (float compute), 4 = int8 compute of activations (faster,
   * slightly less accurate). Default 0.
   */
  readonly accuracyLevel?: number;
}

export function quantizeInt4(wm: WorkingModel, options: Int4Options): LayerDecision[] {
  const { layers, decisions } = selectLayers(wm, { exclude: options.exclude, minElements: options.minElements });
  const result: LayerDecision[] = [];
  for (const d of decisions) {
    const layer = layers.find((l) => l.node.name === d.node);
    if (!layer) { result.push(d); continue; }
    if (layer.kind === 'conv') {
      result.push({ ...d, action: 'skipped', reason: 'int4 weight-only covers MatMul/Gemm; onnxruntime has no 4-bit Conv on CPU' });
      continue;
    }
    const { values, k, n } = weightAsKN(wm, layer);
    if (k < 16) {
      result.push({ ...d, action: 'skipped', reason: `K=${k} is below the smallest block (16)` });
      continue;
    }
    const q = quantizeMatMulNBits(values, k, n, options.blockSize, options.symmetric);
    const base = layer.node.name;
    const b = wm.setInitializer(wm.uniqueName(`${base}_w_int4`), 'uint8', [n, q.nBlocks, options.blockSize / 2], q.packed, true);
    const scales = wm.addInitializer(`${base}_w_scales`, 'float32', [n * q.nBlocks], q.scales);
    const inputs = [layer.node.inputs[0]!, b, scales];
    if (q.zeroPoints) inputs.push(wm.setInitializer(wm.uniqueName(`${base}_w_zero_points`), 'uint8', [q.zeroPoints.length], q.zeroPoints, true));
    const output = layer.node.outputs[0]!;
    const product = layer.bias ? wm.uniqueName(`${base}_product`) : output;
    const nodes = [makeNode(`${base}_int4`, 'MatMulNBits', inputs, [product], {
      K: intAttr(k), N: intAttr(n), bits: intAttr(4), block_size: intAttr(options.blockSize),
      accuracy_level: intAttr(options.accuracyLevel ?? 0),
    }, 'com.microsoft')];
    if (layer.bias) nodes.push(makeNode(`${base}_add_bias`, 'Add', [product, layer.bias], [output]));
    wm.replaceNode(layer.node, nodes);
    result.push(d);
  }
  wm.requireOpset('com.microsoft', 1);
  wm.removeUnusedInitializers();
  return result;
}
