/**
 * The execution graph: what a runtime runs, not what the file lists. Shape-only and constant ops run
 * no kernel; the patterns runtimes fuse (a GEMM/convolution with its BatchNorm, bias, residual add and
 * activation; a DequantizeLinear folded into the integer kernel it feeds; chains of elementwise ops on
 * GPU runtimes) become one kernel: one launch, and the tensors passed inside the group are never
 * written to or read from memory. Every layer keeps its own arithmetic (its share of the group).
 * Rules per runtime are documented in docs/energy-model.md ("Execution graph").
 */
import type { LayerCost } from '../cost/types';
import { kernelClassOf, type KernelClass, type Runtime } from './kernelClasses';

export interface Kernel {
  readonly id: string;
  readonly kernelClass: string;
  readonly members: readonly string[];
}

export interface ExecutionGraph {
  /** Per layer: its kernel (undefined for unknown-cost layers). */
  readonly kernels: readonly (Kernel | undefined)[];
  /** Per layer: its own kernel class (the group's class is that of its anchor). */
  readonly classes: readonly KernelClass[];
  /** Per layer: the first member of its group pays the launch; the others ride along. */
  readonly launches: readonly boolean[];
  /** Per layer: the layer as it runs (internal tensors removed, free ops moving nothing). */
  readonly layers: readonly LayerCost[];
}

/** Epilogue ops runtimes fold into the GEMM/convolution that produces their input. */
const EPILOGUE: Readonly<Record<Runtime, ReadonlySet<string>>> = {
  cpu: new Set(['BatchNormalization', 'Add', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Gelu', 'BiasGelu', 'FastGelu', 'BiasAdd', 'QuantizeLinear', 'Mul']),
  gpu: new Set(['BatchNormalization', 'Add', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Gelu', 'BiasGelu', 'FastGelu', 'BiasAdd', 'QuantizeLinear', 'Mul', 'Erf', 'Div', 'Sub', 'Elu', 'Selu', 'Softplus', 'Mish']),
  // TFLite Micro: fused activations (RELU, RELU6) and folded batch norm / bias only.
  mcu: new Set(['BatchNormalization', 'Add', 'Relu', 'Clip', 'RELU', 'RELU6', 'QuantizeLinear']),
  accelerator: new Set(['BatchNormalization', 'Add', 'Relu', 'Clip', 'RELU', 'RELU6', 'LeakyRelu', 'Sigmoid', 'HardSwish', 'QuantizeLinear']),
};

const MATRIX: ReadonlySet<KernelClass> = new Set(['gemm', 'conv', 'depthwise']);

/** Builds the execution graph of `layers` (in execution order) for a runtime. */
export function executionGraph(layers: readonly LayerCost[], runtime: Runtime): ExecutionGraph {
  const classes = layers.map(kernelClassOf);
  const producer = new Map<string, number>();
  layers.forEach((l, i) => { for (const name of l.activationOutputs) producer.set(name, i); });
  // Free ops are views: their output is their input under another name.
  const alias = new Map<string, string>();
  const resolve = (name: string): string => alias.get(name) ?? name;
  layers.forEach((l, i) => {
    if (classes[i] !== 'none' || l.activationInputs.length !== 1) return;
    const source = resolve(l.activationInputs[0]!);
    for (const out of l.activationOutputs) alias.set(out, source);
  });
  // Readers of each tensor among the layers that run a kernel, through views.
  const readers = new Map<string, number>();
  layers.forEach((l, i) => {
    if (classes[i] === 'none') return;
    for (const name of l.activationInputs) readers.set(resolve(name), (readers.get(resolve(name)) ?? 0) + 1);
  });

  const group = layers.map((_, i) => i); // union-find parent
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i]!)));
  const anchor = new Map<number, KernelClass>(); // root -> matrix class of the group, if any
  layers.forEach((_, i) => { if (MATRIX.has(classes[i]!)) anchor.set(i, classes[i]!); });
  const join = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const cls = anchor.get(ra) ?? anchor.get(rb);
    group[rb] = ra;
    if (cls !== undefined) anchor.set(ra, cls);
  };

  layers.forEach((layer, i) => {
    const cls = classes[i]!;
    if (cls === 'none' || layer.confidence === 'unknown') return;
    for (const input of layer.activationInputs) {
      const source = resolve(input);
      const p = producer.get(source);
      if (p === undefined || p >= i || classes[p] === 'none' || layers[p]!.confidence === 'unknown') continue;
      if (readers.get(source) !== 1) continue; // another reader needs it in memory
      if (fuses(layers[p]!, classes[p]!, layer, cls, runtime, anchor.has(find(p)), anchor.has(find(i)))) join(p, i);
    }
  });

  const members = new Map<number, number[]>();
  layers.forEach((_, i) => {
    const root = find(i);
    if (!members.has(root)) members.set(root, []);
    members.get(root)!.push(i);
  });
  const kernels: (Kernel | undefined)[] = [];
  const launches: boolean[] = [];
  const executed: LayerCost[] = [];
  // One kernel object and one member set per group, shared by its layers (groups can be long chains).
  const shared = new Map<number, { kernel: Kernel; set: ReadonlySet<number> }>();
  layers.forEach((layer, i) => {
    const root = find(i);
    const ids = members.get(root)!;
    let group = shared.get(root);
    if (group === undefined) {
      const kernelClass: KernelClass = anchor.get(root) ?? classes[root]!;
      group = { kernel: { id: `k${root}`, kernelClass, members: ids.map((j) => layers[j]!.name) }, set: new Set(ids) };
      shared.set(root, group);
    }
    const free = classes[i] === 'none';
    const kernel = free ? { ...group.kernel, kernelClass: 'none' } : group.kernel;
    kernels.push(layer.confidence === 'unknown' ? undefined : kernel);
    launches.push(!free && ids[0] === i);
    executed.push(asExecuted(layer, classes[i]!, group.set, producer, readers, alias, layers, find, root));
  });
  return { kernels, classes, launches, layers: executed };
}

function fuses(p: LayerCost, pc: KernelClass, c: LayerCost, cc: KernelClass, runtime: Runtime, pAnchored: boolean, cAnchored: boolean): boolean {
  if (pAnchored && cAnchored) return false; // one matrix kernel per group
  // A DequantizeLinear belongs to the integer kernel it feeds, never to the kernel before it:
  // the quantized tensor between them is what goes to memory.
  if (c.opType === 'DequantizeLinear') return false;
  // Epilogue: the consumer is a pointwise op on the matrix kernel's output.
  if (pAnchored && cc === 'elementwise' && EPILOGUE[runtime].has(c.opType)) return true;
  // QDQ: a DequantizeLinear on an activation is folded into the integer kernel that reads it.
  if (p.opType === 'DequantizeLinear' && MATRIX.has(cc)) return true;
  // Elementwise chains: GPU runtimes (TensorRT, torch.compile, ORT CUDA) generate one pointwise kernel.
  return runtime === 'gpu' && pc === 'elementwise' && cc === 'elementwise';
}

/** Bytes of one activation tensor as its producer wrote it. */
function tensorBytes(name: string, producer: ReadonlyMap<string, number>, layers: readonly LayerCost[]): number | undefined {
  const p = producer.get(name);
  if (p === undefined) return undefined;
  const l = layers[p]!;
  return l.activationOutputs.length > 0 ? l.bytes.outputs / l.activationOutputs.length : undefined;
}

function asExecuted(
  layer: LayerCost, cls: KernelClass, group: ReadonlySet<number>, producer: ReadonlyMap<string, number>,
  readers: ReadonlyMap<string, number>, alias: ReadonlyMap<string, string>, layers: readonly LayerCost[],
  find: (i: number) => number, root: number,
): LayerCost {
  if (layer.confidence === 'unknown') return { ...layer, activationInputs: layer.activationInputs.map((n) => alias.get(n) ?? n) };
  if (cls === 'none') {
    return { ...layer, flops: { mac: 0, elementwise: 0, transcendental: 0 }, bytes: { weights: layer.bytes.weights, inputs: 0, outputs: 0 }, activationInputs: [], activationOutputs: [] };
  }
  let inputs = layer.bytes.inputs;
  const externalInputs: string[] = [];
  for (const name of layer.activationInputs) {
    const source = alias.get(name) ?? name;
    const p = producer.get(source);
    if (p !== undefined && group.has(p) && find(p) === root) {
      inputs -= Math.min(inputs, tensorBytes(source, producer, layers) ?? 0);
    } else externalInputs.push(source);
  }
  let outputs = layer.bytes.outputs;
  const externalOutputs: string[] = [];
  const share = layer.activationOutputs.length > 0 ? layer.bytes.outputs / layer.activationOutputs.length : 0;
  for (const name of layer.activationOutputs) {
    const insideOnly = readers.get(name) === 1 && consumedInside(name, group, layers, alias);
    if (insideOnly) outputs -= share;
    else externalOutputs.push(name);
  }
  return { ...layer, bytes: { weights: layer.bytes.weights, inputs: Math.max(0, inputs), outputs: Math.max(0, outputs) }, activationInputs: externalInputs, activationOutputs: externalOutputs };
}

function consumedInside(name: string, group: ReadonlySet<number>, layers: readonly LayerCost[], alias: ReadonlyMap<string, string>): boolean {
  for (const j of group) if (layers[j]!.activationInputs.some((n) => (alias.get(n) ?? n) === name)) return true;
  return false;
}
