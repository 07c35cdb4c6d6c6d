/**
 * Entry of the `joule` command (bundled to dist/cli.js with a shebang). `main` is the testable
 * function; the process wiring below runs only when this file is the program, not when imported.
 */
import { printableLines } from '../core/report/text';
import { processIo, type CliIo } from './io';
import { nodeServices } from './nodeServices';
import { runCli } from './run';

export function main(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(argv, io, nodeServices());
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(printableLines(`joule: ${error instanceof Error ? error.message : String(error)}\n`));
      process.exitCode = 3;
    },
  );
}
