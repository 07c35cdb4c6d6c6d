/**
 * Multiply-accumulates per inference of the matrix layers (Conv, MatMul, Gemm and their quantized
 * forms), from tensor shapes onnxruntime actually produced: the model runs once with each layer's
 * output exposed. Independent of shape inference, so it holds for any model onnxruntime runs.
 */
import type { ByteSource } from '../../io/byteSource';
import { serializeModel } from '../io/serializeModel';
import type { WorkingModel, WorkNode } from '../workingModel';
import { attrInt } from '../workingModel';
import type { Feeds } from './feeds';
import { OrtSession } from './ortRunner';

const MATMUL_LIKE = new Set(['MatMul', 'MatMulInteger', 'DynamicQuantizeMatMul', 'MatMulNBits', 'Gemm']);
const CONV_LIKE = new Set(['Conv', 'ConvInteger']);

/** Dims of a weight input, looking through a DequantizeLinear of a stored weight. */
function weightDims(wm: WorkingModel, name: string): readonly number[] | undefined {
  const direct = wm.initializerInfo(name)?.dims;
  if (direct) return direct;
  const p = wm.producer(name);
  return p?.opType === 'DequantizeLinear' ? wm.initializerInfo(p.inputs[0] ?? '')?.dims : undefined;
}

function reductionLength(wm: WorkingModel, node: WorkNode, inputDims: readonly number[] | undefined): number | undefined {
  if (node.opType === 'MatMulNBits') return attrInt(node, 'K', 0) || undefined;
  if (CONV_LIKE.has(node.opType)) {
    const w = weightDims(wm, node.inputs[1] ?? '');
    return w ? w.slice(1).reduce((a, b) => a * b, 1) : undefined;
  }
  if (node.opType === 'Gemm' && attrInt(node, 'transA', 0) === 1) return inputDims?.[0];
  return inputDims?.[inputDims.length - 1];
}

export async function measureMacs(wm: WorkingModel, source: ByteSource, feeds: Feeds): Promise<number | undefined> {
  const layers = wm.nodes.filter((n) => (n.domain === '' || n.domain === 'com.microsoft') && (MATMUL_LIKE.has(n.opType) || CONV_LIKE.has(n.opType)));
  if (layers.length === 0) return 0;
  const wanted = new Set<string>();
  for (const n of layers) {
    wanted.add(n.outputs[0]!);
    if (!CONV_LIKE.has(n.opType) && n.opType !== 'MatMulNBits') wanted.add(n.inputs[0]!);
  }
  const graphInputs = new Set(wm.inputs);
  const extra = [...wanted].filter((v) => !wm.outputs.includes(v) && !graphInputs.has(v) && !wm.isInitializer(v));
  wm.outputs.push(...extra);
  let session: OrtSession | undefined;
  try {
    session = await OrtSession.open(serializeModel(wm, source).toBytes(), 'the MAC-count model');
    const names = [...wanted].filter((v) => !graphInputs.has(v) && !wm.isInitializer(v));
    const out = await session.run(feeds, names);
    const dimsOf = (v: string): readonly number[] | undefined => out.dims.get(v) ?? (graphInputs.has(v) ? feeds[v]?.dims : wm.initializerInfo(v)?.dims);
    let macs = 0;
    for (const n of layers) {
      const outDims = dimsOf(n.outputs[0]!);
      const k = reductionLength(wm, n, dimsOf(n.inputs[0]!));
      if (!outDims || k === undefined) return undefined;
      macs += outDims.reduce((a, b) => a * b, 1) * k;
    }
    return macs;
  } catch {
    return undefined; // MACs are informative; verification proper reports load and run failures
  } finally {
    wm.outputs.splice(wm.outputs.length - extra.length, extra.length);
    await session?.release();
  }
}
