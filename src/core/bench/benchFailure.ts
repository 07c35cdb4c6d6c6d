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
