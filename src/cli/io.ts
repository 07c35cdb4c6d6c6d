/** Where the CLI prints and which folder relative paths start from: injected so tests run in-process. */
export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The real process's streams and working directory. */
export function processIo(): CliIo {
  endQuietlyWhenReaderLeaves(process.stdout);
  endQuietlyWhenReaderLeaves(process.stderr);
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
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
