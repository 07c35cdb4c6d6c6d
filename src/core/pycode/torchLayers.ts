/**
 * PyTorch layer rules: signatures with torch.nn's real defaults, parameter counts as
 * `sum(p.numel() for p in m.parameters())` gives them and output shapes. MACs and FLOPs come from the
 * shared formulas (cost/formulas.ts), so a layer costs what its ONNX export costs.
 */
import {
  batchNormFlops, convParams, convTransposeWork, convWork, ELEMENTWISE_WORK, GELU_TANH, globalPoolFlops, layerNormFlops,
  linearWork, logSoftmaxFlops, lookupRead, type PerElementWork, poolFlops, resizeFlops, resizeTaps, SILU, softmaxFlops,
} from '../cost/formulas';
import { expectShape, formatShape, product, signature, type LayerArgs } from './layerArgs';
import { channelsFirst, elementwiseRule, torchWindowOutput, type LayerFacts, type LayerRule } from './layerRule';
import { torchRecurrentRules } from './torchRecurrent';
import type { Shape } from './types';

const DEVICE_DTYPE = [['device', null], ['dtype', null]] as const;
const NONE: PerElementWork = { e: 0, t: 0 };

function conv(rank: number): LayerRule {
  return {
    signature: signature(['in_channels', 'out_channels', 'kernel_size', ['stride', 1], ['padding', 0], ['dilation', 1],
      ['groups', 1], ['bias', true], ['padding_mode', 'zeros'], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const cin = args.int('in_channels');
      const cout = args.int('out_channels');
      const groups = args.int('groups');
      const kernel = args.ints('kernel_size', rank);
      const bias = args.bool('bias');
      const params = convParams({ batch: 1, inChannels: cin, outChannels: cout, kernel, inSpatial: [], outSpatial: [], groups, bias });
      const [input] = inputs;
      if (input === undefined) return { params };
      const { lead, channels, spatial } = channelsFirst(input, rank, `Conv${rank}d`);
      expectShape(channels === cin, () => `Conv${rank}d expects ${cin} input channels, got ${channels} in ${formatShape(input)}`);
      const stride = args.ints('stride', rank);
      const dilation = args.ints('dilation', rank);
      const paddingValue = args.value('padding');
      const outSpatial = spatial.map((length, i) => {
        if (paddingValue === 'same') return length;
        const padding = paddingValue === 'valid' ? 0 : args.ints('padding', rank)[i]!;
        return torchWindowOutput(length, kernel[i]!, stride[i]!, padding, dilation[i]!);
      });
      const output = [...lead, cout, ...outSpatial];
      return { params, output, ...convWork({ batch: product(lead), inChannels: cin, outChannels: cout, kernel, inSpatial: spatial, outSpatial, groups, bias }) };
    },
  };
}

function convTranspose(rank: number): LayerRule {
  return {
    signature: signature(['in_channels', 'out_channels', 'kernel_size', ['stride', 1], ['padding', 0], ['output_padding', 0],
      ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros'], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const cin = args.int('in_channels');
      const cout = args.int('out_channels');
      const groups = args.int('groups');
      const kernel = args.ints('kernel_size', rank);
      const bias = args.bool('bias');
      // weight: (in_channels, out_channels / groups, *kernel): as many as the forward convolution's
      const params = convParams({ batch: 1, inChannels: cin, outChannels: cout, kernel, inSpatial: [], outSpatial: [], groups, bias });
      const [input] = inputs;
      if (input === undefined) return { params };
      const { lead, channels, spatial } = channelsFirst(input, rank, `ConvTranspose${rank}d`);
      expectShape(channels === cin, () => `ConvTranspose${rank}d expects ${cin} input channels, got ${channels}`);
      const stride = args.ints('stride', rank);
      const padding = args.ints('padding', rank);
      const outputPadding = args.ints('output_padding', rank);
      const dilation = args.ints('dilation', rank);
      const outSpatial = spatial.map((length, i) =>
        (length - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (kernel[i]! - 1) + outputPadding[i]! + 1);
      const output = [...lead, cout, ...outSpatial];
      return { params, output, ...convTransposeWork({ batch: product(lead), inChannels: cin, outChannels: cout, kernel, inSpatial: spatial, outSpatial, groups, bias }) };
    },
  };
}

function linear(): LayerRule {
  return {
    signature: signature(['in_features', 'out_features', ['bias', true], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const inFeatures = args.int('in_features');
      const outFeatures = args.int('out_features');
      const bias = args.bool('bias');
      const params = inFeatures * outFeatures + (bias ? outFeatures : 0);
      const [input] = inputs;
      if (input === undefined) return { params };
      expectShape(input[input.length - 1] === inFeatures, () => `Linear expects last dimension ${inFeatures}, got ${formatShape(input)}`);
      const rows = product(input.slice(0, -1));
      return { params, output: [...input.slice(0, -1), outFeatures], ...linearWork({ rows, inFeatures, outFeatures, bias }) };
    },
  };
}

/**
 * Normalization over a channel axis (dim 1): BatchNorm folds its running statistics into a scale and
 * shift; InstanceNorm computes statistics per (sample, channel) at inference, a layer norm per instance.
 */
function channelNorm(name: string, affineDefault: boolean, trackDefault: boolean): LayerRule {
  return {
    signature: signature(['num_features', ['eps', 1e-5], ['momentum', 0.1], ['affine', affineDefault],
      ['track_running_stats', trackDefault], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const channels = args.int('num_features');
      const params = args.bool('affine') ? 2 * channels : 0;
      const buffers = args.bool('track_running_stats') ? 2 * channels : 0;
      const [input] = inputs;
      if (input === undefined) return { params, buffers };
      const channelAxis = input.length >= 2 ? 1 : 0;
      expectShape(input[channelAxis] === channels, () => `${name} expects ${channels} channels at dim 1, got ${formatShape(input)}`);
      const elements = product(input);
      const flops = name.startsWith('BatchNorm') ? batchNormFlops(elements, channels) : layerNormFlops(elements, product(input.slice(0, channelAxis + 1)));
      return { params, buffers, output: input, macs: 0, ...flops };
    },
  };
}

function layerNorm(): LayerRule {
  return {
    signature: signature(['normalized_shape', ['eps', 1e-5], ['elementwise_affine', true], ['bias', true], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const raw = args.value('normalized_shape');
      const normalized = typeof raw === 'number' ? [args.int('normalized_shape')] : args.ints('normalized_shape', Array.isArray(raw) ? raw.length : 1);
      const size = product(normalized);
      const params = args.bool('elementwise_affine') ? size * (args.bool('bias') ? 2 : 1) : 0;
      const [input] = inputs;
      if (input === undefined) return { params };
      const tail = input.slice(input.length - normalized.length);
      expectShape(tail.every((d, i) => d === normalized[i]), () => `LayerNorm over ${formatShape(normalized)} does not match ${formatShape(input)}`);
      return { params, output: input, macs: 0, ...layerNormFlops(product(input), product(input) / size) };
    },
  };
}

function groupNorm(): LayerRule {
  return {
    signature: signature(['num_groups', 'num_channels', ['eps', 1e-5], ['affine', true], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const channels = args.int('num_channels');
      const params = args.bool('affine') ? 2 * channels : 0;
      const [input] = inputs;
      if (input === undefined) return { params };
      expectShape(input[1] === channels, () => `GroupNorm expects ${channels} channels at dim 1, got ${formatShape(input)}`);
      return { params, output: input, macs: 0, ...layerNormFlops(product(input), product(input.slice(0, 1)) * args.int('num_groups')) };
    },
  };
}

function embedding(): LayerRule {
  return {
    signature: signature(['num_embeddings', 'embedding_dim', ['padding_idx', null], ['max_norm', null], ['norm_type', 2],
      ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ['_freeze', false], ...DEVICE_DTYPE]),
    describe(args, inputs) {
      const dim = args.int('embedding_dim');
      const params = args.int('num_embeddings') * dim;
      const [input] = inputs;
      if (input === undefined) return { params };
      const output = [...input, dim];
      return { params, output, macs: 0, weightsRead: lookupRead(product(output), params), note: 'lookup: reads only the rows it indexes' };
    },
  };
}

function pool(rank: number, kind: 'max' | 'avg'): LayerRule {
  const entries = kind === 'max'
    ? ['kernel_size', ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]] as const
    : ['kernel_size', ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]] as const;
  return {
    signature: signature(entries),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const kernel = args.ints('kernel_size', rank);
      const stride = args.isNone('stride') ? kernel : args.ints('stride', rank);
      const padding = args.ints('padding', rank);
      const dilation = kind === 'max' ? args.ints('dilation', rank) : new Array<number>(rank).fill(1);
      const { lead, channels, spatial } = channelsFirst(input, rank, `${kind === 'max' ? 'MaxPool' : 'AvgPool'}${rank}d`);
      const outSpatial = spatial.map((length, i) => torchWindowOutput(length, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, args.bool('ceil_mode')));
      const output = [...lead, channels, ...outSpatial];
      return { params: 0, output, macs: 0, ...poolFlops(kind === 'max' ? 'max' : 'average', product(output), product(kernel)) };
    },
  };
}

/** Adaptive pools: windows that tile the input, so each input element is read once (as a global pool). */
function adaptivePool(rank: number, kind: 'max' | 'average'): LayerRule {
  return {
    signature: signature(['output_size', ['return_indices', false]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const { lead, channels, spatial } = channelsFirst(input, rank, `AdaptivePool${rank}d`);
      const requested = args.optionalInts('output_size', rank);
      const output = [...lead, channels, ...spatial.map((length, i) => requested[i] ?? length)];
      return { params: 0, output, macs: 0, ...globalPoolFlops(kind, product(input), product(output)) };
    },
  };
}

function flatten(): LayerRule {
  return {
    signature: signature([['start_dim', 1], ['end_dim', -1]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      return { params: 0, output: flattenShape(input, args.int('start_dim'), args.int('end_dim')), macs: 0 };
    },
  };
}

export function flattenShape(input: Shape, startDim: number, endDim: number): Shape {
  const start = startDim < 0 ? input.length + startDim : startDim;
  const end = endDim < 0 ? input.length + endDim : endDim;
  expectShape(start >= 0 && end < input.length && start <= end, () => `cannot flatten dims ${startDim}..${endDim} of ${formatShape(input)}`);
  return [...input.slice(0, start), product(input.slice(start, end + 1)), ...input.slice(end + 1)];
}

function prelu(): LayerRule {
  return {
    signature: signature([['num_parameters', 1], ['init', 0.25], ...DEVICE_DTYPE]),
    describe: (args, inputs) => withOutput(args.int('num_parameters'), inputs, ELEMENTWISE_WORK.PRelu!),
  };
}

function withOutput(params: number, inputs: readonly Shape[], work: PerElementWork): LayerFacts {
  const [input] = inputs;
  if (input === undefined) return { params };
  return { params, output: input, macs: 0, elementwise: work.e * product(input), transcendental: work.t * product(input) };
}

function upsample(): LayerRule {
  return {
    signature: signature([['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const rank = input.length - 2;
      const spatial = input.slice(2);
      const out = args.isNone('size')
        ? spatial.map((length, i) => Math.floor(length * scaleAt(args, rank, i)))
        : args.ints('size', rank);
      const output = [...input.slice(0, 2), ...out];
      const resized = out.filter((d, i) => d !== spatial[i]).length;
      return { params: 0, output, macs: 0, ...resizeFlops(product(output), resizeTaps(args.string('mode', 'nearest') ?? 'nearest'), resized) };
    },
  };
}

function scaleAt(args: LayerArgs, rank: number, index: number): number {
  const value = args.value('scale_factor');
  if (typeof value === 'number') return value;
  return args.ints('scale_factor', rank)[index]!;
}

const NO_ARGS = signature([['inplace', false]]);
const DIM_ARGS = signature([['dim', null]]);

/** torch.nn activations priced as the ONNX ops they export to (ReLU6 and Hardtanh are Clip, SiLU is Sigmoid·x). */
const onnx = (op: string): PerElementWork => ELEMENTWISE_WORK[op]!;

/** The softmax axis: `dim`, or PyTorch's legacy implicit choice (0 for 0-, 1- and 3-d inputs, else 1). */
function softmaxRows(args: LayerArgs, input: Shape): number {
  let dim = args.isNone('dim') ? (input.length === 0 || input.length === 1 || input.length === 3 ? 0 : 1) : args.int('dim');
  if (dim < 0) dim += input.length;
  return product(input) / (input[dim] ?? 1);
}

function softmax(kind: 'Softmax' | 'LogSoftmax' | 'Softmin'): LayerRule {
  return {
    signature: DIM_ARGS,
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const elements = product(input);
      const flops = kind === 'LogSoftmax' ? logSoftmaxFlops(elements, softmaxRows(args, input)) : softmaxFlops(elements);
      // Softmin is softmax(−x): one negation more per element.
      return { params: 0, output: input, macs: 0, ...flops, elementwise: flops.elementwise + (kind === 'Softmin' ? elements : 0) };
    },
  };
}

function gelu(): LayerRule {
  return {
    signature: signature([['approximate', 'none']]),
    describe: (args, inputs) => withOutput(0, inputs, args.string('approximate', 'none') === 'tanh' ? GELU_TANH : onnx('Gelu')),
  };
}

const ACTIVATIONS: Readonly<Record<string, LayerRule>> = {
  ReLU: elementwiseRule(NO_ARGS, onnx('Relu')),
  ReLU6: elementwiseRule(NO_ARGS, onnx('Clip')),
  LeakyReLU: elementwiseRule(signature([['negative_slope', 0.01], ['inplace', false]]), onnx('LeakyRelu')),
  Hardtanh: elementwiseRule(signature([['min_val', -1], ['max_val', 1], ['inplace', false]]), onnx('Clip')),
  Hardswish: elementwiseRule(NO_ARGS, onnx('HardSwish')),
  Hardsigmoid: elementwiseRule(NO_ARGS, onnx('HardSigmoid')),
  ELU: elementwiseRule(signature([['alpha', 1], ['inplace', false]]), onnx('Elu')),
  SELU: elementwiseRule(NO_ARGS, onnx('Selu')),
  CELU: elementwiseRule(signature([['alpha', 1], ['inplace', false]]), onnx('Celu')),
  GELU: gelu(),
  SiLU: elementwiseRule(NO_ARGS, SILU),
  Mish: elementwiseRule(NO_ARGS, onnx('Mish')),
  Sigmoid: elementwiseRule([], onnx('Sigmoid')),
  Tanh: elementwiseRule([], onnx('Tanh')),
  Softplus: elementwiseRule(signature([['beta', 1], ['threshold', 20]]), onnx('Softplus')),
  Softsign: elementwiseRule([], onnx('Softsign')),
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
  Softmin: softmax('Softmin'),
  Dropout: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), NONE),
  Dropout1d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), NONE),
  Dropout2d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), NONE),
  Dropout3d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), NONE),
  AlphaDropout: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), NONE),
  Identity: elementwiseRule([], NONE),
};

function buildRules(): Map<string, LayerRule> {
  const rules = new Map<string, LayerRule>(Object.entries(ACTIVATIONS));
  rules.set('Linear', linear());
  rules.set('LazyLinear', { signature: signature(['out_features', ['bias', true]]), describe: () => ({ note: 'LazyLinear infers in_features at first call' }) });
  for (const rank of [1, 2, 3]) {
    rules.set(`Conv${rank}d`, conv(rank));
    rules.set(`ConvTranspose${rank}d`, convTranspose(rank));
    rules.set(`BatchNorm${rank}d`, channelNorm(`BatchNorm${rank}d`, true, true));
    rules.set(`InstanceNorm${rank}d`, channelNorm(`InstanceNorm${rank}d`, false, false));
    rules.set(`MaxPool${rank}d`, pool(rank, 'max'));
    rules.set(`AvgPool${rank}d`, pool(rank, 'avg'));
    rules.set(`AdaptiveAvgPool${rank}d`, adaptivePool(rank, 'average'));
    rules.set(`AdaptiveMaxPool${rank}d`, adaptivePool(rank, 'max'));
  }
  rules.set('LayerNorm', layerNorm());
  rules.set('GroupNorm', groupNorm());
  rules.set('Embedding', embedding());
  rules.set('Flatten', flatten());
  rules.set('PReLU', prelu());
  rules.set('Upsample', upsample());
  for (const [name, rule] of torchRecurrentRules()) rules.set(name, rule);
  return rules;
}

let cached: Map<string, LayerRule> | undefined;

/** The rule for a torch.nn class name, or undefined when Joule has none. */
export function torchLayerRule(kind: string): LayerRule | undefined {
  cached ??= buildRules();
  return cached.get(kind);
}
