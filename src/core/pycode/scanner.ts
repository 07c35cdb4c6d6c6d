/**
 * Walks a Python module statement by statement: binds constants and layer variables in scopes,
 * registers layer constructions, follows tensors (Keras functional API, forward()/call() of classes)
 * and collects the models the file defines.
 */
import type { SyntaxNode } from '@lezer/common';
import { evaluate, isUnresolved, truthy, unresolved, type PyValue, Scope } from './evaluate';
import type { InputHint } from './inputHints';
import { hintFor } from './inputHints';
import type { Binding } from './records';
import type { SourceContext } from './registry';
import { assignmentParts, callArguments, children, dottedName, sequenceElements } from './syntax';
import { ShapeMismatchError } from './layerArgs';
import type { LayerFacts } from './layerRule';
import { lineageOf, NO_LINEAGE } from './lineage';
import { functionalModel, isKerasModelCall, sequentialModel, type ModelRecord, type PendingSequential } from './modelRecords';
import { TensorEvaluator, type TensorValue } from './tensorEval';
import { bindParameters, flattenTargets } from './bindings';
import type { Shape, SourceFramework } from './types';

interface WalkState {
  readonly scope: Scope;
  readonly evaluator: TensorEvaluator;
  /** 'build' walks every branch (constructors); 'trace' follows one straight path (forward). */
  readonly mode: 'build' | 'trace';
  /** Where `self.x = ...` is bound: the enclosing class's scope. */
  readonly classScope?: Scope;
  readonly functionName?: string;
  returned?: TensorValue;
}

const COMPOUND = new Set(['IfStatement', 'WhileStatement', 'TryStatement', 'WithStatement', 'ForStatement', 'MatchStatement']);

export class Scanner {
  readonly models: ModelRecord[] = [];
  private readonly pending: PendingSequential[] = [];
  private readonly sourceLines: string[];

  constructor(
    private readonly ctx: SourceContext,
    private readonly hints: ReadonlyMap<number, InputHint>,
    private readonly optionShape: Shape | undefined,
  ) {
    this.sourceLines = ctx.text.split('\n');
  }

  scanModule(top: SyntaxNode, moduleScope: Scope): void {
    const evaluator = new TensorEvaluator(this.ctx, moduleScope, new Map(), 'module');
    this.walkBody(top, { scope: moduleScope, evaluator, mode: 'build' });
    for (const pending of this.pending) {
      const model = sequentialModel(this.ctx, pending, moduleScope, { hints: this.hints, lines: this.sourceLines, optionShape: this.optionShape }, this.models.length);
      if (model) this.models.push(model);
    }
  }

  private walkBody(body: SyntaxNode, state: WalkState): void {
    for (let statement = body.firstChild; statement; statement = statement.nextSibling) this.walkStatement(statement, state);
  }

  private walkStatement(statement: SyntaxNode, state: WalkState): void {
    switch (statement.name) {
      case 'ClassDefinition': return this.handleClass(statement, state);
      case 'FunctionDefinition': return this.handleFunction(statement, state);
      case 'DecoratedStatement': return this.walkBody(statement, state);
      case 'AssignStatement': return this.handleAssign(statement, state);
      case 'ExpressionStatement': return this.handleExpression(statement, state);
      case 'ReturnStatement': return this.handleReturn(statement, state);
      case 'UpdateStatement': return this.handleUpdate(statement, state);
      default:
        if (COMPOUND.has(statement.name)) return this.handleCompound(statement, state);
        if (statement.firstChild) this.ctx.register(statement, state.scope, undefined);
    }
  }

  private handleCompound(statement: SyntaxNode, state: WalkState): void {
    if (statement.name === 'IfStatement' && this.walkTakenBranch(statement, state)) return;
    if (state.mode === 'build' || statement.name === 'WithStatement') {
      for (const part of children(statement)) {
        if (part.name === 'Body') this.walkBody(part, state);
        else if (part.firstChild) this.ctx.register(part, state.scope, undefined);
      }
      return;
    }
    if (statement.name === 'ForStatement' && this.traceLoop(statement, state)) return;
    // One straight path only: names assigned inside a branch or loop lose their shapes.
    const reason = `line ${this.ctx.line(statement)}: shapes are not followed through ${statement.name.replace('Statement', '').toLowerCase()} blocks`;
    const cursor = statement.cursor();
    do {
      if (cursor.name !== 'AssignStatement' && cursor.name !== 'UpdateStatement') continue;
      const target = cursor.node.firstChild;
      const name = target ? dottedName(target, this.ctx.text) : undefined;
      if (name && state.evaluator.tensors.has(name)) state.evaluator.tensors.set(name, state.evaluator.newTensor(undefined, reason, state.evaluator.tensors.get(name)?.layers ?? NO_LINEAGE));
    } while (cursor.next());
  }

  /**
   * `if stride != 1 or cin != cout:` with constant operands: walk only the branch Python would take, so
   * a shortcut built conditionally is counted only when it exists. False when a condition is unknown.
   */
  private walkTakenBranch(statement: SyntaxNode, state: WalkState): boolean {
    const parts = children(statement);
    const branches: { condition?: SyntaxNode; body: SyntaxNode }[] = [];
    for (let i = 0; i < parts.length; i++) {
      const keyword = parts[i]!.name;
      const next = parts[i + 1];
      const after = parts[i + 2];
      if ((keyword === 'if' || keyword === 'elif') && after?.name === 'Body') branches.push({ condition: next, body: after });
      else if (keyword === 'else' && next?.name === 'Body') branches.push({ body: next });
    }
    for (const branch of branches) {
      if (!branch.condition) {
        this.walkBody(branch.body, state);
        return true;
      }
      const value = evaluate(branch.condition, this.ctx.text, state.scope);
      if (isUnresolved(value) || (typeof value !== 'boolean' && typeof value !== 'number' && value !== null)) return false;
      if (truthy(value)) {
        this.walkBody(branch.body, state);
        return true;
      }
    }
    return true;
  }

  /** `for block in self.blocks: x = block(x)` over a ModuleList or Sequential: one pass per member. */
  private traceLoop(statement: SyntaxNode, state: WalkState): boolean {
    const parts = children(statement);
    const variable = parts[1];
    const iterable = parts[3];
    const body = parts.find((part) => part.name === 'Body');
    const name = iterable ? dottedName(iterable, this.ctx.text) : undefined;
    const binding = name ? state.scope.object(name) : undefined;
    if (!variable || variable.name !== 'VariableName' || !body || binding?.kind !== 'container') return false;
    for (const member of binding.container.members) {
      if (member.kind === 'opaque' || !this.ctx.budget.spend()) return false;
      state.scope.bindObject(this.ctx.slice(variable), member);
      this.walkBody(body, state);
    }
    return true;
  }

  /**
   * Walks a def. With `inputShapes` it traces: the parameters after `self` are the input tensors.
   * `overrides` replaces parameter values (a custom module instantiated with arguments).
   */
  private handleFunction(node: SyntaxNode, state: WalkState, inputShapes?: readonly Shape[], overrides?: ReadonlyMap<string, PyValue>): void {
    const nameNode = node.getChild('VariableName');
    const params = node.getChild('ParamList');
    const body = node.getChild('Body');
    if (!nameNode || !params || !body) return;
    const scope = state.scope.child();
    const evaluator = new TensorEvaluator(this.ctx, scope, new Map(), this.ctx.slice(nameNode));
    const names = bindParameters(params, this.ctx.text, state.scope, scope);
    for (const [name, value] of overrides ?? []) scope.set(name, value);
    if (inputShapes) {
      names.filter((param) => param !== 'self').forEach((param, index) => {
        const shape = inputShapes[index];
        evaluator.tensors.set(param, evaluator.newTensor(shape, `forward input \`${param}\` has no shape`, NO_LINEAGE));
      });
    }
    const inner: WalkState = { scope, evaluator, mode: inputShapes ? 'trace' : 'build', classScope: state.classScope, functionName: this.ctx.slice(nameNode) };
    this.walkBody(body, inner);
    state.returned = inner.returned;
  }

  /** Walks a class body except forward()/call(), which it returns; `__init__` gets `overrides`. */
  private walkClass(body: SyntaxNode, state: WalkState, overrides?: ReadonlyMap<string, PyValue>): SyntaxNode | undefined {
    let forward: SyntaxNode | undefined;
    for (const statement of children(body)) {
      const method = statement.name === 'DecoratedStatement' ? statement.getChild('FunctionDefinition') : statement;
      const methodNameNode = method?.name === 'FunctionDefinition' ? method.getChild('VariableName') : null;
      const methodName = methodNameNode ? this.ctx.slice(methodNameNode) : '';
      if (method && (methodName === 'forward' || methodName === 'call')) forward = method;
      else if (method && methodName === '__init__' && overrides) this.handleFunction(method, state, undefined, overrides);
      else this.walkStatement(statement, state);
    }
    return forward;
  }

  /**
   * Instantiates a custom module class with argument values: its parameters, and with input shapes
   * its output shape and MACs, summed over the layers it builds. Runs on a fresh context.
   */
  instantiateClass(node: SyntaxNode, values: ReadonlyMap<string, PyValue>, inputShapes: readonly Shape[], moduleScope: Scope): LayerFacts {
    const body = node.getChild('Body');
    if (!body) return { note: 'class without a body' };
    const classScope = moduleScope.child();
    const evaluator = new TensorEvaluator(this.ctx, classScope, new Map(), 'instance');
    const classState: WalkState = { scope: classScope, evaluator, mode: 'build', classScope };
    this.ctx.submoduleContext++;
    const forward = this.walkClass(body, classState, values);
    this.ctx.submoduleContext--;
    if (inputShapes.length === 0) return this.instanceTotals();
    if (!forward) throw new ShapeMismatchError('no forward() or call() method to follow');
    const trace: WalkState = { ...classState };
    this.handleFunction(forward, trace, inputShapes);
    const output = trace.returned?.shape ?? trace.returned?.parts?.[0]?.shape;
    if (!output) throw new ShapeMismatchError(trace.returned?.reason ?? 'forward() returns nothing Joule could follow');
    let macs = 0;
    let elementwise = 0;
    let transcendental = 0;
    for (const layer of this.ctx.layers) {
      macs += layer.usage?.macs ?? 0;
      elementwise += layer.usage?.elementwise ?? 0;
      transcendental += layer.usage?.transcendental ?? 0;
    }
    // Tracing resolves Keras parameter counts, so totals are taken after it.
    return { ...this.instanceTotals(), output, macs, elementwise, transcendental };
  }

  private instanceTotals(): LayerFacts {
    const layers = this.ctx.layers;
    const unresolvedLayer = layers.find((layer) => layer.params === undefined);
    return {
      params: unresolvedLayer ? undefined : layers.reduce((sum, layer) => sum + (layer.params ?? 0), 0),
      buffers: layers.reduce((sum, layer) => sum + (layer.buffers ?? 0), 0),
      note: unresolvedLayer ? `${unresolvedLayer.variable}: ${unresolvedLayer.notes[0] ?? 'parameters unknown'}` : undefined,
    };
  }

  private handleClass(node: SyntaxNode, state: WalkState): void {
    const nameNode = node.getChild('VariableName');
    const body = node.getChild('Body');
    if (!nameNode || !body) return;
    const classScope = state.scope.child();
    const classState: WalkState = { scope: classScope, evaluator: state.evaluator, mode: 'build', classScope };
    const first = this.ctx.layers.length;
    this.ctx.submoduleContext++;
    const forward = this.walkClass(body, classState);
    this.ctx.submoduleContext--;
    if (this.ctx.layers.length === first) return;
    const hint = hintFor(this.hints, this.sourceLines, this.ctx.lines.position(node.from).line);
    const inputShape = hint?.shape ?? this.optionShape;
    let shapeNote: string | undefined = hint?.problem;
    let traced = false;
    if (!forward) shapeNote ??= 'no forward() or call() method to follow';
    else if (!inputShape) shapeNote ??= 'input shape unknown: add `# joule: input=(1, 3, 224, 224)` above the class or set an input shape';
    else {
      const trace: WalkState = { ...classState };
      this.handleFunction(forward, trace, [inputShape]);
      traced = trace.returned?.shape !== undefined || trace.returned?.parts?.[0]?.shape !== undefined;
      if (!traced) shapeNote = trace.returned?.reason ?? trace.returned?.parts?.[0]?.reason ?? 'forward() returns nothing Joule could follow';
    }
    const layerIndices = this.claim(first, this.ctx.layers.length);
    for (const index of layerIndices) {
      const layer = this.ctx.layers[index]!;
      if (!layer.usage) layer.shapeNote ??= shapeNote ?? (forward ? 'not called in forward()' : undefined);
    }
    this.models.push({
      name: this.ctx.slice(nameNode), kind: 'class', framework: this.majorityFramework(layerIndices), node, nameNode, layerIndices,
      inputShape, inputShapeSource: hint?.shape ? 'comment' : inputShape ? 'option' : undefined, shapeNote, traced,
    });
  }

  private handleAssign(node: SyntaxNode, state: WalkState): void {
    const { targets, value } = assignmentParts(node);
    const [target] = targets;
    if (!value || target === undefined) return;
    const single = targets.length === 1 && target.name !== 'TupleExpression' ? dottedName(target, this.ctx.text) : undefined;
    const sizes = state.evaluator.sizeOf(value);
    if (sizes !== undefined) return this.bindValues(targets, typeof sizes === 'number' ? sizes : [...sizes], state);
    if (isKerasModelCall(this.ctx, value)) {
      this.models.push(functionalModel(this.ctx, value, single, target, state.evaluator, this.models.length));
      return;
    }
    const copied = dottedName(value, this.ctx.text);
    const binding = this.ctx.register(value, state.scope, single) ?? (copied ? state.scope.object(copied) : undefined);
    const tensor = binding ? undefined : state.evaluator.evaluate(value);
    if (tensor) return this.bindTensors(targets, tensor, state);
    if (binding && single) {
      this.bindObject(single, binding, state);
      if (binding.kind === 'container' && !state.classScope && !this.ctx.nestedContainers.has(binding.container)) {
        this.pending.push({ container: binding.container, statement: node, nameNode: target });
      }
      return;
    }
    this.bindValues(targets, evaluate(value, this.ctx.text, state.scope), state);
  }

  private bindObject(name: string, binding: Binding, state: WalkState): void {
    const scope = name.startsWith('self.') && state.classScope ? state.classScope : state.scope;
    scope.bindObject(name, binding);
    state.evaluator.tensors.delete(name);
  }

  private bindValues(targets: readonly SyntaxNode[], value: PyValue, state: WalkState): void {
    const names = flattenTargets(targets, this.ctx.text);
    const values = names.length > 1 && Array.isArray(value) ? value : [value];
    names.forEach((name, index) => {
      if (!name) return;
      const scope = name.startsWith('self.') && state.classScope ? state.classScope : state.scope;
      scope.set(name, values[index] ?? unresolved('unpacking mismatch'));
      scope.bindObject(name, null);
      state.evaluator.tensors.delete(name);
    });
  }

  private bindTensors(targets: readonly SyntaxNode[], tensor: TensorValue, state: WalkState): void {
    const assign = (target: SyntaxNode, value: TensorValue): void => {
      if (target.name === 'TupleExpression' || target.name === 'ParenthesizedExpression' || target.name === 'ArrayExpression') {
        sequenceElements(target).forEach((inner, i) => assign(inner, value.parts?.[i] ?? state.evaluator.newTensor(undefined, 'tuple element not followed', value.layers)));
        return;
      }
      const name = dottedName(target, this.ctx.text);
      if (!name) return;
      state.evaluator.tensors.set(name, value);
      state.scope.bindObject(name, null);
    };
    if (targets.length === 1) assign(targets[0]!, tensor);
    else targets.forEach((target, i) => assign(target, tensor.parts?.[i] ?? state.evaluator.newTensor(undefined, 'tuple element not followed', tensor.layers)));
  }

  private handleUpdate(node: SyntaxNode, state: WalkState): void {
    const [target, , value] = children(node);
    if (!target || !value) return;
    const name = dottedName(target, this.ctx.text);
    const current = name ? state.evaluator.tensors.get(name) : undefined;
    if (!name || !current) return void this.ctx.register(node, state.scope, undefined);
    const other = state.evaluator.evaluate(value);
    const layers = lineageOf([current.layers, other?.layers]);
    const shape = other && !other.shape ? undefined : current.shape;
    state.evaluator.tensors.set(name, state.evaluator.newTensor(shape, other?.reason ?? current.reason, layers));
  }

  private handleExpression(node: SyntaxNode, state: WalkState): void {
    const call = node.firstChild;
    if (call?.name === 'CallExpression' && call.firstChild?.name === 'MemberExpression') {
      const [object, , method] = children(call.firstChild);
      const methodName = method ? this.ctx.slice(method) : '';
      const owner = object ? dottedName(object, this.ctx.text) : undefined;
      const binding = owner ? state.scope.object(owner) : undefined;
      if (binding?.kind === 'container' && ['add', 'append'].includes(methodName)) {
        for (const element of callArguments(call.lastChild as SyntaxNode, this.ctx.text).positional) this.ctx.addMember(binding.container, element, state.scope);
        return;
      }
      if (binding?.kind === 'container' && methodName === 'extend') {
        const list = callArguments(call.lastChild as SyntaxNode, this.ctx.text).positional[0];
        for (const element of list ? sequenceElements(list) : []) this.ctx.addMember(binding.container, element, state.scope);
        return;
      }
      if (binding?.kind === 'container' && binding.container.framework === 'keras' && methodName === 'build' && !binding.container.declaredInput) {
        // model.build((None, 784)): the batch dimension is None or a number.
        const shapeNode = callArguments(call.lastChild as SyntaxNode, this.ctx.text).positional[0];
        const value = shapeNode ? evaluate(shapeNode, this.ctx.text, state.scope) : undefined;
        if (Array.isArray(value) && value.length > 1 && value.slice(1).every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
          binding.container.declaredInput = [typeof value[0] === 'number' ? value[0] : 1, ...(value.slice(1) as number[])];
          binding.container.declaredInputSource = 'input_shape';
        }
        return;
      }
    }
    this.ctx.register(node, state.scope, undefined);
    if (call) state.evaluator.evaluate(call);
  }

  private handleReturn(node: SyntaxNode, state: WalkState): void {
    const value = children(node).find((part) => part.name !== 'return');
    if (!value) return;
    if (isKerasModelCall(this.ctx, value)) return void this.models.push(functionalModel(this.ctx, value, state.functionName, value, state.evaluator, this.models.length));
    const binding = this.ctx.register(value, state.scope, state.functionName);
    if (binding?.kind === 'container' && !state.classScope && !this.ctx.nestedContainers.has(binding.container)) {
      const nameNode = node.parent?.parent?.getChild('VariableName') ?? value;
      this.pending.push({ container: binding.container, statement: node.parent?.parent ?? node, nameNode });
      return;
    }
    const tensor = state.evaluator.evaluate(value);
    if (tensor) state.returned = tensor;
  }

  /** Layers registered in [first, end) not yet owned by a model become this model's. */
  private claim(first: number, end: number): number[] {
    const indices: number[] = [];
    for (let index = first; index < end; index++) {
      const layer = this.ctx.layers[index]!;
      if (layer.owner !== undefined) continue;
      layer.owner = this.models.length;
      indices.push(index);
    }
    return indices;
  }

  private majorityFramework(indices: readonly number[]): SourceFramework {
    const keras = indices.filter((index) => this.ctx.layers[index]!.framework === 'keras').length;
    return keras * 2 > indices.length ? 'keras' : 'pytorch';
  }
}
