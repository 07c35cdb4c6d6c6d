/**
 * Keras layer rules (Keras 3 / tf.keras signatures and defaults). Keras infers input sizes at build
 * time, so most parameter counts need the input shape: without it `params` stays undefined. Shapes are
 * channels-last with the batch first. MACs and FLOPs come from the shared formulas (cost/formulas.ts);
 * an `activation=` argument adds the work of the ONNX op a converter emits for it.
 */
import {
  addWork, batchNormFlops, convParams, convTransposeWork, convWork, ELEMENTWISE_WORK, globalPoolFlops, layerNormFlops, linearWork, lookupRead,
  type OpWork, type PerElementWork, poolFlops, resizeFlops, resizeTaps, softmaxFlops, sumWork,
} from '../cost/formulas';
import { activationArgWork, kerasActivationWork } from './kerasActivations';
import { expectShape, formatShape, product, signature, type LayerArgs } from './layerArgs';
import { channelsFirst, channelsLast, elementwiseRule, kerasTransposeOutput, kerasWindowOutput, type LayerRule } from './layerRule';
import { kerasSequenceRules } from './kerasSequence';
import type { Shape } from './types';

function dense(): LayerRule {
  return {
    signature: signature(['units', ['activation', null], ['use_bias', true]]),
    describe(args, inputs) {
      const units = args.int('units');
      const [input] = inputs;
      if (input === undefined) return {};
      const features = input[input.length - 1];
      expectShape(features !== undefined, () => 'Dense expects an input with at least one dimension');
      const bias = args.bool('use_bias');
      const rows = product(input.slice(0, -1));
      const work = withActivation(linearWork({ rows, inFeatures: features, outFeatures: units, bias }), rows * units, activationArgWork(args));
      return { params: features * units + (bias ? units : 0), output: [...input.slice(0, -1), units], ...work };
    },
  };
}

function spatialSplit(args: LayerArgs, input: Shape, rank: number, what: string): { lead: number[]; channels: number; spatial: number[]; channelsFirst: boolean } {
  const first = args.string('data_format') === 'channels_first';
  return { ...(first ? channelsFirst(input, rank, what) : channelsLast(input, rank, what)), channelsFirst: first };
}

function assemble(lead: readonly number[], channels: number, spatial: readonly number[], first: boolean): Shape {
  return first ? [...lead, channels, ...spatial] : [...lead, ...spatial, channels];
}

/** A layer's own work plus its activation applied to `outElements`. */
function withActivation(work: OpWork, outElements: number, activation: PerElementWork): OpWork {
  return { ...work, elementwise: work.elementwise + outElements * activation.e, transcendental: work.transcendental + outElements * activation.t };
}

type ConvKind = 'conv' | 'transpose' | 'depthwise' | 'separable';

function conv(rank: number, kind: ConvKind): LayerRule {
  const common = [['strides', 1], ['padding', 'valid']] as const;
  const entries = kind === 'depthwise'
    ? ['kernel_size', ...common, ['depth_multiplier', 1], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]] as const
    : kind === 'separable'
      ? ['filters', 'kernel_size', ...common, ['data_format', null], ['dilation_rate', 1], ['depth_multiplier', 1], ['activation', null], ['use_bias', true]] as const
      : kind === 'transpose'
        ? ['filters', 'kernel_size', ...common, ['output_padding', null], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]] as const
        : ['filters', 'kernel_size', ...common, ['data_format', null], ['dilation_rate', 1], ['groups', 1], ['activation', null], ['use_bias', true]] as const;
  const what = kerasConvName(rank, kind);
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const kernel = args.ints('kernel_size', rank);
      const [input] = inputs;
      if (input === undefined) return {};
      const { lead, channels, spatial, channelsFirst: first } = spatialSplit(args, input, rank, what);
      const strides = args.ints('strides', rank);
      const dilation = args.ints('dilation_rate', rank);
      const padding = args.string('padding', 'valid') ?? 'valid';
      const bias = args.bool('use_bias');
      const window = product(kernel);
      const activation = activationArgWork(args);
      const batch = product(lead);
      if (kind === 'transpose') {
        const filters = args.int('filters');
        const outputPadding = args.isNone('output_padding') ? undefined : args.ints('output_padding', rank);
        const outSpatial = spatial.map((length, i) => kerasTransposeOutput(length, kernel[i]!, strides[i]!, padding, dilation[i]!, outputPadding?.[i]));
        const output = assemble(lead, filters, outSpatial, first);
        const spec = { batch, inChannels: channels, outChannels: filters, kernel, inSpatial: spatial, outSpatial, bias };
        return { params: convParams(spec), output, ...withActivation(convTransposeWork(spec), product(output), activation) };
      }
      const outSpatial = spatial.map((length, i) => kerasWindowOutput(length, kernel[i]!, strides[i]!, padding, dilation[i]!));
      expectShape(outSpatial.every((d) => d > 0), () => `${what} output would be empty for input ${formatShape(input)}`);
      const shape = { batch, inChannels: channels, kernel, inSpatial: spatial, outSpatial };
      if (kind === 'depthwise' || kind === 'separable') {
        const multiplier = args.int('depth_multiplier');
        const depthwiseOut = channels * multiplier;
        const depthwiseParams = window * depthwiseOut;
        if (kind === 'depthwise') {
          const output = assemble(lead, depthwiseOut, outSpatial, first);
          const work = convWork({ ...shape, outChannels: depthwiseOut, groups: channels, bias });
          return { params: depthwiseParams + (bias ? depthwiseOut : 0), output, ...withActivation(work, product(output), activation) };
        }
        // Separable: a depthwise convolution (no bias) then a 1×1 convolution with the bias.
        const filters = args.int('filters');
        const output = assemble(lead, filters, outSpatial, first);
        const depthwise = convWork({ ...shape, outChannels: depthwiseOut, groups: channels });
        const pointwise = convWork({ batch, inChannels: depthwiseOut, outChannels: filters, kernel: kernel.map(() => 1), inSpatial: outSpatial, outSpatial, bias });
        return {
          params: depthwiseParams + depthwiseOut * filters + (bias ? filters : 0), output,
          ...withActivation(sumWork(depthwise, pointwise), product(output), activation), gemm: pointwise.gemm,
        };
      }
      const filters = args.int('filters');
      const groups = args.int('groups');
      expectShape(channels % groups === 0, () => `${what}: ${channels} input channels are not divisible by groups=${groups}`);
      const output = assemble(lead, filters, outSpatial, first);
      const spec = { ...shape, outChannels: filters, groups, bias };
      return { params: convParams(spec), output, ...withActivation(convWork(spec), product(output), activation) };
    },
  };
}

function kerasConvName(rank: number, kind: ConvKind): string {
  const suffix = `${rank}D`;
  return kind === 'transpose' ? `Conv${suffix}Transpose` : kind === 'depthwise' ? `DepthwiseConv${suffix}` : kind === 'separable' ? `SeparableConv${suffix}` : `Conv${suffix}`;
}

/** BatchNormalization, LayerNormalization, GroupNormalization: size from the normalized axis. */
function normalization(kind: 'batch' | 'layer' | 'group'): LayerRule {
  const entries = kind === 'group'
    ? [['groups', 32], ['axis', -1], ['epsilon', 1e-3], ['center', true], ['scale', true]] as const
    : kind === 'batch'
      ? [['axis', -1], ['momentum', 0.99], ['epsilon', 1e-3], ['center', true], ['scale', true]] as const
      : [['axis', -1], ['epsilon', 1e-3], ['center', true], ['scale', true]] as const;
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return {};
      const axes = Array.isArray(args.value('axis')) ? args.ints('axis', (args.value('axis') as unknown[]).length) : [args.int('axis')];
      const dims = axes.map((axis) => input[axis < 0 ? input.length + axis : axis]);
      expectShape(dims.every((d) => d !== undefined), () => `axis ${formatShape(axes)} is out of range for ${formatShape(input)}`);
      const size = product(dims);
      const params = size * ((args.bool('center') ? 1 : 0) + (args.bool('scale') ? 1 : 0));
      const elements = product(input);
      // Group norm: statistics per (sample, group); layer norm: per row of the normalized axes.
      const flops = kind === 'batch' ? batchNormFlops(elements, size)
        : layerNormFlops(elements, kind === 'group' ? (input[0] ?? 1) * args.int('groups') : elements / size);
      return { params, buffers: kind === 'batch' ? 2 * size : 0, output: input, macs: 0, ...flops };
    },
  };
}

function embedding(): LayerRule {
  return {
    signature: signature(['input_dim', 'output_dim']),
    describe(args, inputs) {
      const dim = args.int('output_dim');
      const params = args.int('input_dim') * dim;
      const [input] = inputs;
      if (input === undefined) return { params };
      const output = [...input, dim];
      return { params, output, macs: 0, weightsRead: lookupRead(product(output), params), note: 'lookup: reads only the rows it indexes' };
    },
  };
}

function pooling(rank: number, op: 'max' | 'avg'): LayerRule {
  return {
    signature: signature([['pool_size', 2], ['strides', null], ['padding', 'valid'], ['data_format', null]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const pool = args.ints('pool_size', rank);
      const strides = args.isNone('strides') ? pool : args.ints('strides', rank);
      const padding = args.string('padding', 'valid') ?? 'valid';
      const { lead, channels, spatial, channelsFirst: first } = spatialSplit(args, input, rank, `${op === 'max' ? 'MaxPooling' : 'AveragePooling'}${rank}D`);
      const output = assemble(lead, channels, spatial.map((length, i) => kerasWindowOutput(length, pool[i]!, strides[i]!, padding, 1)), first);
      return { params: 0, output, macs: 0, ...poolFlops(op === 'max' ? 'max' : 'average', product(output), product(pool)) };
    },
  };
}

function globalPooling(rank: number, op: 'max' | 'average'): LayerRule {
  return {
    signature: signature([['data_format', null], ['keepdims', false]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const { lead, channels, channelsFirst: first } = spatialSplit(args, input, rank, `GlobalPooling${rank}D`);
      const output = args.bool('keepdims') ? assemble(lead, channels, new Array<number>(rank).fill(1), first) : [...lead, channels];
      return { params: 0, output, macs: 0, ...globalPoolFlops(op, product(input), product(output)) };
    },
  };
}

function flatten(): LayerRule {
  return {
    signature: signature([['data_format', null]]),
    describe: (_args, inputs) => {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const [batch, ...rest] = input;
      expectShape(batch !== undefined, () => 'Flatten expects a batched input');
      return { params: 0, output: [batch, product(rest)], macs: 0 };
    },
  };
}

function reshape(): LayerRule {
  return {
    signature: signature(['target_shape']),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const raw = args.value('target_shape');
      const target = args.ints('target_shape', Array.isArray(raw) ? raw.length : 1);
      const known = product(target.filter((d) => d !== -1));
      const [batch, ...rest] = input;
      const total = product(rest);
      const resolved = target.map((d) => (d === -1 ? total / known : d));
      expectShape(batch !== undefined && product(resolved) === total, () => `Reshape to ${formatShape(target)} does not fit ${formatShape(input)}`);
      return { params: 0, output: [batch, ...resolved], macs: 0 };
    },
  };
}

/** Add, Multiply, Average, Maximum, Minimum, Subtract and Concatenate (functional API). */
function merge(concatenate: boolean, average = false): LayerRule {
  return {
    signature: signature(concatenate ? [['axis', -1]] : []),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      // As ONNX Sum/Mean: n − 1 ops per output element, one more to scale an average.
      if (!concatenate) return { params: 0, output: input, macs: 0, elementwise: product(input) * (inputs.length - 1 + (average ? 1 : 0)) };
      const axis = args.int('axis');
      const rank = input.length;
      const at = axis < 0 ? rank + axis : axis;
      expectShape(inputs.every((shape) => shape.length === rank), () => `Concatenate expects inputs of one rank, got ${inputs.map(formatShape).join(' and ')}`);
      const output = input.map((d, i) => (i === at ? inputs.reduce((sum, shape) => sum + shape[i]!, 0) : d));
      return { params: 0, output, macs: 0 };
    },
  };
}

function padOrUpsample(rank: number, kind: 'pad' | 'up'): LayerRule {
  return {
    signature: signature(kind === 'pad' ? [['padding', 1], ['data_format', null]] : [['size', 2], ['data_format', null], ['interpolation', 'nearest']]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const { lead, channels, spatial, channelsFirst: first } = spatialSplit(args, input, rank, kind === 'pad' ? 'ZeroPadding' : 'UpSampling');
      const amounts = args.ints(kind === 'pad' ? 'padding' : 'size', rank);
      const outSpatial = spatial.map((length, i) => (kind === 'pad' ? length + 2 * amounts[i]! : length * amounts[i]!));
      const output = assemble(lead, channels, outSpatial, first);
      if (kind === 'pad') return { params: 0, output, macs: 0 };
      // Nearest copies; bilinear (UpSampling2D) interpolates as an ONNX Resize does.
      const resized = outSpatial.filter((d, i) => d !== spatial[i]).length;
      return { params: 0, output, macs: 0, ...resizeFlops(product(output), resizeTaps(args.string('interpolation', 'nearest') ?? 'nearest'), resized) };
    },
  };
}

const NONE: PerElementWork = { e: 0, t: 0 };
const softmaxWork = ((f) => ({ e: f.elementwise, t: f.transcendental }))(softmaxFlops(1));

/** The Activation layer: the named activation's work per element. */
function activationLayer(): LayerRule {
  return {
    signature: signature(['activation']),
    describe: (args, inputs) => elementwiseRule([], activationArgWork(args)).describe(args, inputs),
  };
}

/** ReLU(max_value=...) is a Clip when capped (as ReLU6 exports), a Relu otherwise. */
function relu(): LayerRule {
  return {
    signature: signature([['max_value', null]]),
    describe: (args, inputs) => elementwiseRule([], ELEMENTWISE_WORK[args.isNone('max_value') ? 'Relu' : 'Clip']!).describe(args, inputs),
  };
}

const SHAPE_KEEPING: Readonly<Record<string, LayerRule>> = {
  Dropout: elementwiseRule(signature(['rate']), NONE),
  SpatialDropout1D: elementwiseRule(signature(['rate']), NONE),
  SpatialDropout2D: elementwiseRule(signature(['rate']), NONE),
  GaussianNoise: elementwiseRule(signature(['stddev']), NONE),
  Activation: activationLayer(),
  ReLU: relu(),
  LeakyReLU: elementwiseRule(signature([['negative_slope', 0.3]]), kerasActivationWork('leaky_relu')),
  ELU: elementwiseRule(signature([['alpha', 1]]), kerasActivationWork('elu')),
  Softmax: elementwiseRule(signature([['axis', -1]]), softmaxWork),
  // x · scale + offset.
  Rescaling: elementwiseRule(signature(['scale', ['offset', 0]]), addWork(ELEMENTWISE_WORK.Mul!, ELEMENTWISE_WORK.Add!)),
  Identity: elementwiseRule([], NONE),
};

function buildRules(): Map<string, LayerRule> {
  const rules = new Map<string, LayerRule>(Object.entries(SHAPE_KEEPING));
  rules.set('Dense', dense());
  for (const rank of [1, 2, 3]) {
    rules.set(`Conv${rank}D`, conv(rank, 'conv'));
    rules.set(`Conv${rank}DTranspose`, conv(rank, 'transpose'));
    rules.set(`MaxPooling${rank}D`, pooling(rank, 'max'));
    rules.set(`AveragePooling${rank}D`, pooling(rank, 'avg'));
    rules.set(`GlobalAveragePooling${rank}D`, globalPooling(rank, 'average'));
    rules.set(`GlobalMaxPooling${rank}D`, globalPooling(rank, 'max'));
    rules.set(`ZeroPadding${rank}D`, padOrUpsample(rank, 'pad'));
    rules.set(`UpSampling${rank}D`, padOrUpsample(rank, 'up'));
  }
  for (const rank of [1, 2]) {
    rules.set(`DepthwiseConv${rank}D`, conv(rank, 'depthwise'));
    rules.set(`SeparableConv${rank}D`, conv(rank, 'separable'));
  }
  rules.set('BatchNormalization', normalization('batch'));
  rules.set('LayerNormalization', normalization('layer'));
  rules.set('GroupNormalization', normalization('group'));
  rules.set('Embedding', embedding());
  rules.set('Flatten', flatten());
  rules.set('Reshape', reshape());
  for (const name of ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Subtract']) rules.set(name, merge(false, name === 'Average'));
  rules.set('Concatenate', merge(true));
  for (const [name, rule] of kerasSequenceRules()) rules.set(name, rule);
  return rules;
}

let cached: Map<string, LayerRule> | undefined;

/** The rule for a keras.layers class name, or undefined when Joule has none. */
export function kerasLayerRule(kind: string): LayerRule | undefined {
  cached ??= buildRules();
  return cached.get(kind);
}
