/**
 * float32 -> float16 conversion. Float initializers are stored as IEEE half (round to nearest even),
 * ops that create float tensors from attributes (Cast, Constant, ConstantOfShape, ...) are adjusted,
 * and ops on the block list run in float32 between Casts. With `keepIo` the model's inputs and outputs
 * stay float32 and Casts are added at the edges, so callers feed the same tensors as before.
 */
import type { Attribute } from '../../graph/ir';
import { float16BitsToFloat, floatToFloat16Bits } from '../../onnx/floatBits';
import { TransformError } from '../transformError';
import type { WorkingModel, WorkNode } from '../workingModel';
import { intAttr, makeNode } from '../workingModel';
import type { LayerDecision } from './linearLayers';

/** ONNX TensorProto codes. */
const FLOAT = 1;
const FLOAT16 = 10;

/**
 * Ops kept in float32 by default: Resize (float scales/roi inputs), reductions whose sums overflow
 * half's 65504 range, and random generators.
 */
export const DEFAULT_FP32_OPS: readonly string[] = [
  'Resize', 'Upsample', 'Range', 'ReduceSum', 'ReduceSumSquare', 'ReduceProd', 'ReduceL2', 'ReduceLogSumExp',
  'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'NonMaxSuppression', 'TopK',
];

export interface Fp16Options {
  readonly keepIo: boolean;
  /** Op types kept in float32 (default DEFAULT_FP32_OPS). */
  readonly blockOps?: readonly string[];
  /** Node names kept in float32. */
  readonly exclude?: readonly string[];
}

export function convertFp16(wm: WorkingModel, options: Fp16Options): LayerDecision[] {
  const blocked = new Set(options.blockOps ?? DEFAULT_FP32_OPS);
  const excluded = new Set(options.exclude ?? []);
  const decisions: LayerDecision[] = [];
  const keepFloat32 = (n: WorkNode): boolean => blocked.has(n.opType) || excluded.has(n.name) || n.domain !== '';
  // Initializers read only by float32 nodes stay float32.
  const fp32Initializers = new Set<string>();
  const fp16Initializers = new Set<string>();
  for (const n of wm.nodes) {
    for (const i of n.inputs) if (wm.isInitializer(i)) (keepFloat32(n) ? fp32Initializers : fp16Initializers).add(i);
  }
  for (const name of fp16Initializers) {
    if (fp32Initializers.has(name)) {
      fp32Initializers.delete(name);
      continue; // read by both sides: converted, and a Cast feeds the float32 readers below
    }
  }
  for (const name of [...wm.initializers.keys()]) {
    const info = wm.initializerInfo(name)!;
    if (info.dataType !== 'float32' || fp32Initializers.has(name)) continue;
    const values = wm.floatValues(name);
    const bits = Uint16Array.from(values, floatToFloat16Bits);
    checkRange(name, values, bits);
    wm.setInitializer(name, 'float16', info.dims, new Uint8Array(bits.buffer), true);
  }
  for (const node of [...wm.nodes]) {
    if (keepFloat32(node)) {
      wrapInFloat32(wm, node);
      decisions.push({ node: node.name, opType: node.opType, action: 'skipped', reason: node.domain ? `custom domain ${node.domain}` : excluded.has(node.name) ? 'excluded by the user' : 'op kept in float32' });
      continue;
    }
    retypeAttributes(wm, node);
    if (['Conv', 'MatMul', 'Gemm'].includes(node.opType)) decisions.push({ node: node.name, opType: node.opType, action: 'transformed' });
  }
  convertGraphEdges(wm, options.keepIo);
  return decisions;
}

/** Warns loudly when weights overflow half precision instead of silently writing infinities. */
function checkRange(name: string, values: Float32Array, bits: Uint16Array): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!) && !Number.isFinite(float16BitsToFloat(bits[i]!))) {
      throw new TransformError('unsupported-op', `weight ${name} holds ${values[i]}, beyond float16's range (65504); exclude the nodes that read it`);
    }
  }
}

/** Cast(to=float) becomes Cast(to=float16); constant-producing ops get a Cast after them. */
function retypeAttributes(wm: WorkingModel, node: WorkNode): void {
  const to = node.attributes.get('to');
  if (node.opType === 'Cast' && to?.type === 'int' && to.value === FLOAT) node.attributes.set('to', intAttr(FLOAT16));
  const dtype = node.attributes.get('dtype');
  if (dtype?.type === 'int' && dtype.value === FLOAT) node.attributes.set('dtype', intAttr(FLOAT16));
  const valueAttr: Attribute | undefined = node.attributes.get('value');
  const makesFloatConstant = (node.opType === 'Constant' && (valueAttr?.type === 'tensor' ? valueAttr.value.dataType === 'float32' : node.attributes.has('value_float') || node.attributes.has('value_floats')))
    || (node.opType === 'ConstantOfShape' && valueAttr?.type === 'tensor' && valueAttr.value.dataType === 'float32');
  if (makesFloatConstant) {
    const out = node.outputs[0]!;
    const raw = wm.uniqueName(`${out}_fp32`);
    node.outputs[0] = raw;
    wm.nodes.splice(wm.nodes.indexOf(node) + 1, 0, makeNode(wm.uniqueName(`${node.name}_to_fp16`), 'Cast', [raw], [out], { to: intAttr(FLOAT16) }));
  }
}

/** Runs a float32-only node between Casts: float16 inputs up, its float outputs back down. */
function wrapInFloat32(wm: WorkingModel, node: WorkNode): void {
  const isFloatInput = (name: string, index: number): boolean => {
    if (!name) return false;
    const init = wm.initializerInfo(name);
    if (init) return init.dataType === 'float16';
    const type = wm.types.get(name)?.dataType;
    return type === 'float32' || (type === undefined || type === 'unknown' ? index === 0 : false);
  };
  node.inputs = node.inputs.map((name, index) => {
    if (!isFloatInput(name, index)) return name;
    const up = wm.uniqueName(`${name}_fp32`);
    wm.insertBefore(node, [makeNode(wm.uniqueName(`${node.name}_in${index}_to_fp32`), 'Cast', [name], [up], { to: intAttr(FLOAT) })]);
    return up;
  });
  node.outputs = node.outputs.map((name, index) => {
    const type = wm.types.get(name)?.dataType;
    const isFloat = type === 'float32' || ((type === undefined || type === 'unknown') && index === 0 && node.opType !== 'TopK' && node.opType !== 'NonMaxSuppression' && node.opType !== 'Range');
    if (!name || !isFloat) return name;
    const raw = wm.uniqueName(`${name}_fp32`);
    wm.nodes.splice(wm.nodes.indexOf(node) + 1, 0, makeNode(wm.uniqueName(`${node.name}_out${index}_to_fp16`), 'Cast', [raw], [name], { to: intAttr(FLOAT16) }));
    return raw;
  });
}

/** Graph inputs/outputs: keep float32 behind Casts, or retype them to float16. */
function convertGraphEdges(wm: WorkingModel, keepIo: boolean): void {
  for (const input of wm.inputs) {
    const type = wm.types.get(input);
    if (type?.dataType !== 'float32') continue;
    if (keepIo) {
      const half = wm.uniqueName(`${input}_fp16`);
      for (const n of wm.consumers(input)) n.inputs = n.inputs.map((i) => (i === input ? half : i));
      wm.insertBefore(undefined, [makeNode(wm.uniqueName(`${input}_to_fp16`), 'Cast', [input], [half], { to: intAttr(FLOAT16) })]);
    } else {
      wm.types.set(input, { ...type, dataType: 'float16' });
    }
  }
  wm.outputs = wm.outputs.map((output) => {
    const type = wm.types.get(output);
    if (type?.dataType !== 'float32') return output;
    if (!keepIo) {
      wm.types.set(output, { ...type, dataType: 'float16' });
      return output;
    }
    // The float16 result gets a new name; a Cast produces the original output name in float32.
    const half = wm.uniqueName(`${output}_fp16`);
    const producer = wm.producer(output);
    if (producer) producer.outputs = producer.outputs.map((o) => (o === output ? half : o));
    for (const n of wm.consumers(output)) n.inputs = n.inputs.map((i) => (i === output ? half : i));
    wm.nodes.push(makeNode(wm.uniqueName(`${output}_to_fp32`), 'Cast', [half], [output], { to: intAttr(FLOAT) }));
    return output;
  });
  // Intermediate value types recorded from the float32 model are now wrong; drop them so the writer
  // does not declare float32 for tensors that are float16.
  for (const [name, type] of [...wm.types]) {
    if (wm.inputs.includes(name) || wm.outputs.includes(name) || wm.isInitializer(name)) continue;
    if (type.dataType === 'float32') wm.types.delete(name);
  }
}
