/**
 * The models a scanned file defines, besides classes: a Sequential (or ModuleList) at module level
 * and a Keras functional `keras.Model(inputs, outputs)`. Each claims the layers it holds that no
 * earlier model owns, and is traced when its input shape is known.
 */
import type { SyntaxNode } from '@lezer/common';
import { collectMembers } from './bindings';
import type { Scope } from './evaluate';
import { hintFor, type InputHint } from './inputHints';
import { layersOf, NO_LINEAGE } from './lineage';
import type { ContainerRecord } from './records';
import type { SourceContext } from './registry';
import { callArguments, sequenceElements } from './syntax';
import { TensorEvaluator } from './tensorEval';
import type { Shape, SourceFramework } from './types';

export interface ModelRecord {
  readonly name: string;
  readonly kind: 'class' | 'sequential' | 'functional';
  readonly framework: SourceFramework;
  readonly node: SyntaxNode;
  readonly nameNode: SyntaxNode;
  readonly layerIndices: number[];
  readonly inputShape?: Shape;
  readonly inputShapeSource?: 'comment' | 'option' | 'keras-input' | 'input_shape';
  readonly shapeNote?: string;
  /** True when the whole chain was followed, so the MACs total is complete. */
  readonly traced: boolean;
}

/** A module-level container assignment, made a model once the whole file is scanned. */
export interface PendingSequential {
  readonly container: ContainerRecord;
  readonly statement: SyntaxNode;
  readonly nameNode: SyntaxNode;
}

/** Where a Sequential's input shape can come from besides its own first layer. */
export interface ShapeSources {
  readonly hints: ReadonlyMap<number, InputHint>;
  readonly lines: readonly string[];
  readonly optionShape: Shape | undefined;
}

/** `keras.Model(inputs, outputs)` or `keras.Model(inputs=…, outputs=…)`. */
export function isKerasModelCall(ctx: SourceContext, node: SyntaxNode): boolean {
  if (node.name !== 'CallExpression') return false;
  const symbol = ctx.symbolOf(node);
  if (symbol?.framework !== 'keras' || symbol.name !== 'Model') return false;
  const args = callArguments(node.lastChild as SyntaxNode, ctx.text);
  return args.positional.length >= 2 || args.keywords.has('outputs');
}

/** A functional model: the layers its outputs depend on, traced from its inputs. */
export function functionalModel(ctx: SourceContext, call: SyntaxNode, name: string | undefined, nameNode: SyntaxNode, evaluator: TensorEvaluator, modelIndex: number): ModelRecord {
  const args = callArguments(call.lastChild as SyntaxNode, ctx.text);
  const inputsNode = args.keywords.get('inputs') ?? args.positional[0];
  const outputsNode = args.keywords.get('outputs') ?? args.positional[1];
  const listed = (node: SyntaxNode | undefined): SyntaxNode[] =>
    !node ? [] : node.name === 'ArrayExpression' || node.name === 'TupleExpression' ? sequenceElements(node) : [node];
  const outputs = listed(outputsNode).map((node) => evaluator.evaluate(node));
  const inputs = listed(inputsNode).map((node) => evaluator.evaluate(node));
  const reachable = layersOf(outputs.map((output) => output?.layers));
  const layerIndices = [...reachable].filter((index) => ctx.layers[index]!.owner === undefined).sort((a, b) => a - b);
  for (const index of layerIndices) ctx.layers[index]!.owner = modelIndex;
  const unknown = outputs.find((output) => !output?.shape);
  const inputShape = inputs[0]?.shape;
  return {
    name: name ?? `Model@${ctx.line(call)}`, kind: 'functional', framework: 'keras', node: call, nameNode, layerIndices,
    inputShape, inputShapeSource: inputShape ? 'keras-input' : undefined, traced: outputs.length > 0 && !unknown,
    shapeNote: outputs.length === 0 ? 'outputs of keras.Model not found' : unknown ? unknown?.reason ?? 'outputs are not tensors Joule followed' : undefined,
  };
}

/** A module-level Sequential; undefined when it is empty or part of another container (that one is the model). */
export function sequentialModel(ctx: SourceContext, pending: PendingSequential, moduleScope: Scope, shapes: ShapeSources, modelIndex: number): ModelRecord | undefined {
  const { container } = pending;
  if (ctx.nestedContainers.has(container) || container.members.length === 0) return undefined;
  const hint = hintFor(shapes.hints, shapes.lines, ctx.lines.position(pending.statement.from).line);
  const inputShape = hint?.shape ?? container.declaredInput ?? shapes.optionShape;
  const source = hint?.shape ? 'comment' : container.declaredInput ? container.declaredInputSource : inputShape ? 'option' : undefined;
  // Once each: `[Layer() for _ in range(n)]` holds one layer n times, and that layer's numbers already count the n copies.
  const layerIndices = collectMembers(container).filter((index) => ctx.layers[index]!.owner === undefined);
  for (const index of layerIndices) ctx.layers[index]!.owner = modelIndex;
  let shapeNote = hint?.problem;
  let traced = false;
  if (!inputShape) {
    shapeNote ??= container.framework === 'keras'
      ? 'input shape unknown: pass input_shape= to the first layer, start with keras.Input(shape=...), or add `# joule: input=(...)`'
      : 'input shape unknown: add `# joule: input=(1, 784)` above the Sequential or set an input shape';
  } else {
    const evaluator = new TensorEvaluator(ctx, moduleScope, new Map(), container.variable);
    const output = evaluator.applyContainer(container, [evaluator.newTensor(inputShape, undefined, NO_LINEAGE)], container.call);
    traced = output.shape !== undefined;
    if (!traced) shapeNote = output.reason;
  }
  for (const index of layerIndices) {
    const layer = ctx.layers[index]!;
    if (!layer.usage) layer.shapeNote ??= shapeNote;
  }
  return {
    name: container.variable, kind: 'sequential', framework: container.framework, node: container.call, nameNode: pending.nameNode,
    layerIndices, inputShape, inputShapeSource: source, shapeNote, traced,
  };
}
