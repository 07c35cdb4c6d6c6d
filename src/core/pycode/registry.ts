/**
 * Recognises layer constructions and containers (nn.Sequential, nn.ModuleList, keras.Sequential) in an
 * expression, binds their arguments in the current scope and records them once each.
 */
import type { SyntaxNode } from '@lezer/common';
import { evaluate, isUnresolved, unresolved, type PyValue, type Scope } from './evaluate';
import { frameworkSymbol, qualifiedName, type FrameworkSymbol, type ImportTable } from './imports';
import { kerasLayerRule } from './kerasLayers';
import { LayerArgs, LayerArgumentError, ShapeMismatchError } from './layerArgs';
import type { LayerRule } from './layerRule';
import { MAX_REPEATED_COPIES, TraceBudget } from './limits';
import type { Binding, ContainerRecord, LayerRecord } from './records';
import { callArguments, dottedName, LineIndex, sequenceElements } from './syntax';
import { torchLayerRule } from './torchLayers';
import type { Shape, SourceFramework, SourceWarning } from './types';
import { WRAPPED_ARGUMENT, wrapperRule } from './wrappers';

/** torch.nn / keras.layers names that are not layers themselves. */
const NOT_LAYERS = new Set(['Module', 'Parameter', 'ModuleDict', 'ParameterList', 'ParameterDict', 'Layer', 'InputSpec', 'Input', 'InputLayer', 'Sequential', 'ModuleList', 'Model', 'Wrapper']);

/** Keras layers learn their input size at build time. */
export const NEEDS_INPUT_SHAPE = 'parameters need the input shape';

/** Local nn.Module / Keras Layer classes, priced as one layer per instantiation (customModules.ts). */
export interface ModuleClassHook {
  isModuleClass(name: string): boolean;
  /** Undefined when the class is unknown or nesting is too deep. */
  rule(name: string): { readonly rule: LayerRule; readonly framework: SourceFramework } | undefined;
}

export class SourceContext {
  moduleClasses?: ModuleClassHook;
  /**
   * > 0 while walking a class body or a container's members: only there is an instance of a custom
   * module a submodule (at module level, `model = SmallCNN()` is the model itself, not a layer).
   */
  submoduleContext = 0;
  readonly lines: LineIndex;
  readonly layers: LayerRecord[] = [];
  readonly containers: ContainerRecord[] = [];
  /** Containers held by another container: they are part of that model, not models of their own. */
  readonly nestedContainers = new Set<ContainerRecord>();
  readonly warnings: SourceWarning[] = [];
  private readonly layerAt = new Map<number, number>();
  private readonly containerAt = new Map<number, ContainerRecord>();
  private readonly symbols = new Map<number, FrameworkSymbol | null>();

  constructor(
    readonly text: string,
    readonly imports: ImportTable,
    readonly defaultDtypeBytes: number,
    /** Shared with the contexts of the custom modules this file instantiates. */
    readonly budget: TraceBudget = new TraceBudget(),
  ) {
    this.lines = new LineIndex(text);
  }

  slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  line(node: SyntaxNode): number {
    return this.lines.position(node.from).line + 1;
  }

  warn(node: SyntaxNode, message: string): void {
    this.warnings.push({ range: this.lines.range(node.from, node.to), message });
  }

  symbolOf(call: SyntaxNode): FrameworkSymbol | undefined {
    const key = nodeKey(call);
    const known = this.symbols.get(key);
    if (known !== undefined) return known ?? undefined;
    const symbol = this.resolveSymbol(call);
    this.symbols.set(key, symbol ?? null);
    return symbol;
  }

  private resolveSymbol(call: SyntaxNode): FrameworkSymbol | undefined {
    const callee = call.firstChild;
    if (!callee || (callee.name !== 'VariableName' && callee.name !== 'MemberExpression')) return undefined;
    const qualified = qualifiedName(callee, this.text, this.imports);
    return qualified === undefined ? undefined : frameworkSymbol(qualified);
  }

  /** The layer kind when `call` constructs a framework layer. */
  layerSymbol(call: SyntaxNode): FrameworkSymbol | undefined {
    if (call.name !== 'CallExpression') return undefined;
    const symbol = this.symbolOf(call);
    if (!symbol || symbol.namespace !== 'layers' || NOT_LAYERS.has(symbol.name)) return undefined;
    const first = symbol.name.charCodeAt(0);
    return first >= 65 && first <= 90 ? symbol : undefined;
  }

  /**
   * Registers what `node` constructs (layer, container, custom module), naming it `variable`, and any
   * constructions nested inside other expressions. Returns what the expression evaluates to.
   */
  register(node: SyntaxNode, scope: Scope, variable: string | undefined): Binding | undefined {
    if (node.name === 'CallExpression') {
      const layerSymbol = this.layerSymbol(node);
      if (layerSymbol) return { kind: 'layer', index: this.registerLayer(node, layerSymbol, scope, variable) };
      const symbol = this.symbolOf(node);
      if (symbol && (symbol.name === 'Sequential' || symbol.name === 'ModuleList')) {
        return { kind: 'container', container: this.registerContainer(node, symbol, scope, variable) };
      }
      const callee = node.firstChild;
      const className = callee?.name === 'VariableName' ? this.slice(callee) : '';
      if (className && this.submoduleContext > 0 && this.moduleClasses?.isModuleClass(className)) {
        const custom = this.moduleClasses.rule(className);
        if (custom) {
          const symbol: FrameworkSymbol = { framework: custom.framework, namespace: 'layers', name: className };
          return { kind: 'layer', index: this.registerLayer(node, symbol, scope, variable, custom.rule) };
        }
        this.registerNested(node, scope);
        return { kind: 'custom', className };
      }
    }
    this.registerNested(node, scope);
    return undefined;
  }

  /** Finds constructions anywhere inside `node` (e.g. `layers.Dense(10)(x)`), skipping known ones. */
  private registerNested(node: SyntaxNode, scope: Scope): void {
    // No parenthesis, no call. A cursor walk allocates a node object only for calls.
    const paren = this.text.indexOf('(', node.from);
    if (paren < 0 || paren >= node.to) return;
    const cursor = node.cursor();
    if (!cursor.firstChild()) return;
    let depth = 1;
    for (;;) {
      let descend = true;
      if (cursor.name === 'CallExpression') {
        const call = cursor.node;
        if (this.layerSymbol(call) || this.isContainerCall(call)) {
          descend = false;
          const key = nodeKey(call);
          if (!this.layerAt.has(key) && !this.containerAt.has(key)) this.register(call, scope, undefined);
        }
      }
      if (descend && cursor.firstChild()) {
        depth++;
        continue;
      }
      while (!cursor.nextSibling()) {
        cursor.parent();
        if (--depth === 0) return;
      }
    }
  }

  private isContainerCall(call: SyntaxNode): boolean {
    const symbol = this.symbolOf(call);
    return symbol !== undefined && (symbol.name === 'Sequential' || symbol.name === 'ModuleList');
  }

  registerLayer(call: SyntaxNode, symbol: FrameworkSymbol, scope: Scope, variable: string | undefined, customRule?: LayerRule): number {
    const known = this.layerAt.get(nodeKey(call));
    if (known !== undefined) return known;
    const argList = call.lastChild as SyntaxNode;
    const parsed = callArguments(argList, this.text);
    const positional = parsed.positional.map((arg) => evaluate(arg, this.text, scope));
    const keywords = new Map<string, PyValue>();
    for (const [name, arg] of parsed.keywords) keywords.set(name, evaluate(arg, this.text, scope));
    const notes: string[] = [];
    if (parsed.hasSplat) notes.push('*args/**kwargs: arguments passed through them are not seen');
    const nameValue = keywords.get('name');
    const layerName = variable ?? (typeof nameValue === 'string' ? nameValue : `${symbol.name}@${this.line(call)}`);
    const rule = customRule ?? this.wrapper(symbol, parsed.positional[0] ?? parsed.keywords.get(WRAPPED_ARGUMENT[symbol.name]?.name ?? ''), scope, layerName)
      ?? (symbol.framework === 'pytorch' ? torchLayerRule(symbol.name) : kerasLayerRule(symbol.name));
    const args = rule ? LayerArgs.bind(rule.signature, positional, keywords) : undefined;
    const record: LayerRecord = {
      call, argList, framework: symbol.framework, kind: symbol.name, rule, args,
      variable: layerName,
      dtypeBytes: args?.dtypeBytes() ?? this.defaultDtypeBytes,
      dtypeName: args?.dtypeName(),
      notes,
      declaredInput: declaredInputShape(keywords),
    };
    if (!rule) {
      notes.push(`no cost rule for ${symbol.framework === 'pytorch' ? 'nn' : 'layers'}.${symbol.name}: parameters and MACs unknown`);
    } else {
      try {
        const facts = rule.describe(args as LayerArgs, []);
        record.params = facts.params;
        record.buffers = facts.buffers;
        if (facts.note) notes.push(facts.note);
        if (facts.params === undefined && symbol.framework === 'keras') notes.push(NEEDS_INPUT_SHAPE);
      } catch (error) {
        if (!(error instanceof LayerArgumentError || error instanceof ShapeMismatchError)) throw error;
        notes.push(`parameters unknown: ${error.message}`);
      }
    }
    const index = this.layers.push(record) - 1;
    this.layerAt.set(nodeKey(call), index);
    // Layers passed to layers (Bidirectional(LSTM(...)), TransformerEncoder(layer)) are registered too.
    this.registerNested(argList, scope);
    return index;
  }

  /** For TransformerEncoder, Bidirectional...: registers the wrapped layer as a template and wraps its rule. */
  private wrapper(symbol: FrameworkSymbol, innerNode: SyntaxNode | undefined, scope: Scope, name: string): LayerRule | undefined {
    const wrapped = WRAPPED_ARGUMENT[symbol.name];
    if (!wrapped || wrapped.framework !== symbol.framework || !innerNode) return undefined;
    const dotted = innerNode.name === 'CallExpression' ? undefined : dottedName(innerNode, this.text);
    const binding = dotted !== undefined ? scope.object(dotted) : this.register(innerNode, scope, `${name}.${wrapped.name}`);
    if (binding?.kind !== 'layer') return undefined;
    // Layer indices come from register, which appends to this.layers.
    const inner = this.layers[binding.index]!;
    // The template's parameters are counted (repeated) by the wrapper, never on their own.
    inner.owner = -1;
    inner.notes.push(`template of ${name} (${symbol.name}): counted there`);
    return wrapperRule(symbol.name, inner);
  }

  registerContainer(call: SyntaxNode, symbol: FrameworkSymbol, scope: Scope, variable: string | undefined): ContainerRecord {
    const known = this.containerAt.get(nodeKey(call));
    if (known) return known;
    const name = variable ?? `${symbol.name}@${this.line(call)}`;
    const container: ContainerRecord = {
      framework: symbol.framework, kind: symbol.name === 'ModuleList' ? 'list' : 'sequential', call, variable: name, members: [],
    };
    this.containers.push(container);
    this.containerAt.set(nodeKey(call), container);
    const parsed = callArguments(call.lastChild as SyntaxNode, this.text);
    if (parsed.hasSplat) container.members.push({ kind: 'opaque', reason: `\`${this.slice(call)}\` unpacks a list Joule cannot follow` });
    // nn.Sequential(a, b, c); keras.Sequential([a, b]); nn.ModuleList([a, b]); nn.Sequential(OrderedDict([...])).
    let elements = parsed.positional;
    const [argument] = elements;
    if (elements.length === 1 && (argument?.name === 'ArrayExpression' || argument?.name === 'TupleExpression')) {
      elements = sequenceElements(argument);
    } else if (elements.length === 1 && argument?.name === 'CallExpression' && this.slice(argument.firstChild as SyntaxNode).endsWith('OrderedDict')) {
      const list = sequenceElements(argument.lastChild as SyntaxNode)[0];
      elements = list ? sequenceElements(list).map((pair) => sequenceElements(pair)[1]).filter((v): v is SyntaxNode => v !== undefined) : [];
    }
    const [only] = elements;
    if (elements.length === 1 && only?.name === 'ArrayComprehensionExpression') {
      this.addRepeatedMember(container, only, scope);
      return container;
    }
    for (const element of elements) this.addMember(container, element, scope);
    return container;
  }

  /**
   * `[Block(d) for _ in range(n)]`: the construction is registered once and stands for n instances
   * (parameters × n); the container holds it n times, so a forward loop applies it n times.
   */
  private addRepeatedMember(container: ContainerRecord, comprehension: SyntaxNode, scope: Scope): void {
    const parts = sequenceElements(comprehension);
    const [element, forKeyword, variable, inKeyword, iterable] = parts;
    const count = iterable && forKeyword?.name === 'for' && inKeyword?.name === 'in' && parts.length === 5 ? rangeLength(iterable, this.text, scope) : undefined;
    if (count !== undefined && count > MAX_REPEATED_COPIES) {
      container.members.push({ kind: 'opaque', reason: `${count} copies: more than the ${MAX_REPEATED_COPIES} Joule expands` });
      return;
    }
    if (!element || !variable || count === undefined) {
      container.members.push({ kind: 'opaque', reason: `\`${this.slice(comprehension)}\` is not a plain range() comprehension` });
      this.registerNested(comprehension, scope);
      return;
    }
    const loopScope = scope.child();
    loopScope.set(this.slice(variable), unresolved(`\`${this.slice(variable)}\` changes with each copy`));
    const before = container.members.length;
    this.submoduleContext++;
    const binding = this.register(element, loopScope, `${container.variable}[*]`);
    this.submoduleContext--;
    if (binding?.kind !== 'layer') {
      container.members.push({ kind: 'opaque', reason: `\`${this.slice(element)}\` is not a layer Joule knows` });
      return;
    }
    this.layers[binding.index]!.copies = count;
    for (let i = 0; i < count; i++) container.members.splice(before + i, 0, binding);
  }

  /** Appends one element to a container (also used for keras `model.add(layer)`). */
  addMember(container: ContainerRecord, element: SyntaxNode, scope: Scope): void {
    const position = container.members.length;
    const memberName = container.framework === 'keras' ? `${container.variable}.layers[${position}]` : `${container.variable}[${position}]`;
    if (element.name === 'CallExpression') {
      const symbol = this.symbolOf(element);
      if (symbol?.framework === 'keras' && (symbol.name === 'Input' || symbol.name === 'InputLayer')) {
        container.declaredInput = kerasInputShape(element, this.text, scope);
        container.declaredInputSource = 'keras-input';
        return;
      }
    }
    this.submoduleContext++;
    const binding = element.name === 'VariableName' ? scope.object(this.slice(element)) : this.register(element, scope, memberName);
    this.submoduleContext--;
    if (binding?.kind === 'layer') {
      container.members.push(binding);
      const declared = this.layers[binding.index]!.declaredInput;
      if (position === 0 && !container.declaredInput && declared) {
        container.declaredInput = declared;
        container.declaredInputSource = 'input_shape';
      }
    } else if (binding?.kind === 'container') {
      container.members.push(binding);
      if (binding.container !== container) this.nestedContainers.add(binding.container);
    } else {
      const reason = binding?.kind === 'custom'
        ? `custom module ${binding.className}: Joule does not follow into its forward() yet`
        : `\`${this.slice(element)}\` is not a layer Joule knows`;
      container.members.push({ kind: 'opaque', reason });
    }
  }
}

/** Number of items of `range(n)`, `range(a, b)` or `range(a, b, step)` with constant arguments. */
function rangeLength(node: SyntaxNode, text: string, scope: Scope): number | undefined {
  if (node.name !== 'CallExpression' || text.slice(node.firstChild?.from ?? 0, node.firstChild?.to ?? 0) !== 'range') return undefined;
  const values = sequenceElements(node.lastChild as SyntaxNode).map((arg) => evaluate(arg, text, scope));
  if (values.length === 0 || values.length > 3 || !values.every((v): v is number => typeof v === 'number' && Number.isInteger(v))) return undefined;
  const [start, stop, step] = values.length === 1 ? [0, values[0]!, 1] : [values[0]!, values[1]!, values[2] ?? 1];
  if (step === 0) return undefined;
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** `layers.Dense(10)(x)` and its inner call start at the same offset: key nodes by start and length. */
function nodeKey(node: SyntaxNode): number {
  return node.from * 65536 + Math.min(node.to - node.from, 65535);
}

/** Keras `input_shape=(28, 28, 1)`, `input_dim=784`, `batch_input_shape=(32, 784)` on a layer. */
function declaredInputShape(keywords: ReadonlyMap<string, PyValue>): Shape | undefined {
  const inputShape = keywords.get('input_shape');
  if (inputShape !== undefined) return withBatch(inputShape, 1);
  const batchShape = keywords.get('batch_input_shape') ?? keywords.get('batch_shape');
  if (Array.isArray(batchShape)) return withBatch(batchShape.slice(1), batchShape[0]);
  const inputDim = keywords.get('input_dim');
  return typeof inputDim === 'number' ? [1, inputDim] : undefined;
}

function withBatch(value: PyValue, batch: PyValue): Shape | undefined {
  const dims = typeof value === 'number' ? [value] : Array.isArray(value) ? value : undefined;
  if (!dims || isUnresolved(value)) return undefined;
  const all = [typeof batch === 'number' ? batch : 1, ...dims];
  return all.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d > 0) ? all : undefined;
}

/** Shape of `keras.Input(shape=(…), batch_size=…)` or `InputLayer(input_shape=…)`, batch first. */
export function kerasInputShape(call: SyntaxNode, text: string, scope: Scope): Shape | undefined {
  const parsed = callArguments(call.lastChild as SyntaxNode, text);
  const shapeNode = parsed.positional[0] ?? parsed.keywords.get('shape') ?? parsed.keywords.get('input_shape');
  const batchNode = parsed.keywords.get('batch_size');
  const batch = batchNode ? evaluate(batchNode, text, scope) : 1;
  if (shapeNode) return withBatch(evaluate(shapeNode, text, scope), batch === null ? 1 : batch);
  const batchShape = parsed.keywords.get('batch_shape');
  if (batchShape) {
    const value = evaluate(batchShape, text, scope);
    if (Array.isArray(value)) return withBatch(value.slice(1), value[0] ?? 1);
  }
  return undefined;
}
