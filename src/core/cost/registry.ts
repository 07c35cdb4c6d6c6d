/**
 * Which rule costs which operator, by domain. To add an op: write a rule `(node, ctx) => OpCost` in
 * the file of its family under rules/, register it here, and document it in docs/cost-rules.md.
 */
import { precisionOf } from './precision';
import type { OpCostRule } from './context';
import {
  groupQueryAttentionRule, msAttentionRule, msMultiHeadAttentionRule, onnxAttentionRule, qAttentionRule, rotaryEmbeddingRule,
} from './rules/attention';
import { ifRule, loopRule, scanRule } from './rules/controlFlow';
import { convRule, fusedConvRule, nhwcConvRule } from './rules/conv';
import { einsumRule } from './rules/einsum';
import {
  biasAddRule, biasGeluRule, ELEMENTWISE_WORK, fastGeluRule, msGeluRule, perElementCost, quickGeluRule, tableRule, variadicRule,
} from './rules/elementwise';
import {
  fusedGemmRule, fusedMatMulRule, gemmFastGeluRule, gemmRule, matMulBnb4Rule, matMulNBitsRule, matMulRule,
} from './rules/matmul';
import {
  batchNormRule, biasSoftmaxRule, embedLayerNormRule, groupNormRule, instanceNormRule, layerNormRule, lpNormRule, lrnRule,
  mvnRule, rmsNormRule, skipLayerNormRule, skipSimplifiedLayerNormRule, softmaxRule,
} from './rules/normalization';
import { globalPoolRule, poolRule, resizeRule, roiAlignRule } from './rules/pooling';
import {
  convIntegerRule, dequantizeRule, dynamicQuantizeMatMulRule, dynamicQuantizeRule, matMulIntegerRule,
  matMulIntegerToFloatRule, qGemmRule, qLinearConvRule, qLinearElementwiseRule, qLinearGlobalAveragePoolRule,
  qLinearMatMulRule, quantizeRule,
} from './rules/quantized';
import { cdistRule, col2ImRule, detRule, dftRule, gridSampleRule, inverseRule, moeRule, nonMaxSuppressionRule } from './rules/misc';
import { recurrentRule } from './rules/recurrent';
import { reduceRule, topKRule } from './rules/reduction';
import { constantRule, copyRule, generatorRule, metadataRule, selectionRule, shapeQueryRule } from './rules/shapeOps';
import { tfliteRules } from './tflite';

function onnxRules(): Map<string, OpCostRule> {
  const r = new Map<string, OpCostRule>();
  const set = (ops: readonly string[], rule: OpCostRule): void => ops.forEach((op) => r.set(op, rule));
  set(Object.keys(ELEMENTWISE_WORK), tableRule);
  set(['Sum', 'Max', 'Min', 'Mean'], variadicRule);
  set(['Conv', 'ConvTranspose'], convRule);
  set(['MatMul'], matMulRule);
  set(['Gemm'], gemmRule);
  set(['Einsum'], einsumRule);
  set(['BatchNormalization'], batchNormRule);
  set(['LayerNormalization'], layerNormRule);
  set(['SimplifiedLayerNormalization', 'RMSNormalization'], rmsNormRule);
  set(['InstanceNormalization'], instanceNormRule);
  set(['GroupNormalization'], groupNormRule);
  set(['LpNormalization'], lpNormRule);
  set(['MeanVarianceNormalization'], mvnRule);
  set(['LRN'], lrnRule);
  set(['Softmax', 'LogSoftmax', 'Hardmax'], softmaxRule);
  set(['MaxPool', 'AveragePool', 'LpPool'], poolRule);
  set(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'], globalPoolRule);
  set(['Resize', 'Upsample'], resizeRule);
  set(['RoiAlign'], roiAlignRule);
  set(['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare',
    'ReduceLogSum', 'ReduceLogSumExp', 'ArgMax', 'ArgMin', 'CumSum'], reduceRule);
  set(['TopK'], topKRule);
  set(['LSTM', 'GRU', 'RNN'], recurrentRule);
  set(['QuantizeLinear'], quantizeRule);
  set(['DequantizeLinear'], dequantizeRule);
  set(['DynamicQuantizeLinear'], dynamicQuantizeRule);
  set(['QLinearConv'], qLinearConvRule);
  set(['ConvInteger'], convIntegerRule);
  set(['QLinearMatMul'], qLinearMatMulRule);
  set(['MatMulInteger'], matMulIntegerRule);
  set(['If'], ifRule);
  set(['Loop'], loopRule);
  set(['Scan'], scanRule);
  set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity', 'Dropout'], metadataRule);
  set(['Shape', 'Size'], shapeQueryRule);
  set(['Constant'], constantRule);
  set(['Transpose', 'Concat', 'DepthToSpace', 'SpaceToDepth', 'ReverseSequence', 'Trilu', 'NonZero', 'Unique'], copyRule());
  set(['Split'], copyRule([1]));
  set(['Expand', 'Tile'], copyRule([1]));
  set(['Pad'], copyRule([1, 2, 3]));
  set(['ScatterND', 'ScatterElements', 'OneHot'], copyRule());
  set(['Slice'], selectionRule([1, 2, 3, 4]));
  set(['Gather', 'GatherElements', 'GatherND', 'Compress'], selectionRule());
  set(['ConstantOfShape'], generatorRule([0]));
  set(['Range'], generatorRule([0, 1, 2]));
  set(['EyeLike', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike'], generatorRule([0]));
  set(['Attention'], onnxAttentionRule);
  set(['RotaryEmbedding'], rotaryEmbeddingRule);
  set(['GridSample', 'AffineGrid'], gridSampleRule);
  set(['Col2Im'], col2ImRule);
  set(['MaxUnpool'], copyRule([2]));
  set(['CenterCropPad'], copyRule([1]));
  set(['NonMaxSuppression'], nonMaxSuppressionRule);
  set(['DFT'], dftRule);
  set(['Det'], detRule);
  set(['Bernoulli', 'Multinomial'], generatorRule([]));
  set(['SequenceConstruct', 'SequenceInsert', 'SequenceAt', 'SequenceErase', 'SplitToSequence', 'ConcatFromSequence'], copyRule());
  set(['SequenceEmpty', 'SequenceLength', 'Optional', 'OptionalHasElement', 'OptionalGetElement'], metadataRule);
  // Ops exporters emit in the default domain under contrib names, and the deprecated Scatter.
  set(['QuickGelu'], quickGeluRule);
  set(['Swish'], (node, ctx) => perElementCost(node, ctx, { e: 2, t: 1 })); // x · sigmoid(βx)
  set(['Scatter'], copyRule());
  set(['HannWindow', 'HammingWindow', 'BlackmanWindow'], generatorRule([0]));
  set(['MelWeightMatrix'], generatorRule([0, 1, 2, 3, 4]));
  return r;
}

function microsoftRules(): Map<string, OpCostRule> {
  const r = new Map<string, OpCostRule>();
  const set = (ops: readonly string[], rule: OpCostRule): void => ops.forEach((op) => r.set(op, rule));
  set(['Attention'], msAttentionRule);
  set(['MultiHeadAttention', 'DecoderMaskedMultiHeadAttention'], msMultiHeadAttentionRule);
  set(['GroupQueryAttention'], groupQueryAttentionRule);
  set(['RotaryEmbedding'], rotaryEmbeddingRule);
  set(['FusedMatMul'], fusedMatMulRule);
  set(['FusedGemm'], fusedGemmRule);
  set(['MatMulNBits'], matMulNBitsRule);
  set(['FusedConv'], fusedConvRule);
  set(['NhwcConv'], nhwcConvRule);
  set(['SkipLayerNormalization'], skipLayerNormRule);
  set(['SkipSimplifiedLayerNormalization'], skipSimplifiedLayerNormRule);
  set(['SimplifiedLayerNormalization'], rmsNormRule);
  set(['EmbedLayerNormalization'], embedLayerNormRule);
  set(['Gelu'], msGeluRule);
  set(['FastGelu'], fastGeluRule);
  set(['BiasGelu'], biasGeluRule);
  set(['QuickGelu'], quickGeluRule);
  set(['BiasAdd'], biasAddRule);
  set(['BiasSoftmax'], biasSoftmaxRule);
  set(['GroupNorm'], groupNormRule);
  set(['QuantizeLinear'], quantizeRule);
  set(['DequantizeLinear'], dequantizeRule);
  set(['MatMulIntegerToFloat'], matMulIntegerToFloatRule);
  set(['DynamicQuantizeMatMul'], dynamicQuantizeMatMulRule);
  set(['QGemm'], qGemmRule);
  set(['QLinearAdd', 'QLinearMul', 'QLinearSigmoid', 'QLinearLeakyRelu'], qLinearElementwiseRule);
  set(['QLinearGlobalAveragePool'], qLinearGlobalAveragePoolRule);
  set(['QLinearConcat'], copyRule());
  set(['QAttention'], qAttentionRule);
  set(['NhwcMaxPool'], poolRule);
  set(['QLinearAveragePool'], atIntegerPrecision(poolRule));
  set(['QLinearSoftmax'], atIntegerPrecision(softmaxRule));
  set(['QLinearReduceMean'], atIntegerPrecision(reduceRule));
  set(['QLinearWhere'], atIntegerPrecision(tableRule));
  set(['GatherBlockQuantized'], selectionRule());
  set(['BiasSplitGelu'], (node, ctx) => perElementCost(node, ctx, { e: 7, t: 1 }));
  set(['BiasDropout'], biasAddRule);
  set(['SkipGroupNorm'], groupNormRule);
  set(['GemmFastGelu'], gemmFastGeluRule);
  set(['MatMulBnb4'], matMulBnb4Rule);
  set(['Inverse'], inverseRule);
  set(['CDist'], cdistRule);
  set(['MoE'], moeRule);
  set(['Trilu', 'Range', 'Unique'], copyRule());
  set(['FusedMatMulActivation', 'TransposeMatMul'], fusedMatMulRule);
  set(['LayerNormalization'], layerNormRule);
  set(['AddBiasAdd'], biasAddRule);
  return r;
}

/**
 * Operators with a shape rule but deliberately no cost rule: an analysis lists them as unknown cost
 * (never a silent 0). The parity test keeps this list and the two rule tables in step.
 */
export const UNCOSTED_OPS: Readonly<Record<string, string>> = {
  DeformConv: 'the sampled offsets make its work data-dependent; not modelled yet',
  MaxRoiPool: 'work depends on the ROIs at run time',
  STFT: 'frame count and FFT size are not modelled yet',
  NegativeLogLikelihoodLoss: 'a training loss, not an inference operator',
  SoftmaxCrossEntropyLoss: 'a training loss, not an inference operator',
  StringNormalizer: 'text preprocessing, no tensor arithmetic to price',
  TfIdfVectorizer: 'text preprocessing, no tensor arithmetic to price',
  'ai.onnx.preview.training:Adagrad': 'a training optimizer step',
  'ai.onnx.preview.training:Adam': 'a training optimizer step',
  'ai.onnx.preview.training:Momentum': 'a training optimizer step',
  'com.microsoft:BeamSearch': 'a generation loop: its cost is its decoder subgraph times the steps, unknown statically',
  'com.microsoft:GreedySearch': 'a generation loop: its cost is its decoder subgraph times the steps, unknown statically',
  'com.microsoft:Sampling': 'a generation loop: its cost is its decoder subgraph times the steps, unknown statically',
  'com.microsoft:MatMulFpQ4': 'packed 4-bit weight blob whose shape is a separate input; MatMulNBits is the supported form',
};

/** Quantized variants costed like their float op, at the integer precision of their input. */
function atIntegerPrecision(rule: OpCostRule): OpCostRule {
  return (node, ctx) => ({ ...rule(node, ctx), precision: precisionOf(ctx.dataType(node.inputs[0] ?? '')) ?? 'int8' });
}

let cache: ReadonlyMap<string, ReadonlyMap<string, OpCostRule>> | undefined;

/** Rules by domain ('' = ai.onnx). Built on first use so importing the module does no work. */
export function ruleTable(): ReadonlyMap<string, ReadonlyMap<string, OpCostRule>> {
  cache ??= new Map([['', onnxRules()], ['com.microsoft', microsoftRules()], ['tflite', tfliteRules()]]);
  return cache;
}

/** The rule for an op, or undefined when none covers it. 'ai.onnx' is the default domain. */
export function findRule(domain: string, opType: string): OpCostRule | undefined {
  const d = domain === 'ai.onnx' ? '' : domain;
  return ruleTable().get(d)?.get(opType);
}

/** Every op type covered, per domain, for documentation and tests. */
export function coveredOps(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [domain, rules] of ruleTable()) out[domain || 'ai.onnx'] = [...rules.keys()].sort();
  return out;
}
