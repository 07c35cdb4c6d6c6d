/**
 * Entry point of the Python model-code analysis: parse with @lezer/python, scan, and return plain data
 * (layers with parameters, shapes, MACs and LayerCost; models with totals; warnings).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { evaluate, isUnresolved, Scope } from './evaluate';
import { CustomModuleRules, findModuleClasses } from './customModules';
import { collectImports } from './imports';
import { collectInputHints, fileLevelHint } from './inputHints';
import { layerCost } from './layerCost';
import type { LayerRecord } from './records';
import { SourceContext } from './registry';
import type { ModelRecord } from './modelRecords';
import { Scanner } from './scanner';
import { MAX_TRACE_STEPS, refusedAnalysis, sourceRefusal } from './limits';
import { fitHintInNote, fittedHintText } from './shapeSuggestion';
import { assignmentParts } from './syntax';
import type { AnalyzeSourceOptions, SourceAnalysis, SourceLayer, SourceModel } from './types';

export function analyzePythonSource(text: string, options: AnalyzeSourceOptions = {}): SourceAnalysis {
  const refused = sourceRefusal(text);
  return refused ? refusedAnalysis(refused) : analyzePythonTree(parser.parse(text), text, options);
}

/** Same, on a tree the caller already parsed (the extension can reuse incremental parses). */
export function analyzePythonTree(tree: Tree, text: string, options: AnalyzeSourceOptions = {}): SourceAnalysis {
  const top = tree.topNode;
  const imports = collectImports(top, text);
  const moduleScope = new Scope();
  prebindModule(top, text, moduleScope);
  const dtypeBytes = options.dtypeBytes ?? 4;
  const ctx = new SourceContext(text, imports, dtypeBytes);
  const budget = ctx.budget;
  const hints = collectInputHints(top, text, moduleScope, (offset) => ctx.lines.position(offset).line);
  const classes = findModuleClasses(top, text, moduleScope);
  // Each custom-module instantiation is walked on a fresh context one level deeper.
  const instantiator = (depth: number): Scanner => {
    const inner = new SourceContext(text, imports, dtypeBytes, budget);
    inner.moduleClasses = new CustomModuleRules(classes, instantiator, moduleScope, depth);
    return new Scanner(inner, hints, undefined);
  };
  ctx.moduleClasses = new CustomModuleRules(classes, instantiator, moduleScope, 0);
  for (const hint of hints.values()) {
    if (hint.problem) ctx.warnings.push({ range: { start: { line: hint.line, character: 0 }, end: { line: hint.line + 1, character: 0 } }, message: hint.problem });
  }
  const optionShape = options.inputShape && options.inputShape.every((d) => Number.isInteger(d) && d > 0) ? options.inputShape : undefined;
  const scanner = new Scanner(ctx, hints, optionShape);
  scanner.scanModule(top, moduleScope);
  // A file-level `# joule: input=` (above the imports) belongs to the file's single model: scan again with it.
  const fileHint = fileLevelHint(hints, text.split('\n'));
  const single = scanner.models.length === 1 ? scanner.models[0] : undefined;
  const sameShape = (a?: readonly number[], b?: readonly number[]): boolean => !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);
  if (fileHint?.shape && single && !sameShape(options.inputShape, fileHint.shape) && single.inputShapeSource !== 'comment' && single.inputShapeSource !== 'keras-input' && single.inputShapeSource !== 'input_shape') {
    const again = analyzePythonTree(tree, text, { ...options, inputShape: fileHint.shape });
    return { ...again, models: again.models.map((m) => ({ ...m, inputShapeSource: 'comment' as const })) };
  }
  const layers = ctx.layers.map((record) => toSourceLayer(record, ctx));
  const models = scanner.models.map((model) => toSourceModel(model, layers, ctx));
  if (budget.exhausted) {
    ctx.warnings.push({ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, message: `Joule: truncated analysis: forward tracing stopped after ${MAX_TRACE_STEPS} steps` });
  }
  return { layers: fitShapeHints(models, layers, ctx), models, warnings: ctx.warnings };
}

/** Layers of models without an input shape get the hint fitted to their model's first layer. */
function fitShapeHints(models: readonly SourceModel[], layers: SourceLayer[], ctx: SourceContext): SourceLayer[] {
  for (const model of models) {
    if (model.inputShape) continue;
    const fitted = fittedHint(model, ctx);
    for (const index of model.layerIndices) {
      const layer = layers[index];
      if (layer?.note) layers[index] = { ...layer, note: fitHintInNote(layer.note, fitted) };
    }
  }
  return layers;
}

function fittedHint(model: { readonly layerIndices: readonly number[] }, ctx: SourceContext): string {
  const first = ctx.layers[model.layerIndices[0] ?? -1];
  return fittedHintText(first, first ? ctx.text.slice(first.argList.from, first.argList.to) : '');
}

/**
 * Module constants are visible to every function body, wherever they are defined
 * (bodies run after the module is loaded), so bind them before the walk.
 */
function prebindModule(top: SyntaxNode, text: string, scope: Scope): void {
  for (let statement = top.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name !== 'AssignStatement') continue;
    const { targets, value } = assignmentParts(statement);
    const [target] = targets;
    if (targets.length !== 1 || target?.name !== 'VariableName' || !value) continue;
    const result = evaluate(value, text, scope);
    if (!isUnresolved(result)) scope.set(text.slice(target.from, target.to), result);
  }
}

function toSourceLayer(record: LayerRecord, ctx: SourceContext): SourceLayer {
  const usage = record.usage;
  const notes = [...record.notes];
  if (usage?.note) notes.push(usage.note);
  if (usage && usage.calls > 1) notes.push(`called ${usage.calls} times: MACs summed over calls`);
  if (!usage && record.shapeNote) notes.push(`shapes: ${record.shapeNote}`);
  const copies = record.copies ?? 1;
  if (copies > 1) notes.push(`${copies} copies: parameters × ${copies}`);
  const params = record.params === undefined ? undefined : record.params * copies;
  const note = notes.length > 0 ? [...new Set(notes)].join('; ') : undefined;
  return {
    range: ctx.lines.range(record.call.from, record.call.to),
    argsRange: ctx.lines.range(record.argList.from, record.argList.to),
    framework: record.framework,
    kind: record.kind,
    variable: record.variable,
    params,
    buffers: record.buffers === undefined ? undefined : record.buffers * copies,
    weightBytes: params === undefined ? undefined : params * record.dtypeBytes,
    dtypeBytes: record.dtypeBytes,
    inputShape: usage?.inputShape,
    outputShape: usage?.outputShape,
    macs: usage?.macs,
    cost: usage ? layerCost(record, usage, note) : undefined,
    note,
  };
}

function toSourceModel(model: ModelRecord, layers: readonly SourceLayer[], ctx: SourceContext): SourceModel {
  let params = 0;
  let buffers = 0;
  let weightBytes = 0;
  let macs = 0;
  let unresolvedLayers = 0;
  for (const index of model.layerIndices) {
    const layer = layers[index]!;
    if (layer.params === undefined) unresolvedLayers++;
    params += layer.params ?? 0;
    buffers += layer.buffers ?? 0;
    weightBytes += layer.weightBytes ?? 0;
    macs += layer.macs ?? 0;
  }
  return {
    name: model.name,
    kind: model.kind,
    framework: model.framework,
    range: ctx.lines.range(model.node.from, model.node.to),
    nameRange: ctx.lines.range(model.nameNode.from, model.nameNode.to),
    inputShape: model.inputShape,
    inputShapeSource: model.inputShapeSource,
    layerIndices: model.layerIndices,
    totals: { params, buffers, weightBytes, macs: model.traced ? macs : undefined },
    shapeNote: model.inputShape ? model.shapeNote : fitHintInNote(model.shapeNote, fittedHint(model, ctx)),
    unresolvedLayers,
  };
}
