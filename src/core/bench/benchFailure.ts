/**
 * Why a benchmark worker failed, with what the user needs to understand it: the exit code or signal
 * and the tail of its stderr. Cancellation is not a failure: it throws `CancelledError`.
 */

export type BenchFailureCause = 'timeout' | 'out-of-memory' | 'crash' | 'worker-error' | 'spawn';

export class BenchFailure extends Error {
  override readonly name = 'BenchFailure';

  constructor(
    readonly reason: BenchFailureCause,
    message: string,
    readonly exitCode: number | null = null,
    readonly signal: NodeJS.Signals | null = null,
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

const OUT_OF_MEMORY_PATTERNS = [
  /JavaScript heap out of memory/i,
  /Reached heap limit/i,
  /std::bad_alloc/,
  /Failed to allocate memory/i,
  /out of memory/i,
];

/**
 * Names the cause of a worker that exited without a result. SIGKILL without a timeout on Linux is
 * usually the kernel's OOM killer, so it is reported as a probable out-of-memory.
 */
export function classifyExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): BenchFailure {
  const tail = stderrTail.trim();
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const withTail = (text: string): string => (tail ? `${text}\n--- worker stderr (last lines) ---\n${tail}` : text);
  if (OUT_OF_MEMORY_PATTERNS.some((p) => p.test(tail))) {
    return new BenchFailure('out-of-memory', withTail(`The benchmark ran out of memory and ${how}. Try a smaller batch or symbolic dims, or raise maxOldSpaceMb.`), code, signal, tail);
  }
  if (signal === 'SIGKILL') {
    return new BenchFailure('out-of-memory', withTail(`The benchmark ${how}, most likely by the system's out-of-memory killer.`), code, signal, tail);
  }
  return new BenchFailure('crash', withTail(`The benchmark worker crashed: it ${how} before reporting a result.`), code, signal, tail);
}
