import { printableLines } from '../core/report/text';

/** Where the CLI prints and which folder relative paths start from: injected so tests run in-process. */
export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Names from model files (tensors, nodes, GGUF keys, profile file names) reach messages and
 * summaries; terminal escapes in them must not reach a terminal. stderr (messages, warnings,
 * progress) is always cleaned; stdout only when asked (a terminal), since piped JSON, CSV or
 * Markdown is data and its formats escape what they must.
 */
export function terminalSafe(io: CliIo, cleanStdout: boolean): CliIo {
  return {
    cwd: io.cwd,
    stdout: cleanStdout ? (text) => io.stdout(printableLines(text)) : (text) => io.stdout(text),
    stderr: (text) => io.stderr(printableLines(text)),
  };
}

/** The real process's streams and working directory. */
export function processIo(): CliIo {
  endQuietlyWhenReaderLeaves(process.stdout);
  endQuietlyWhenReaderLeaves(process.stderr);
  return terminalSafe({
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }, process.stdout.isTTY === true);
}

/**
 * `joule analyze m.onnx | head -1`: the reader closes the pipe after what it wanted, and the next
 * write fails with EPIPE. That is the reader's choice, not an error of ours: stop at once, quietly,
 * with success (as `git` and `ls` do), instead of an unhandled 'error' event and a stack trace.
 */
function endQuietlyWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
