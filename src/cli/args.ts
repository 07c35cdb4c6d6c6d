/**
 * A small argument parser (no dependency): `--name value`, `--name=value`, repeatable options,
 * boolean flags, `--` to end options. Every mistake is a UsageError with a sentence a person can act
 * on; the CLI prints it and exits 2.
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionKind = 'string' | 'number' | 'flag' | 'list';

export interface OptionSpec {
  /** Long name without dashes: `profile` for `--profile`. */
  readonly name: string;
  readonly kind: OptionKind;
  /** Placeholder in help: `--profile ID`. */
  readonly valueName?: string;
  readonly description: string;
  /** One-letter alias without the dash. */
  readonly short?: string;
}

export type OptionValue = string | number | boolean | readonly string[];

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, OptionValue>;
}

function findSpec(specs: readonly OptionSpec[], token: string): OptionSpec | undefined {
  if (token.startsWith('--')) return specs.find((s) => s.name === token.slice(2));
  return specs.find((s) => s.short !== undefined && s.short === token.slice(1));
}

/** Parses `argv` (without the command name) against `specs`. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, OptionValue>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const token = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const spec = findSpec(specs, token);
    if (!spec) throw new UsageError(`Unknown option ${token}.`);
    if (spec.kind === 'flag') {
      if (eq > 0 && arg.startsWith('--')) throw new UsageError(`Option --${spec.name} takes no value.`);
      options.set(spec.name, true);
      continue;
    }
    let value: string;
    if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`Option --${spec.name} needs a value (--${spec.name} ${spec.valueName ?? 'VALUE'}).`);
      }
      value = next;
      i++;
    }
    if (spec.kind === 'list') {
      const previous = (options.get(spec.name) as readonly string[] | undefined) ?? [];
      options.set(spec.name, [...previous, value]);
    } else if (options.has(spec.name)) {
      throw new UsageError(`Option --${spec.name} was given twice.`);
    } else if (spec.kind === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`Option --${spec.name} expects a number, got "${value}".`);
      options.set(spec.name, n);
    } else {
      options.set(spec.name, value);
    }
  }
  return { positionals, options };
}

/** Typed accessors over ParsedArgs, so commands read options without casts. */
export class Options {
  constructor(private readonly parsed: ParsedArgs) {}

  get positionals(): readonly string[] {
    return this.parsed.positionals;
  }

  string(name: string): string | undefined {
    const v = this.parsed.options.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  number(name: string): number | undefined {
    const v = this.parsed.options.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  flag(name: string): boolean {
    return this.parsed.options.get(name) === true;
  }

  list(name: string): readonly string[] {
    const v = this.parsed.options.get(name);
    return Array.isArray(v) ? (v as readonly string[]) : [];
  }
}
