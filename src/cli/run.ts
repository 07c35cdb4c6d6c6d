import { ModelFormatError } from '../core/errors';
import { AnalysisInputError } from '../core/pipeline/options';
import { Options, parseArgs, UsageError } from './args';
import { COMMANDS, findCommand, type CommandDefinition } from './commands';
import { commandHelp, generalHelp } from './help';
import { type CliIo, terminalSafe } from './io';
import { OutputError } from './safeOutput';
import type { CliServices } from './services';

export const EXIT_OK = 0;
export const EXIT_BUDGET = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** File-system errors that mean "the input cannot be read", reported like a bad argument. */
const INPUT_ERROR_CODES = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);

function isInputError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && INPUT_ERROR_CODES.has((error as NodeJS.ErrnoException).code!);
}

function describeFsError(error: NodeJS.ErrnoException): string {
  const target = error.path ?? 'input';
  switch (error.code) {
    case 'ENOENT':
      return `Cannot read ${target}: no such file.`;
    case 'EISDIR':
      return `Cannot read ${target}: it is a folder, not a file.`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot read ${target}: permission denied.`;
    default:
      return `Cannot read ${target}: ${error.message}`;
  }
}

async function runCommand(command: CommandDefinition, args: readonly string[], io: CliIo, services: CliServices): Promise<number> {
  const parsed = parseArgs(args, [...command.options, { name: 'help', kind: 'flag', description: 'help', short: 'h' }]);
  const options = new Options(parsed);
  if (options.flag('help')) {
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }
  const [min, max] = command.positionals;
  const count = parsed.positionals.length;
  if (count < min || count > max) {
    const extra = count > max ? `unexpected argument "${parsed.positionals[max]}"` : 'missing argument';
    throw new UsageError(`${command.name}: ${extra}. Usage: joule ${command.usage}`);
  }
  return command.run({ options, io, services });
}

/**
 * The whole CLI as a function: arguments in, text out through `io`, exit code back. Errors become a
 * one-line message (no stack trace) and exit code 2 for bad arguments or unreadable input; anything
 * else is a bug, reported with exit code 3 (stack shown only with JOULE_DEBUG=1).
 */
export async function runCli(argv: readonly string[], rawIo: CliIo, services: CliServices): Promise<number> {
  // Every message may quote a name from a file: cleaned of terminal escapes on its way out.
  const io = terminalSafe(rawIo, false);
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr(generalHelp(COMMANDS, services.version));
      return EXIT_USAGE;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined;
      io.stdout(topic ? commandHelp(topic) : generalHelp(COMMANDS, services.version));
      return EXIT_OK;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${services.version}\n`);
      return EXIT_OK;
    }
    const command = findCommand(first);
    if (!command) throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.filter((c) => !c.hidden).map((c) => c.name).join(', ')}.`);
    return await runCommand(command, rest, io, services);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`joule: ${error.message}\nRun \`joule --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ModelFormatError || error instanceof AnalysisInputError || error instanceof OutputError) {
      io.stderr(`joule: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isInputError(error)) {
      io.stderr(`joule: ${describeFsError(error)}\n`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? (process.env['JOULE_DEBUG'] ? (error.stack ?? error.message) : error.message) : String(error);
    io.stderr(`joule: internal error: ${detail}\nThis is a bug in Joule; please report it with the command you ran.\n`);
    return EXIT_INTERNAL;
  }
}
