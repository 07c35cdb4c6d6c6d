/**
 * Follows tensors through code: PyTorch forward()/Keras call() bodies and the Keras functional API.
 * A tensor carries its shape (or why it is unknown) and the layers it went through; applying a layer
 * records the layer's input/output shapes and MACs on its record.
 */
import type { SyntaxNode } from '@lezer/common';
import { evaluate, isUnresolved, type PyValue, type Scope } from './evaluate';
import { qualifiedName } from './imports';
import { lineageOf, NO_LINEAGE, type Lineage } from './lineage';
import { LayerArgumentError, ShapeMismatchError } from './layerArgs';
import type { Binding, ContainerRecord, LayerRecord } from './records';
import { kerasInputShape, NEEDS_INPUT_SHAPE, type SourceContext } from './registry';
import { callArguments, children, dottedName, sequenceElements } from './syntax';
import { broadcast, joinShapes, takesTensorOperand, tensorOpShape, type OpArguments, type OpValue } from './torchOps';
import type { Shape } from './types';

export interface TensorValue {
  readonly shape?: Shape;
  /** Why the shape is unknown. */
  readonly reason?: string;
  readonly id: string;
  /** Layers this tensor went through (functional Keras models are the layers their outputs depend on). */
  readonly layers: Lineage;
  /** Tuple results (LSTM, MultiheadAttention) expose their parts. */
  readonly parts?: readonly TensorValue[];
}

/** PyTorch layers whose call returns a tuple whose first element is the output. */
const TUPLE_RESULTS = new Set(['LSTM', 'GRU', 'RNN', 'MultiheadAttention']);

export class TensorEvaluator {
  private nextId = 0;

  constructor(
    private readonly ctx: SourceContext,
    private readonly scope: Scope,
    readonly tensors: Map<string, TensorValue>,
    private readonly prefix: string,
  ) {}

  newTensor(shape: Shape | undefined, reason: string | undefined, layers: Lineage): TensorValue {
    return { shape, reason: shape ? undefined : reason, id: `${this.prefix}#${this.nextId++}`, layers };
  }

  /** The tensor an expression produces, or undefined when it is not a tensor expression. */
  evaluate(node: SyntaxNode): TensorValue | undefined {
    switch (node.name) {
      case 'VariableName':
        return this.tensors.get(this.ctx.slice(node));
      case 'ParenthesizedExpression': {
        const inner = sequenceElements(node);
        return inner.length === 1 ? this.evaluate(inner[0]!) : undefined;
      }
      case 'CallExpression':
        return this.evaluateCall(node);
      case 'BinaryExpression':
        return this.evaluateBinary(node);
      case 'MemberExpression':
        return this.evaluateSubscript(node);
      default:
        return this.unknownIfTensorInside(node);
    }
  }

  /** A number computed from tensor sizes (`x.size(0)`, `x.shape[1] * 2`) or constants. */
  number(node: SyntaxNode): number | undefined {
    if (node.name === 'CallExpression' || node.name === 'MemberExpression') {
      const dims = this.sizeOf(node);
      if (typeof dims === 'number') return dims;
    }
    if (node.name === 'BinaryExpression') {
      const [left, op, right] = children(node);
      // A syntax error can leave the expression without an operand.
      if (!left || !op || !right) return undefined;
      const a = this.number(left);
      const b = this.number(right);
      if (a === undefined || b === undefined) return undefined;
      const operator = this.ctx.slice(op);
      return operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : operator === '//' ? Math.floor(a / b) : undefined;
    }
    const value = evaluate(node, this.ctx.text, this.scope);
    return typeof value === 'number' ? value : undefined;
  }

  /** `x.size()` / `x.shape` (a list of dims) or `x.size(i)` / `x.shape[i]` (one dim). */
  sizeOf(node: SyntaxNode): number | readonly number[] | undefined {
    if (this.tensors.size === 0 || (node.name !== 'CallExpression' && node.name !== 'MemberExpression')) return undefined;
    const parts = children(node);
    const [first, second, third] = parts;
    if (node.name === 'CallExpression' && first?.name === 'MemberExpression') {
      const [object, , property] = children(first);
      if (!property || this.ctx.slice(property) !== 'size') return undefined;
      const shape = object ? this.evaluate(object)?.shape : undefined;
      if (!shape) return undefined;
      if (!second) return undefined;
      const index = sequenceElements(second);
      if (index.length === 0) return shape;
      const i = this.number(index[0]!);
      return i === undefined ? undefined : shape[i < 0 ? shape.length + i : i];
    }
    if (node.name === 'MemberExpression') {
      if (!first) return undefined;
      if (second?.name === '.' && third && this.ctx.slice(third) === 'shape') return this.evaluate(first)?.shape;
      if (second?.name === '[' && first.name === 'MemberExpression') {
        const shape = this.sizeOf(first);
        const i = third ? this.number(third) : undefined;
        if (Array.isArray(shape) && i !== undefined) return shape[i < 0 ? shape.length + i : i];
      }
    }
    return undefined;
  }

  private unknownIfTensorInside(node: SyntaxNode): TensorValue | undefined {
    if (node.name === 'VariableName') return this.tensors.get(this.ctx.slice(node));
    if (this.tensors.size === 0) return undefined;
    const found: TensorValue[] = [];
    const cursor = node.cursor();
    const end = node.to;
    while (cursor.next() && cursor.from < end) {
      if (cursor.name !== 'VariableName') continue;
      const tensor = this.tensors.get(this.ctx.text.slice(cursor.from, cursor.to));
      if (tensor) found.push(tensor);
    }
    if (found.length === 0) return undefined;
    return this.newTensor(undefined, `line ${this.ctx.line(node)}: cannot follow \`${clip(this.ctx.slice(node))}\``, mergeLayers(found));
  }

  private evaluateBinary(node: SyntaxNode): TensorValue | undefined {
    const [left, op, right] = children(node);
    const a = left ? this.evaluate(left) : undefined;
    const b = right ? this.evaluate(right) : undefined;
    if (!a && !b) return undefined;
    const operator = op ? this.ctx.slice(op) : '';
    const layers = mergeLayers([a, b]);
    if (!['+', '-', '*', '/'].includes(operator)) return this.newTensor(undefined, `line ${this.ctx.line(node)}: operator ${operator} is not followed`, layers);
    if (a && b) {
      if (!a.shape || !b.shape) return this.newTensor(undefined, a.reason ?? b.reason, layers);
      return this.guard(node, layers, () => broadcast(a.shape as Shape, b.shape as Shape));
    }
    const tensor = (a ?? b) as TensorValue;
    return tensor.shape ? this.newTensor(tensor.shape, undefined, layers) : tensor;
  }

  /** `out[0]` of a tuple, `x[:, -1, :]` and `x[:, 0]` slices. */
  private evaluateSubscript(node: SyntaxNode): TensorValue | undefined {
    const parts = children(node);
    const [object, bracket] = parts;
    if (!object || bracket?.name !== '[') return this.unknownIfTensorInside(node);
    const base = this.evaluate(object);
    if (!base) return undefined;
    const inner = parts.slice(2, -1);
    if (base.parts) {
      const index = inner.length === 1 ? this.number(inner[0]!) : undefined;
      const part = index === undefined ? undefined : base.parts[index];
      return part ?? this.newTensor(undefined, `line ${this.ctx.line(node)}: cannot index the tuple`, base.layers);
    }
    if (!base.shape) return base;
    // Split the index list at commas: each entry is a bare slice (keeps the dim) or an integer (drops it).
    const entries: SyntaxNode[][] = [[]];
    for (const part of inner) {
      if (part.name === ',') entries.push([]);
      else entries[entries.length - 1]!.push(part);
    }
    const out: number[] = [];
    for (let i = 0; i < base.shape.length; i++) {
      const entry = entries[i];
      if (!entry || (entry.length === 1 && entry[0]!.name === ':')) {
        out.push(base.shape[i]!);
        continue;
      }
      if (entry.length === 1 && this.number(entry[0]!) !== undefined) continue;
      return this.newTensor(undefined, `line ${this.ctx.line(node)}: slice \`${clip(this.ctx.slice(node))}\` is not followed`, base.layers);
    }
    return this.newTensor(out, undefined, base.layers);
  }

  private evaluateCall(node: SyntaxNode): TensorValue | undefined {
    const callee = node.firstChild as SyntaxNode;
    const argList = node.lastChild as SyntaxNode;
    // layers.Dense(10)(x): construction applied at once.
    if (callee.name === 'CallExpression') {
      // A layer (or custom Layer class) built and applied at once is a submodule of the model.
      this.ctx.submoduleContext++;
      const binding = this.ctx.register(callee, this.scope, undefined);
      this.ctx.submoduleContext--;
      if (binding?.kind === 'layer') return this.applyLayer(binding.index, this.tensorArguments(argList), node);
    }
    const dotted = dottedName(callee, this.ctx.text);
    const binding = dotted !== undefined ? this.scope.object(dotted) : undefined;
    if (binding) return this.applyBinding(binding, this.tensorArguments(argList), node);
    const symbol = this.ctx.symbolOf(node);
    if (symbol?.framework === 'keras' && symbol.name === 'Input') {
      const shape = kerasInputShape(node, this.ctx.text, this.scope);
      return this.newTensor(shape, `line ${this.ctx.line(node)}: the Input shape has an unknown (None) dimension`, NO_LINEAGE);
    }
    if (callee.name === 'MemberExpression') {
      const [object, dot, property] = children(callee);
      const receiver = object && dot?.name === '.' ? this.evaluate(object) : undefined;
      if (receiver && property) return this.applyOp(this.ctx.slice(property), receiver, argList, node, false);
    }
    const qualified = dotted !== undefined ? qualifiedName(callee, this.ctx.text, this.ctx.imports) : undefined;
    if (qualified && (qualified.startsWith('torch.') || qualified.startsWith('tf.') || qualified.startsWith('keras.ops.'))) {
      const name = qualified.slice(qualified.lastIndexOf('.') + 1);
      if (name === 'cat' || name === 'stack' || name === 'concat' || name === 'concatenate') return this.join(name, argList, node);
      const first = sequenceElements(argList)[0];
      const tensor = first ? this.evaluate(first) : undefined;
      if (tensor) return this.applyOp(name, tensor, argList, node, true);
    }
    return this.unknownIfTensorInside(node);
  }

  private tensorArguments(argList: SyntaxNode): TensorValue[] {
    const parsed = callArguments(argList, this.ctx.text);
    const [only] = parsed.positional;
    const nodes = parsed.positional.length === 1 && only?.name === 'ArrayExpression'
      ? sequenceElements(only)
      : [...parsed.positional, ...[...parsed.keywords.entries()].filter(([name]) => name === 'memory' || name === 'value' || name === 'key').map(([, value]) => value)];
    return nodes.map((arg) => this.evaluate(arg)).filter((t): t is TensorValue => t !== undefined);
  }

  applyBinding(binding: Binding, inputs: readonly TensorValue[], node: SyntaxNode): TensorValue {
    if (binding.kind === 'layer') return this.applyLayer(binding.index, inputs, node);
    if (binding.kind === 'container') return this.applyContainer(binding.container, inputs, node);
    return this.newTensor(undefined, `line ${this.ctx.line(node)}: custom module ${binding.className} is not followed`, mergeLayers(inputs));
  }

  applyContainer(container: ContainerRecord, inputs: readonly TensorValue[], node: SyntaxNode): TensorValue {
    if (container.kind === 'list') return this.newTensor(undefined, `line ${this.ctx.line(node)}: a ModuleList is not callable`, mergeLayers(inputs));
    let current = inputs[0] ?? this.newTensor(undefined, 'no input', NO_LINEAGE);
    for (const member of container.members) {
      if (member.kind === 'opaque') {
        this.markUnreached(container, member.reason);
        return this.newTensor(undefined, member.reason, current.layers);
      }
      if (!this.ctx.budget.spend()) return this.newTensor(undefined, 'forward tracing budget exhausted', current.layers);
      current = member.kind === 'layer' ? this.applyLayer(member.index, [current], node) : this.applyContainer(member.container, [current], node);
      const first = current.parts?.[0];
      if (first) current = first;
    }
    return current;
  }

  private markUnreached(container: ContainerRecord, reason: string): void {
    for (const member of container.members) {
      if (member.kind !== 'layer') continue;
      const layer = this.ctx.layers[member.index]!;
      if (!layer.usage) layer.shapeNote ??= reason;
    }
  }

  applyLayer(index: number, inputs: readonly TensorValue[], node: SyntaxNode): TensorValue {
    // Layer indices come from ctx.register, which appends to ctx.layers.
    const layer = this.ctx.layers[index]!;
    const layers = lineageOf(inputs.map((t) => t.layers), index);
    const missing = inputs.length === 0 ? 'no input tensor' : inputs.find((t) => !t.shape)?.reason;
    if (missing !== undefined || !layer.rule || !layer.args) {
      const reason = missing ?? layer.notes[0] ?? 'no cost rule';
      layer.shapeNote ??= reason;
      return this.newTensor(undefined, reason, layers);
    }
    const shapes = inputs.map((t) => t.shape as Shape);
    try {
      const facts = layer.rule.describe(layer.args, shapes);
      if (!facts.output) throw new ShapeMismatchError(facts.note ?? `${layer.kind} gives no output shape`);
      if (facts.params !== undefined && layer.params === undefined) {
        layer.params = facts.params;
        layer.notes = layer.notes.filter((note) => note !== NEEDS_INPUT_SHAPE);
      }
      if (facts.buffers !== undefined) layer.buffers = facts.buffers;
      const output = this.newTensor(facts.output, undefined, layers);
      recordUsage(layer, shapes, facts, inputs.map((t) => t.id), output.id);
      if (layer.framework === 'pytorch' && TUPLE_RESULTS.has(layer.kind)) {
        return { ...output, parts: [output, this.newTensor(undefined, `${layer.kind} state/weights are not followed`, layers)] };
      }
      return output;
    } catch (error) {
      if (!(error instanceof ShapeMismatchError || error instanceof LayerArgumentError)) throw error;
      const reason = `line ${this.ctx.line(node)}: ${error.message}`;
      layer.shapeNote ??= reason;
      return this.newTensor(undefined, reason, layers);
    }
  }

  private applyOp(name: string, receiver: TensorValue, argList: SyntaxNode, node: SyntaxNode, receiverIsFirstArg: boolean): TensorValue {
    if (!receiver.shape) return receiver;
    const parsed = callArguments(argList, this.ctx.text);
    const positionalNodes = receiverIsFirstArg ? parsed.positional.slice(1) : parsed.positional;
    // Only elementwise binary ops take a second tensor; evaluating every argument as a tensor would
    // also walk `x.size(0)` in view() as an op call.
    const others = takesTensorOperand(name)
      ? positionalNodes.map((arg) => this.evaluate(arg)?.shape).filter((s): s is Shape => s !== undefined)
      : [];
    const args: OpArguments = {
      positional: positionalNodes.map((arg) => this.opValue(arg)),
      keywords: new Map([...parsed.keywords].map(([key, value]) => [key, this.opValue(value)])),
    };
    const input = receiver.shape;
    return this.guard(node, receiver.layers, () => {
      const shape = tensorOpShape(name, input, args, others);
      if (!shape) throw new ShapeMismatchError(`\`${name}\` is not followed`);
      return shape;
    });
  }

  private opValue(node: SyntaxNode): OpValue {
    const dims = this.sizeOf(node);
    if (dims !== undefined) return dims;
    if (node.name === 'TupleExpression' || node.name === 'ArrayExpression') {
      const values = sequenceElements(node).map((element) => this.number(element) ?? null);
      return values;
    }
    const numeric = this.number(node);
    if (numeric !== undefined) return numeric;
    const value: PyValue = evaluate(node, this.ctx.text, this.scope);
    return isUnresolved(value) || typeof value === 'object' ? undefined : value;
  }

  private join(name: string, argList: SyntaxNode, node: SyntaxNode): TensorValue | undefined {
    const parsed = callArguments(argList, this.ctx.text);
    const list = parsed.positional[0];
    const tensors = list ? sequenceElements(list).map((element) => this.evaluate(element)) : [];
    if (tensors.length === 0 || tensors.some((t) => !t)) return this.unknownIfTensorInside(node);
    const known = tensors as TensorValue[];
    const layers = mergeLayers(known);
    const unknown = known.find((t) => !t.shape);
    if (unknown) return this.newTensor(undefined, unknown.reason, layers);
    const dimNode = parsed.keywords.get('dim') ?? parsed.keywords.get('axis') ?? parsed.positional[1];
    const dim = dimNode ? this.number(dimNode) : name === 'concatenate' || name === 'concat' ? -1 : 0;
    if (dim === undefined) return this.newTensor(undefined, `line ${this.ctx.line(node)}: unknown dim`, layers);
    return this.guard(node, layers, () => joinShapes(name === 'stack' ? 'stack' : 'cat', known.map((t) => t.shape as Shape), dim));
  }

  private guard(node: SyntaxNode, layers: Lineage, compute: () => Shape): TensorValue {
    try {
      return this.newTensor(compute(), undefined, layers);
    } catch (error) {
      if (!(error instanceof ShapeMismatchError)) throw error;
      return this.newTensor(undefined, `line ${this.ctx.line(node)}: ${error.message}`, layers);
    }
  }
}

function recordUsage(layer: LayerRecord, shapes: readonly Shape[], facts: ReturnType<NonNullable<LayerRecord['rule']>['describe']>, inputIds: string[], outputId: string): void {
  const inputElements = shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
  const outputElements = (facts.output as Shape).reduce((a, b) => a * b, 1);
  const usage = layer.usage;
  if (!usage) {
    layer.usage = {
      // applyLayer returns before describing a layer called without inputs.
      calls: 1, inputShape: shapes[0]!, extraInputShapes: shapes.slice(1), outputShape: facts.output as Shape,
      macs: facts.macs ?? 0, elementwise: facts.elementwise ?? 0, transcendental: facts.transcendental ?? 0,
      inputElements, outputElements, weightsRead: facts.weightsRead, gemm: facts.gemm, inputIds, outputIds: [outputId], note: facts.note,
    };
    return;
  }
  usage.calls += 1;
  usage.macs += facts.macs ?? 0;
  usage.elementwise += facts.elementwise ?? 0;
  usage.transcendental += facts.transcendental ?? 0;
  usage.inputElements += inputElements;
  usage.outputElements += outputElements;
  if (usage.weightsRead !== undefined && facts.weightsRead !== undefined) usage.weightsRead += facts.weightsRead;
  usage.inputIds.push(...inputIds);
  usage.outputIds.push(outputId);
}

function mergeLayers(tensors: readonly (TensorValue | undefined)[]): Lineage {
  return lineageOf(tensors.map((t) => t?.layers));
}

function clip(source: string): string {
  const flat = source.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
