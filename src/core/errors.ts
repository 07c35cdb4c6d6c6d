/**
 * The one error type for unreadable model files. Every reader throws it with the file, the byte
 * offset where reading went wrong, what was expected there and a hint for the user; the extension
 * shows it as a message or diagnostic, the CLI prints it and exits with code 2.
 */
export class ModelFormatError extends Error {
  override readonly name: string = 'ModelFormatError';

  constructor(
    /** The file (or label) being read. */
    readonly file: string,
    /** Byte offset where the problem was found, when known. */
    readonly offset: number | undefined,
    /** What the reader expected to find. */
    readonly expected: string,
    /** What the user can do about it. */
    readonly hint = 'The file might be corrupted or not a model of this format.',
  ) {
    super(`${file}${offset === undefined ? '' : ` at byte ${offset}`}: ${expected}. ${hint}`);
  }
}

/**
 * A model whose graph has more nodes than the analysis' node budget (src/core/graph/nodeBudget.ts):
 * readable, but refused before it is decoded. Carries the counts so a user interface can offer to
 * raise the budget to `nodes`.
 */
export class GraphBudgetError extends ModelFormatError {
  override readonly name = 'GraphBudgetError';

  constructor(file: string, offset: number | undefined, expected: string, hint: string, readonly nodes: number, readonly budget: number) {
    super(file, offset, expected, hint);
  }
}

/** Thrown when an operation was cancelled by the user; never shown as an error. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** A cooperative cancellation signal that core code polls; adapters bridge their own tokens to it. */
export interface CancellationSignal {
  readonly cancelled: boolean;
}

export const neverCancelled: CancellationSignal = { cancelled: false };

export function throwIfCancelled(signal: CancellationSignal | undefined): void {
  if (signal?.cancelled) throw new CancelledError();
}
