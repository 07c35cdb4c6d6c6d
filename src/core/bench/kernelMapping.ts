/**
 * Which layers of the model each onnxruntime kernel executes. onnxruntime optimizes the graph before
 * it runs it: it folds BatchNorm into Conv, fuses activations and residual Adds into the kernel that
 * produces their input, rewrites convolutions to a blocked layout (`…_nchwc` nodes joined by
 * `reorder_token_N` tensors) and names the result after one of the original tensors. A name match
 * pins a whole Conv+BN+Add+ReLU kernel on the BatchNorm or the ReLU. Here the optimized graph that
 * onnxruntime writes for the same session options is read back and mapped onto the original graph
 * through tensors:
 *
 * 1. Each optimized node gets its anchors: the original node its name names (`X`, or the producer of
 *    the tensor `X` for `X_nchwc`), and the producers of its outputs that kept their original names.
 * 2. Its inputs are translated to original tensors (layout reorders pass their input through;
 *    an earlier kernel's output is the last tensor of that kernel's layers).
 * 3. Its layers are the anchors, every unclaimed producer between them and its inputs (the Conv under
 *    a folded BatchNorm), and the epilogue ops after them whose inputs all come from the kernel or its
 *    inputs (bias Add, residual Add, activation), unless another kernel is named after them or after
 *    an epilogue they feed.
 *
 * Optimized nodes with no anchor (runtime-inserted layout reorders, renamed fusions) cover nothing:
 * their time is shown unmapped rather than guessed onto a layer.
 */
import type { Graph, Node } from '../graph/ir';

/** Ops onnxruntime fuses into the kernel whose output they take (epilogues). */
const EPILOGUE_OPS = new Set([
  'Add', 'Sum', 'Sub', 'Mul', 'Div', 'BatchNormalization',
  'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Gelu', 'FastGelu', 'Erf', 'Softplus', 'Elu', 'Selu',
]);

/** Nodes that only change the memory layout of a tensor, inserted by onnxruntime's layout rewrites. */
const LAYOUT_OPS = new Set(['ReorderInput', 'ReorderOutput']);
const RUNTIME_SUFFIXES = ['_nchwc'];

/** Optimized node name -> the original layers it executes, in the original graph's order. */
export type KernelLayers = ReadonlyMap<string, readonly string[]>;

interface OriginalIndex {
  readonly order: ReadonlyMap<Node, number>;
  readonly producer: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, readonly Node[]>;
  readonly byName: ReadonlyMap<string, Node>;
  /** Tensors that hold weights or constants, not activations. */
  readonly constant: ReadonlySet<string>;
  readonly tensors: ReadonlySet<string>;
}

function indexOriginal(graph: Graph): OriginalIndex {
  const order = new Map<Node, number>();
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  const byName = new Map<string, Node>();
  const constant = new Set(graph.initializers);
  const tensors = new Set([...graph.inputs, ...graph.initializers]);
  graph.nodes.forEach((node, i) => {
    order.set(node, i);
    if (node.name !== '') byName.set(node.name, node);
    for (const input of node.inputs) {
      if (input === '') continue;
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
    for (const output of node.outputs) {
      if (output === '') continue;
      producer.set(output, node);
      tensors.add(output);
      if (node.opType === 'Constant') constant.add(output);
    }
  });
  return { order, producer, consumers, byName, constant, tensors };
}

function anchorsOf(kernel: Node, original: OriginalIndex): Node[] {
  const anchors = new Set<Node>();
  const names = [kernel.name, ...RUNTIME_SUFFIXES.filter((s) => kernel.name.endsWith(s)).map((s) => kernel.name.slice(0, -s.length))];
  for (const name of names) {
    const node = original.byName.get(name) ?? original.producer.get(name);
    if (node) anchors.add(node);
  }
  for (const output of kernel.outputs) {
    const node = original.producer.get(output);
    if (node) anchors.add(node);
  }
  return [...anchors];
}

/**
 * Whether a chain of epilogue ops from `node` reaches a node another kernel is named after: then the
 * chain is that kernel's (a BiasGelu kernel named after the last Mul of Add-Div-Erf-Add-Mul), not an
 * epilogue of the kernel before it.
 */
function feedsAnchor(node: Node, index: OriginalIndex, anchors: ReadonlySet<Node>, depth = 8): boolean {
  let frontier = [node];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: Node[] = [];
    for (const n of frontier) {
      for (const output of n.outputs) {
        for (const consumer of index.consumers.get(output) ?? []) {
          if (!EPILOGUE_OPS.has(consumer.opType)) continue;
          if (anchors.has(consumer)) return true;
          next.push(consumer);
        }
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * Maps every node of `optimized` (onnxruntime's optimized graph of `original`) to the original layers
 * it executes. Each original layer belongs to at most one kernel.
 */
export function mapKernelsToLayers(original: Graph, optimized: Graph): KernelLayers {
  const index = indexOriginal(original);
  const anchorsByKernel = new Map(optimized.nodes.map((k) => [k, LAYOUT_OPS.has(k.opType) ? [] : anchorsOf(k, index)]));
  const namedElsewhere = new Set([...anchorsByKernel.values()].flat());
  const claimed = new Map<Node, Node>(); // original node -> kernel
  // Optimized tensor -> the original tensor it holds (same values, maybe another layout).
  const asOriginal = new Map<string, string>();
  const translate = (tensor: string): string | undefined => asOriginal.get(tensor) ?? (index.tensors.has(tensor) ? tensor : undefined);
  const result = new Map<string, readonly string[]>();

  for (const kernel of optimized.nodes) {
    const inputs = new Set(kernel.inputs.map(translate).filter((t): t is string => t !== undefined && !index.constant.has(t)));
    if (LAYOUT_OPS.has(kernel.opType)) {
      const source = kernel.inputs[0] === undefined ? undefined : translate(kernel.inputs[0]);
      for (const output of kernel.outputs) if (source !== undefined) asOriginal.set(output, source);
      result.set(kernel.name, []);
      continue;
    }
    const cover = new Set<Node>();
    const take = (node: Node): boolean => {
      if (cover.has(node) || claimed.has(node)) return false;
      cover.add(node);
      return true;
    };
    // Upstream: what the anchors need that the kernel does not receive as an input.
    const stack = [...(anchorsByKernel.get(kernel) ?? [])].filter(take);
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      for (const input of node.inputs) {
        if (input === '' || inputs.has(input) || index.constant.has(input)) continue;
        const producer = index.producer.get(input);
        if (producer && !namedElsewhere.has(producer) && take(producer)) stack.push(producer);
      }
    }
    // Downstream: epilogues fed only by the kernel's layers and its inputs.
    const produced = (): Set<string> => new Set([...cover].flatMap((n) => n.outputs));
    for (let grew = cover.size > 0; grew; ) {
      grew = false;
      const available = produced();
      for (const tensor of available) {
        for (const consumer of index.consumers.get(tensor) ?? []) {
          if (!EPILOGUE_OPS.has(consumer.opType) || namedElsewhere.has(consumer) || cover.has(consumer) || claimed.has(consumer)) continue;
          if (feedsAnchor(consumer, index, namedElsewhere)) continue;
          const fed = consumer.inputs.every((t) => t === '' || available.has(t) || inputs.has(t) || index.constant.has(t));
          if (fed && take(consumer)) grew = true;
        }
      }
    }
    const layers = [...cover].sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
    for (const node of layers) claimed.set(node, kernel);
    // The kernel's (renamed) output holds the last layer's output.
    const last = layers.at(-1);
    if (last && kernel.outputs.length === 1 && last.outputs.length === 1 && kernel.outputs[0] !== undefined && last.outputs[0] !== undefined) {
      asOriginal.set(kernel.outputs[0], last.outputs[0]);
    }
    result.set(kernel.name, layers.map((n) => n.name));
  }
  return result;
}
