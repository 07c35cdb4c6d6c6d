/**
 * Output shapes of the tensor functions and methods that appear between layers in forward():
 * activations, flatten/view/reshape, transpose/permute, reductions, pooling functions, cat/stack.
 * These are not layers, so they add no parameters and are not priced; they only carry shapes along.
 */
import { expectShape, formatShape, product, ShapeMismatchError } from './layerArgs';
import { torchWindowOutput } from './layerRule';
import { flattenShape } from './torchLayers';
import type { Shape } from './types';

/** Arguments of an op call after the tensor: numbers, number lists, or undefined when unknown. */
export interface OpArguments {
  /** Positional arguments after the tensor (for functions) or all of them (for methods). */
  readonly positional: readonly OpValue[];
  readonly keywords: ReadonlyMap<string, OpValue>;
}

export type OpValue = number | readonly (number | null)[] | string | boolean | null | undefined;

const SHAPE_KEEPING = new Set([
  'relu', 'relu_', 'relu6', 'gelu', 'silu', 'sigmoid', 'tanh', 'dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'softmax', 'log_softmax',
  'leaky_relu', 'elu', 'selu', 'celu', 'hardswish', 'hardsigmoid', 'hardtanh', 'mish', 'softplus', 'normalize', 'contiguous', 'float',
  'half', 'double', 'bfloat16', 'to', 'clone', 'detach', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'neg', 'clamp', 'clip', 'sin', 'cos',
  'square', 'pow', 'layer_norm', 'batch_norm', 'group_norm', 'instance_norm', 'cpu', 'cuda', 'type_as', 'sign', 'erf', 'zero_', 'add_', 'mul_',
]);

/** Elementwise binary functions that broadcast their operands. */
const BINARY = new Set(['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'where']);

export function takesTensorOperand(name: string): boolean {
  return BINARY.has(name);
}

function arg(args: OpArguments, index: number, name: string): OpValue {
  return args.keywords.has(name) ? args.keywords.get(name) : args.positional[index];
}

function intArg(args: OpArguments, index: number, name: string, fallback?: number): number {
  const value = arg(args, index, name);
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new ShapeMismatchError(`\`${name}\` is unknown`);
  }
  if (typeof value !== 'number') throw new ShapeMismatchError(`\`${name}\` should be an integer`);
  return value;
}

function intsArg(args: OpArguments, index: number, name: string, rank: number, fallback?: number[]): number[] {
  const value = arg(args, index, name);
  if ((value === undefined || value === null) && fallback) return fallback;
  if (typeof value === 'number') return new Array<number>(rank).fill(value);
  if (Array.isArray(value) && value.length === rank && value.every((v) => typeof v === 'number')) return value as number[];
  throw new ShapeMismatchError(`\`${name}\` is unknown`);
}

function axis(dim: number, rank: number): number {
  const resolved = dim < 0 ? rank + dim : dim;
  expectShape(resolved >= 0 && resolved < rank, () => `dim ${dim} is out of range for rank ${rank}`);
  return resolved;
}

/** `view(2, -1)`, `view((2, -1))`, `reshape([2, -1])`: the requested dims as numbers. */
function requestedShape(args: OpArguments): number[] {
  const values = args.positional.length === 1 && Array.isArray(args.positional[0]) ? args.positional[0] : args.positional;
  const dims = (values as readonly OpValue[]).map((value) => {
    if (typeof value !== 'number') throw new ShapeMismatchError('a dimension of the new shape is unknown');
    return value;
  });
  return dims;
}

export function reshape(input: Shape, dims: readonly number[]): Shape {
  const total = product(input);
  const known = product(dims.filter((d) => d !== -1));
  const resolved = dims.map((d) => (d === -1 ? total / known : d));
  expectShape(product(resolved) === total && resolved.every(Number.isInteger), () => `cannot view ${formatShape(input)} as ${formatShape(dims)}`);
  return resolved;
}

function reduce(input: Shape, args: OpArguments): Shape {
  const dim = arg(args, 0, 'dim');
  const keepDim = arg(args, 1, 'keepdim') === true;
  if (dim === undefined || dim === null) return keepDim ? input.map(() => 1) : [];
  const dims = (typeof dim === 'number' ? [dim] : (dim as number[])).map((d) => axis(d, input.length));
  return keepDim ? input.map((d, i) => (dims.includes(i) ? 1 : d)) : input.filter((_, i) => !dims.includes(i));
}

function poolFunction(input: Shape, name: string, args: OpArguments): Shape {
  const rank = Number(name.charAt(name.length - 2));
  const spatial = input.slice(input.length - rank);
  const lead = input.slice(0, input.length - rank);
  if (name.startsWith('adaptive')) {
    const size = arg(args, 0, 'output_size');
    const requested = typeof size === 'number' ? new Array<number>(rank).fill(size) : (size as (number | null)[] | undefined);
    if (!requested) throw new ShapeMismatchError('`output_size` is unknown');
    return [...lead, ...spatial.map((d, i) => requested[i] ?? d)];
  }
  const kernel = intsArg(args, 0, 'kernel_size', rank);
  const stride = intsArg(args, 1, 'stride', rank, kernel);
  const padding = intsArg(args, 2, 'padding', rank, new Array<number>(rank).fill(0));
  const dilation = name.startsWith('max') ? intsArg(args, 3, 'dilation', rank, new Array<number>(rank).fill(1)) : new Array<number>(rank).fill(1);
  const ceil = arg(args, name.startsWith('max') ? 4 : 3, 'ceil_mode') === true;
  return [...lead, ...spatial.map((d, i) => torchWindowOutput(d, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, ceil))];
}

function interpolate(input: Shape, args: OpArguments): Shape {
  const rank = input.length - 2;
  const size = arg(args, 0, 'size');
  if (size !== undefined && size !== null) return [...input.slice(0, 2), ...intsArg(args, 0, 'size', rank)];
  const scale = arg(args, 1, 'scale_factor');
  if (typeof scale !== 'number') throw new ShapeMismatchError('interpolate needs size or a numeric scale_factor');
  return [...input.slice(0, 2), ...input.slice(2).map((d) => Math.floor(d * scale))];
}

/**
 * Shape after `name` applied to `input`. `isMethod` distinguishes `x.flatten()` (start_dim 0) from
 * `torch.flatten(x)` (also 0) and nn.Flatten (1, handled as a layer). Undefined: op not known.
 */
export function tensorOpShape(name: string, input: Shape, args: OpArguments, others: readonly Shape[]): Shape | undefined {
  if (SHAPE_KEEPING.has(name)) return input;
  if (BINARY.has(name)) return others[0] ? broadcast(input, others[0]) : input;
  switch (name) {
    case 'flatten': return flattenShape(input, intArg(args, 0, 'start_dim', 0), intArg(args, 1, 'end_dim', -1));
    case 'view':
    case 'reshape': return reshape(input, requestedShape(args));
    case 'transpose':
    case 'swapaxes': {
      const a = axis(intArg(args, 0, 'dim0'), input.length);
      const b = axis(intArg(args, 1, 'dim1'), input.length);
      const out = [...input];
      [out[a], out[b]] = [out[b]!, out[a]!];
      return out;
    }
    case 'permute': return requestedShape(args).map((d) => input[axis(d, input.length)]!);
    case 't': return [...input].reverse();
    case 'squeeze': {
      const dim = arg(args, 0, 'dim');
      if (typeof dim === 'number') return input.filter((d, i) => !(i === axis(dim, input.length) && d === 1));
      return input.filter((d) => d !== 1);
    }
    case 'unsqueeze': {
      const at = intArg(args, 0, 'dim');
      const position = at < 0 ? input.length + 1 + at : at;
      return [...input.slice(0, position), 1, ...input.slice(position)];
    }
    case 'mean':
    case 'sum':
    case 'amax':
    case 'amin':
    case 'std':
    case 'var': return reduce(input, args);
    case 'interpolate':
    case 'upsample': return interpolate(input, args);
    default:
      if (/^(max|avg|adaptive_avg|adaptive_max)_pool[123]d$/.test(name)) return poolFunction(input, name, args);
      return undefined;
  }
}

/** NumPy broadcasting of two shapes. */
export function broadcast(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    expectShape(x === y || x === 1 || y === 1, () => `cannot broadcast ${formatShape(a)} with ${formatShape(b)}`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** torch.cat / torch.stack along `dim`. */
export function joinShapes(kind: 'cat' | 'stack', shapes: readonly Shape[], dim: number): Shape {
  const [first] = shapes;
  expectShape(first !== undefined, () => `${kind} of nothing`);
  if (kind === 'stack') {
    const at = dim < 0 ? first.length + 1 + dim : dim;
    return [...first.slice(0, at), shapes.length, ...first.slice(at)];
  }
  const at = axis(dim, first.length);
  expectShape(shapes.every((shape) => shape.length === first.length), () => `cat of tensors with different ranks: ${shapes.map(formatShape).join(', ')}`);
  return first.map((d, i) => (i === at ? shapes.reduce((sum, shape) => sum + shape[i]!, 0) : d));
}
