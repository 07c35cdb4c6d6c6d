/**
 * Binds a layer call's arguments to the layer's signature (positional order and real defaults), and
 * reads them as the types layer rules need. A missing or unresolvable argument throws
 * `LayerArgumentError`, which the scanner turns into a note on the layer.
 */
import { isDtype, isUnresolved, type PyValue } from './evaluate';
import type { Shape } from './types';

export interface ArgSpec {
  readonly name: string;
  /** Absent: the argument is required. */
  readonly default?: PyValue;
}

/** Shorthand for signatures: `['in_channels', 'out_channels', ['stride', 1]]`. */
export type SignatureEntry = string | readonly [string, PyValue];

export function signature(entries: readonly SignatureEntry[]): ArgSpec[] {
  return entries.map((entry) => (typeof entry === 'string' ? { name: entry } : { name: entry[0], default: entry[1] }));
}

export class LayerArgumentError extends Error {}

/** Thrown by layer rules when the input shape does not fit the layer. */
export class ShapeMismatchError extends Error {}

export class LayerArgs {
  constructor(
    private readonly values: ReadonlyMap<string, PyValue>,
    private readonly specs: readonly ArgSpec[],
  ) {}

  static bind(specs: readonly ArgSpec[], positional: readonly PyValue[], keywords: ReadonlyMap<string, PyValue>): LayerArgs {
    const values = new Map<string, PyValue>();
    positional.forEach((value, index) => {
      const spec = specs[index];
      if (spec) values.set(spec.name, value);
    });
    for (const [name, value] of keywords) values.set(name, value);
    return new LayerArgs(values, specs);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  value(name: string): PyValue {
    const given = this.values.get(name);
    if (given !== undefined) return given;
    const spec = this.specs.find((candidate) => candidate.name === name);
    if (spec && 'default' in spec) return spec.default as PyValue;
    throw new LayerArgumentError(`argument \`${name}\` is missing`);
  }

  private resolved(name: string): PyValue {
    const value = this.value(name);
    if (isUnresolved(value)) throw new LayerArgumentError(`\`${name}\`: ${value.reason}`);
    return value;
  }

  int(name: string): number {
    const value = this.resolved(name);
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new LayerArgumentError(`\`${name}\` should be an integer`);
  }

  number(name: string): number {
    const value = this.resolved(name);
    if (typeof value === 'number') return value;
    throw new LayerArgumentError(`\`${name}\` should be a number`);
  }

  /** An int or a tuple of ints, expanded to `rank` entries (as `_ntuple` does in PyTorch). */
  ints(name: string, rank: number): number[] {
    const value = this.resolved(name);
    if (typeof value === 'number' && Number.isInteger(value)) return new Array<number>(rank).fill(value);
    if (Array.isArray(value) && value.length === rank && value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      return value as number[];
    }
    throw new LayerArgumentError(`\`${name}\` should be an int or a ${rank}-tuple of ints`);
  }

  /** Like `ints`, but `None` entries (kept input dims in adaptive pools) become undefined. */
  optionalInts(name: string, rank: number): (number | undefined)[] {
    const value = this.resolved(name);
    if (value === null) return new Array<number | undefined>(rank).fill(undefined);
    if (typeof value === 'number') return new Array<number>(rank).fill(value);
    if (Array.isArray(value) && value.length === rank) {
      return value.map((entry) => {
        if (entry === null) return undefined;
        if (typeof entry === 'number') return entry;
        throw new LayerArgumentError(`\`${name}\` should hold ints or None`);
      });
    }
    throw new LayerArgumentError(`\`${name}\` should be an int or a ${rank}-tuple`);
  }

  bool(name: string): boolean {
    const value = this.resolved(name);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (value === null) return false;
    throw new LayerArgumentError(`\`${name}\` should be a boolean`);
  }

  /** String argument, or undefined when None; non-string values (callables) give `fallback`. */
  string(name: string, fallback?: string): string | undefined {
    const value = this.value(name);
    if (typeof value === 'string') return value;
    if (value === null) return undefined;
    return fallback;
  }

  isNone(name: string): boolean {
    return this.value(name) === null;
  }

  /** Bytes per weight from a `dtype=` argument, when it names one. */
  dtypeBytes(): number | undefined {
    const value = this.values.get('dtype');
    if (isDtype(value)) return value.bytes;
    if (typeof value === 'string') {
      if (value.includes('16')) return 2;
      if (value.includes('64')) return 8;
      if (value.includes('32')) return 4;
      if (value.includes('8')) return 1;
    }
    return undefined;
  }

  /** The dtype's name (float16, bfloat16, int8...) when one was given. */
  dtypeName(): string | undefined {
    const value = this.values.get('dtype');
    if (isDtype(value)) return value.name;
    return typeof value === 'string' ? value : undefined;
  }
}

export function product(values: readonly number[]): number {
  let total = 1;
  for (const value of values) total *= value;
  return total;
}

/** Throws a readable error when a shape check fails; the message is built only then. */
export function expectShape(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ShapeMismatchError(message());
}

export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')})`;
}
