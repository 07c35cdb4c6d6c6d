/**
 * Why a worker gave no answer, with what a user needs to understand it: the exit code or signal and
 * the tail of its stderr. Cancellation is not a failure (it is `CancelledError`), and an error its
 * handler threw is a `RemoteError`.
 */

export type WorkerFailureReason =
  /** A request ran past its time limit; the worker was killed. */
  | 'timeout'
  /** The worker ran out of memory (its heap cap, or the system's OOM killer). */
  | 'out-of-memory'
  /** The worker exited or died by a signal before answering. */
  | 'crash'
  /** The worker could not be started. */
  | 'spawn'
  /** The host stopped the worker (disposed, or killed for another request that would not stop). */
  | 'stopped';

export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';

  constructor(
    readonly reason: WorkerFailureReason,
    message: string,
    readonly exitCode: number | null = null,
    readonly signal: NodeJS.Signals | null = null,
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

const OUT_OF_MEMORY_PATTERNS = [/JavaScript heap out of memory/i, /Reached heap limit/i, /std::bad_alloc/, /Failed to allocate memory/i, /out of memory/i, /ERR_WORKER_OUT_OF_MEMORY/];

export interface ExitFacts {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  /** A worker thread reported ERR_WORKER_OUT_OF_MEMORY (its resource limit). */
  readonly outOfMemory?: boolean;
  /** The process never started (no executable, no resources): why. */
  readonly spawnError?: string;
}

/**
 * Names the cause of a worker that stopped without an answer. SIGKILL that the host did not send is,
 * on Linux, usually the kernel's OOM killer, so it counts as a probable out-of-memory.
 */
export function classifyExit(purpose: string, facts: ExitFacts): WorkerFailure {
  if (facts.spawnError !== undefined) return new WorkerFailure('spawn', `could not start the ${purpose} worker: ${facts.spawnError}`);
  const tail = facts.stderrTail.trim();
  const how = facts.signal ? `was killed by ${facts.signal}` : `exited with code ${facts.code}`;
  const withTail = (text: string): string => (tail ? `${text}\n--- worker stderr (last lines) ---\n${tail}` : text);
  const fail = (reason: WorkerFailureReason, text: string): WorkerFailure => new WorkerFailure(reason, withTail(text), facts.code, facts.signal, tail);
  if (facts.outOfMemory || OUT_OF_MEMORY_PATTERNS.some((p) => p.test(tail))) return fail('out-of-memory', `The ${purpose} ran out of memory and ${how}.`);
  if (facts.signal === 'SIGKILL') return fail('out-of-memory', `The ${purpose} ${how}, most likely by the system's out-of-memory killer.`);
  return fail('crash', `The ${purpose} worker crashed: it ${how} before answering.`);
}
