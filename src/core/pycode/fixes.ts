/**
 * Quick fixes as data: the quantization and pruning code PyTorch and Keras users actually write,
 * inserted where it belongs, with the imports it needs added once at the top. The extension turns each
 * FixSuggestion into a CodeAction; the edits are plain text edits on the original document.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { importEdit, insertAfterStatement, localNameFor, statementAt } from './fixEdits';
import { collectImports, type ImportTable } from './imports';
import { LineIndex } from './syntax';
import type { FixSuggestion, SourceAnalysis, SourceLayer, SourceModel, TextEdit } from './types';

export type FixTarget = { readonly layerIndex: number } | { readonly modelIndex: number };

/** Layer kinds torch.ao.quantization.quantize_dynamic converts. */
const DYNAMIC_QUANTIZABLE = ['Linear', 'LSTM', 'GRU', 'LSTMCell', 'GRUCell', 'RNNCell'];
const PRUNABLE_TORCH = new Set(['Linear', 'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d', 'Embedding']);
const PRUNABLE_KERAS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'Embedding']);
const PRUNE_AMOUNT = 0.3;
const TFMOT_IMPORT = 'import tensorflow_model_optimization as tfmot';
const TFMOT_NOTE = 'TensorFlow Model Optimization needs tf.keras (Keras 2): with Keras 3 install tf_keras and set TF_USE_LEGACY_KERAS=1.';

interface FixContext {
  readonly text: string;
  readonly tree: Tree;
  readonly lines: LineIndex;
  readonly imports: ImportTable;
  readonly analysis: SourceAnalysis;
}

export function suggestFixes(analysis: SourceAnalysis, text: string, target: FixTarget): FixSuggestion[] {
  const tree = parser.parse(text);
  const ctx: FixContext = { text, tree, lines: new LineIndex(text), imports: collectImports(tree.topNode, text), analysis };
  if ('layerIndex' in target) {
    const layer = analysis.layers[target.layerIndex];
    return layer ? layerFixes(ctx, layer, target.layerIndex) : [];
  }
  const model = analysis.models[target.modelIndex];
  return model ? modelFixes(ctx, model) : [];
}

function layerFixes(ctx: FixContext, layer: SourceLayer, index: number): FixSuggestion[] {
  const fixes: FixSuggestion[] = [];
  if (layer.framework === 'keras') {
    if (PRUNABLE_KERAS.has(layer.kind)) fixes.push(kerasLayerPrune(ctx, layer));
    const owner = ctx.analysis.models.find((model) => model.layerIndices.includes(index));
    if (owner) fixes.push(...modelFixes(ctx, owner).filter((fix) => fix.kind === 'tfmot-quantize'));
    return markPreferred(fixes, layer.kind === 'Dense' ? 'tfmot-quantize' : 'tfmot-prune');
  }
  const nameable = !layer.variable.includes('@');
  if (PRUNABLE_TORCH.has(layer.kind) && nameable) {
    const statement = statementAt(ctx.tree, ctx.lines.offset(layer.range.start));
    if (statement) {
      fixes.push(torchPrune(ctx, layer, statement, 'prune-l1'));
      if (layer.kind !== 'Embedding') fixes.push(torchPrune(ctx, layer, statement, 'prune-structured'));
    }
  }
  const owner = ctx.analysis.models.find((model) => model.layerIndices.includes(index));
  if (owner && DYNAMIC_QUANTIZABLE.includes(layer.kind)) {
    const dynamic = torchDynamicQuantization(ctx, owner, [layer.kind]);
    if (dynamic) fixes.push(dynamic);
  }
  if (owner && layer.kind.startsWith('Conv')) {
    const qat = torchQat(ctx, owner);
    if (qat) fixes.push(qat);
  }
  const preferred = DYNAMIC_QUANTIZABLE.includes(layer.kind) ? 'quantize-dynamic' : layer.kind.startsWith('Conv') ? 'prune-structured' : 'prune-l1';
  return markPreferred(fixes, preferred);
}

function modelFixes(ctx: FixContext, model: SourceModel): FixSuggestion[] {
  if (model.framework === 'keras') return markPreferred(kerasModelFixes(ctx, model), 'tfmot-quantize');
  const kinds = new Set(model.layerIndices.map((index) => ctx.analysis.layers[index]!.kind));
  const fixes: FixSuggestion[] = [];
  const dynamicKinds = DYNAMIC_QUANTIZABLE.filter((kind) => kinds.has(kind));
  const dynamic = dynamicKinds.length > 0 ? torchDynamicQuantization(ctx, model, dynamicKinds) : undefined;
  if (dynamic) fixes.push(dynamic);
  const qat = torchQat(ctx, model);
  if (qat) fixes.push(qat);
  return markPreferred(fixes, dynamic ? 'quantize-dynamic' : 'qat');
}

function markPreferred(fixes: FixSuggestion[], kind: FixSuggestion['kind']): FixSuggestion[] {
  const preferred = fixes.findIndex((fix) => fix.kind === kind);
  return fixes.map((fix, index) => {
    const { isPreferred: _previous, ...rest } = fix;
    return index === preferred ? { ...rest, isPreferred: true } : rest;
  });
}

/** `nn` if the file imports torch.nn under that name, else `torch.nn` (with `import torch`). */
function torchNn(ctx: FixContext): { prefix: string; imports: string[] } {
  const local = localNameFor(ctx.imports, 'torch.nn');
  return local ? { prefix: local, imports: [] } : { prefix: 'torch.nn', imports: ['import torch'] };
}

function torchImport(ctx: FixContext): string[] {
  return localNameFor(ctx.imports, 'torch') === 'torch' ? [] : ['import torch'];
}

function withImports(ctx: FixContext, wanted: readonly string[], edits: TextEdit[]): TextEdit[] {
  const imports = importEdit(ctx.tree, ctx.text, ctx.lines, wanted);
  return imports ? [imports, ...edits] : edits;
}

function torchPrune(ctx: FixContext, layer: SourceLayer, statement: SyntaxNode, kind: 'prune-l1' | 'prune-structured'): FixSuggestion {
  const pruneName = localNameFor(ctx.imports, 'torch.nn.utils.prune') ?? 'prune';
  const call = kind === 'prune-l1'
    ? `${pruneName}.l1_unstructured(${layer.variable}, name="weight", amount=${PRUNE_AMOUNT})`
    : `${pruneName}.ln_structured(${layer.variable}, name="weight", amount=${PRUNE_AMOUNT}, n=2, dim=0)`;
  const code = [
    kind === 'prune-l1'
      ? `# Joule: zero the ${PRUNE_AMOUNT * 100}% smallest weights; prune.remove(module, "weight") after fine-tuning makes it permanent.`
      : `# Joule: zero the ${PRUNE_AMOUNT * 100}% output channels with the smallest L2 norm (dim=0); remove them physically to save energy.`,
    call,
  ];
  return {
    title: kind === 'prune-l1'
      ? `Prune ${layer.variable}: L1 unstructured, ${PRUNE_AMOUNT * 100}% of weights`
      : `Prune ${layer.variable}: structured, ${PRUNE_AMOUNT * 100}% of output channels (L2)`,
    kind,
    detail: kind === 'prune-l1'
      ? 'Unstructured sparsity saves energy only on sparse kernels or after compression; fine-tune afterwards to recover accuracy.'
      : 'Structured pruning removes whole channels, which dense hardware turns into real savings once the channels are sliced out.',
    edits: withImports(ctx, pruneName === 'prune' ? ['import torch.nn.utils.prune as prune'] : [], [insertAfterStatement(ctx.text, ctx.lines, statement, code)]),
  };
}

/** Where model-level code goes: after a Sequential's statement, or in a helper after a class. */
function modelAnchor(ctx: FixContext, model: SourceModel): { statement: SyntaxNode; helper: boolean } | undefined {
  const offset = ctx.lines.offset(model.range.start);
  if (model.kind === 'class') {
    const definition = statementAt(ctx.tree, offset);
    return definition ? { statement: definition, helper: true } : undefined;
  }
  const statement = statementAt(ctx.tree, offset);
  return statement ? { statement: lastUse(ctx, statement, model.name), helper: false } : undefined;
}

/** The last statement of the block that extends the model (`model.add(...)`), else the definition. */
function lastUse(ctx: FixContext, statement: SyntaxNode, name: string): SyntaxNode {
  let last = statement;
  for (let next = statement.nextSibling; next; next = next.nextSibling) {
    const call = next.name === 'ExpressionStatement' ? next.firstChild : null;
    const callee = call?.name === 'CallExpression' ? ctx.text.slice(call.firstChild?.from ?? 0, call.firstChild?.to ?? 0) : '';
    if (callee === `${name}.add` || callee === `${name}.append`) last = next;
  }
  return last;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

function torchDynamicQuantization(ctx: FixContext, model: SourceModel, kinds: readonly string[]): FixSuggestion | undefined {
  const anchor = modelAnchor(ctx, model);
  if (!anchor) return undefined;
  const nn = torchNn(ctx);
  const set = `{${kinds.map((kind) => `${nn.prefix}.${kind}`).join(', ')}}`;
  const call = (variable: string): string => `torch.ao.quantization.quantize_dynamic(${variable}, ${set}, dtype=torch.qint8)`;
  const code = anchor.helper
    ? [
      `def quantize_${snakeCase(model.name)}_dynamic(model):`,
      `    """Int8 weights for ${kinds.join('/')} layers; activations are quantized on the fly at inference (CPU)."""`,
      `    return ${call('model.eval()')}`,
    ]
    : [`${model.name}_int8 = ${call(`${model.name}.eval()`)}`];
  return {
    title: `Quantize ${model.name} dynamically to int8 (${kinds.join(', ')})`,
    kind: 'quantize-dynamic',
    detail: 'Post-training dynamic quantization: 4× smaller weights and int8 matrix products for Linear and recurrent layers, no calibration data needed.',
    edits: withImports(ctx, [...torchImport(ctx), ...nn.imports], [insertAfterStatement(ctx.text, ctx.lines, anchor.statement, code, anchor.helper ? 2 : 0)]),
  };
}

function torchQat(ctx: FixContext, model: SourceModel): FixSuggestion | undefined {
  const anchor = modelAnchor(ctx, model);
  if (!anchor) return undefined;
  const comment = [
    '# Joule: quantization-aware training. Fake-quantize modules round weights and activations to int8 in the',
    '# forward pass; the straight-through estimator passes gradients through the rounding unchanged, so the',
    '# network learns to tolerate int8. Eager mode needs QuantStub/DeQuantStub around forward(); fine-tune,',
    '# then torch.ao.quantization.convert(model.eval()) gives the int8 model.',
  ];
  const code = anchor.helper
    ? [
      `def prepare_${snakeCase(model.name)}_qat(model, backend="fbgemm"):`,
      ...comment.map((line) => `    ${line}`),
      '    model.qconfig = torch.ao.quantization.get_default_qat_qconfig(backend)',
      '    return torch.ao.quantization.prepare_qat(model.train())',
    ]
    : [
      ...comment,
      `${model.name}.qconfig = torch.ao.quantization.get_default_qat_qconfig("fbgemm")`,
      `${model.name}_qat = torch.ao.quantization.prepare_qat(${model.name}.train())`,
    ];
  return {
    title: `Set up quantization-aware training for ${model.name}`,
    kind: 'qat',
    detail: 'For layers where post-training int8 loses accuracy (small convolutions, depthwise layers): train with fake quantization, then convert.',
    edits: withImports(ctx, torchImport(ctx), [insertAfterStatement(ctx.text, ctx.lines, anchor.statement, code, anchor.helper ? 2 : 0)]),
  };
}

function kerasModelFixes(ctx: FixContext, model: SourceModel): FixSuggestion[] {
  const callRange = model.range;
  const callText = ctx.text.slice(ctx.lines.offset(callRange.start), ctx.lines.offset(callRange.end));
  const wrapCall = (wrapper: string): TextEdit => ({ range: callRange, newText: `${wrapper}(${callText})` });
  const schedule = 'pruning_schedule=tfmot.sparsity.keras.PolynomialDecay(initial_sparsity=0.0, final_sparsity=0.5, begin_step=0, end_step=1000)';
  // A Sequential grown with model.add(...) must be wrapped after its last add, not at construction.
  const anchor = model.kind === 'sequential' ? modelAnchor(ctx, model) : undefined;
  const grown = anchor !== undefined && anchor.statement.from !== statementAt(ctx.tree, ctx.lines.offset(callRange.start))?.from;
  const quantizeEdit = grown && anchor
    ? insertAfterStatement(ctx.text, ctx.lines, anchor.statement, [`${model.name} = tfmot.quantization.keras.quantize_model(${model.name})`])
    : wrapCall('tfmot.quantization.keras.quantize_model');
  const pruneEdit = grown && anchor
    ? insertAfterStatement(ctx.text, ctx.lines, anchor.statement, [`${model.name} = tfmot.sparsity.keras.prune_low_magnitude(${model.name}, ${schedule})`])
    : { range: callRange, newText: `tfmot.sparsity.keras.prune_low_magnitude(${callText}, ${schedule})` };
  return [
    {
      title: `Quantization-aware training for ${model.name} (TF Model Optimization)`,
      kind: 'tfmot-quantize',
      detail: `Wraps the model with fake-quantize ops (straight-through estimator); train briefly, then convert with the TFLite converter to int8. ${TFMOT_NOTE}`,
      edits: withImports(ctx, [TFMOT_IMPORT], [quantizeEdit]),
    },
    {
      title: `Prune ${model.name} to 50% sparsity (TF Model Optimization)`,
      kind: 'tfmot-prune',
      detail: `Magnitude pruning during training; add tfmot.sparsity.keras.UpdatePruningStep() to fit() callbacks and strip_pruning() before export. ${TFMOT_NOTE}`,
      edits: withImports(ctx, [TFMOT_IMPORT], [pruneEdit]),
    },
  ];
}

function kerasLayerPrune(ctx: FixContext, layer: SourceLayer): FixSuggestion {
  const callText = ctx.text.slice(ctx.lines.offset(layer.range.start), ctx.lines.offset(layer.range.end));
  return {
    title: `Prune ${layer.variable} to 50% sparsity (TF Model Optimization)`,
    kind: 'tfmot-prune',
    detail: `Wraps this layer with prune_low_magnitude; train with the UpdatePruningStep callback. ${TFMOT_NOTE}`,
    edits: withImports(ctx, [TFMOT_IMPORT], [{
      range: layer.range,
      newText: `tfmot.sparsity.keras.prune_low_magnitude(${callText}, pruning_schedule=tfmot.sparsity.keras.ConstantSparsity(0.5, begin_step=0))`,
    }]),
  };
}

export { applyEdits } from './fixEdits';
