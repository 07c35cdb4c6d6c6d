/**
 * PyTorch layer rules: signatures with torch.nn's real defaults, parameter counts as
 * `sum(p.numel() for p in m.parameters())` gives them, output shapes and MACs (docs/architecture.md convention).
 */
import { expectShape, formatShape, product, signature, type LayerArgs } from './layerArgs';
import { channelsFirst, elementwiseRule, torchWindowOutput, type LayerFacts, type LayerRule } from './layerRule';
import { torchRecurrentRules } from './torchRecurrent';
import type { Shape } from './types';

const DEVICE_DTYPE = [['device', null], ['dtype', null]] as const;

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
      const params = cout * (cin / groups) * product(kernel) + (bias ? cout : 0);
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
      const outElements = product(output);
      const macs = outElements * (cin / groups) * product(kernel);
      return {
        params, output, macs, elementwise: bias ? outElements : 0,
        gemm: { m: product(lead) * product(outSpatial), n: cout / groups, k: (cin / groups) * product(kernel), batch: groups },
      };
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
      // weight: (in_channels, out_channels / groups, *kernel)
      const params = cin * (cout / groups) * product(kernel) + (bias ? cout : 0);
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
      // Every input element is multiplied into Cout/groups × kernel outputs.
      const macs = product(input) * (cout / groups) * product(kernel);
      return {
        params, output, macs, elementwise: bias ? product(output) : 0,
        gemm: { m: product(lead) * product(spatial), n: (cout / groups) * product(kernel), k: cin / groups, batch: groups },
      };
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
      return {
        params, output: [...input.slice(0, -1), outFeatures], macs: rows * inFeatures * outFeatures,
        elementwise: bias ? rows * outFeatures : 0, gemm: { m: rows, n: outFeatures, k: inFeatures, batch: 1 },
      };
    },
  };
}

/** Normalization over a channel axis (dim 1): BatchNorm, InstanceNorm. */
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
      // Inference: one scale and one shift per element once the statistics are folded.
      return { params, buffers, output: input, macs: 0, elementwise: 2 * product(input) };
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
      // mean, variance, normalize, scale, shift ≈ 5 ops per element; one rsqrt per row.
      return { params, output: input, macs: 0, elementwise: 5 * product(input), transcendental: product(input) / size };
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
      return { params, output: input, macs: 0, elementwise: 5 * product(input), transcendental: product(input.slice(0, 1)) * args.int('num_groups') };
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
      return { params, output, macs: 0, weightsRead: Math.min(params, product(output)), note: 'lookup: reads only the rows it indexes' };
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
      return { params: 0, output, macs: 0, elementwise: product(output) * product(kernel) };
    },
  };
}

function adaptivePool(rank: number): LayerRule {
  return {
    signature: signature(['output_size', ['return_indices', false]]),
    describe(args, inputs) {
      const [input] = inputs;
      if (input === undefined) return { params: 0 };
      const { lead, channels, spatial } = channelsFirst(input, rank, `AdaptivePool${rank}d`);
      const requested = args.optionalInts('output_size', rank);
      const output = [...lead, channels, ...spatial.map((length, i) => requested[i] ?? length)];
      return { params: 0, output, macs: 0, elementwise: product(input) };
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
    describe: (args, inputs) => withOutput(args.int('num_parameters'), inputs, 2),
  };
}

function withOutput(params: number, inputs: readonly Shape[], elementwisePerElement: number): LayerFacts {
  const [input] = inputs;
  if (input === undefined) return { params };
  return { params, output: input, macs: 0, elementwise: elementwisePerElement * product(input) };
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
      return { params: 0, output, macs: 0, elementwise: product(output) };
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

const ACTIVATIONS: Readonly<Record<string, LayerRule>> = {
  ReLU: elementwiseRule(NO_ARGS, { elementwise: 1 }),
  ReLU6: elementwiseRule(NO_ARGS, { elementwise: 1 }),
  LeakyReLU: elementwiseRule(signature([['negative_slope', 0.01], ['inplace', false]]), { elementwise: 1 }),
  Hardtanh: elementwiseRule(signature([['min_val', -1], ['max_val', 1], ['inplace', false]]), { elementwise: 1 }),
  Hardswish: elementwiseRule(NO_ARGS, { elementwise: 3 }),
  Hardsigmoid: elementwiseRule(NO_ARGS, { elementwise: 2 }),
  ELU: elementwiseRule(signature([['alpha', 1], ['inplace', false]]), { transcendental: 1 }),
  SELU: elementwiseRule(NO_ARGS, { transcendental: 1 }),
  CELU: elementwiseRule(signature([['alpha', 1], ['inplace', false]]), { transcendental: 1 }),
  GELU: elementwiseRule(signature([['approximate', 'none']]), { elementwise: 2, transcendental: 1 }),
  SiLU: elementwiseRule(NO_ARGS, { elementwise: 1, transcendental: 1 }),
  Mish: elementwiseRule(NO_ARGS, { elementwise: 1, transcendental: 2 }),
  Sigmoid: elementwiseRule([], { transcendental: 1 }),
  Tanh: elementwiseRule([], { transcendental: 1 }),
  Softplus: elementwiseRule(signature([['beta', 1], ['threshold', 20]]), { transcendental: 1 }),
  Softsign: elementwiseRule([], { elementwise: 2 }),
  Softmax: elementwiseRule(DIM_ARGS, { elementwise: 2, transcendental: 1 }),
  LogSoftmax: elementwiseRule(DIM_ARGS, { elementwise: 2, transcendental: 1 }),
  Softmin: elementwiseRule(DIM_ARGS, { elementwise: 2, transcendental: 1 }),
  Dropout: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), {}),
  Dropout1d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), {}),
  Dropout2d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), {}),
  Dropout3d: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), {}),
  AlphaDropout: elementwiseRule(signature([['p', 0.5], ['inplace', false]]), {}),
  Identity: elementwiseRule([], {}),
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
    rules.set(`AdaptiveAvgPool${rank}d`, adaptivePool(rank));
    rules.set(`AdaptiveMaxPool${rank}d`, adaptivePool(rank));
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
