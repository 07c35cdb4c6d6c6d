import type { Options, OptionSpec } from '../args';
import type { CliIo } from '../io';
import type { CliServices } from '../services';

export interface CommandContext {
  readonly options: Options;
  readonly io: CliIo;
  readonly services: CliServices;
}

/**
 * One subcommand. To add one (bench, quantize, prune): write `commands/<name>.ts` exporting a
 * CommandDefinition and add it to the list in commands/index.ts; help and dispatch pick it up.
 */
export interface CommandDefinition {
  readonly name: string;
  /** One line for `joule --help`. */
  readonly summary: string;
  /** Usage line after `joule`, e.g. `analyze MODEL [options]`. */
  readonly usage: string;
  /** Longer explanation for `joule <name> --help`. */
  readonly details?: string;
  readonly options: readonly OptionSpec[];
  /** Positional arguments accepted: [min, max]. */
  readonly positionals: readonly [number, number];
  /** Left out of `joule --help` (internal helpers such as `examples`). */
  readonly hidden?: boolean;
  /** Runs the command; resolves to the exit code. Throws UsageError for bad arguments. */
  run(context: CommandContext): number | Promise<number>;
}
