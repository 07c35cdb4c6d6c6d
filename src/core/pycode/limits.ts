/**
 * Work budgets of the Python model-code analysis. It runs on every keystroke in the editor (and in
 * Restricted Mode), so one hostile line such as `[0] * 10**9` or
 * `nn.ModuleList([nn.Linear(4, 4) for _ in range(10**12)])` must not freeze it. Each limit is far
 * above real model code; reaching one gives a warning, never a hang. Documented in docs/security.md.
 */
import type { SourceAnalysis } from './types';

/** Larger files are not analyzed: parsing alone costs ~2-4 µs per character on a busy machine. */
export const MAX_SOURCE_BYTES = 256 * 1024;
/** Bracket nesting beyond this is refused before parsing (the parser slows down on deep nesting). */
export const MAX_BRACKET_DEPTH = 100;
/** Longest list or tuple the evaluator builds (`[0] * n`, `a + b`, literals). */
export const MAX_SEQUENCE_LENGTH = 100_000;
/** Most copies a `[Layer() for _ in range(n)]` container expands into members. */
export const MAX_REPEATED_COPIES = 10_000;
/** Layer applications and loop passes of one file's forward tracing, in all. */
export const MAX_TRACE_STEPS = 50_000;

function deepestBracket(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((c === 0x29 || c === 0x5d || c === 0x7d) && depth > 0) depth--;
    else if (c === 0x23) {
      // A comment runs to the end of the line; brackets in it do not nest.
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    }
  }
  return deepest;
}

/** Why `text` is not analyzed at all, or undefined when it may be. */
export function sourceRefusal(text: string): string | undefined {
  if (text.length > MAX_SOURCE_BYTES) {
    return `file too large for model-code analysis (${text.length} characters, limit ${MAX_SOURCE_BYTES}): not analyzed`;
  }
  const depth = deepestBracket(text);
  if (depth > MAX_BRACKET_DEPTH) return `brackets nested ${depth} deep (limit ${MAX_BRACKET_DEPTH}): not analyzed`;
  return undefined;
}

/** The analysis of a refused file: no layers, one warning on the first line. */
export function refusedAnalysis(reason: string): SourceAnalysis {
  return { layers: [], models: [], warnings: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, message: `Joule: ${reason}` }] };
}

/** Steps left to one file's tracing; shared by the contexts of custom modules it instantiates. */
export class TraceBudget {
  private left = MAX_TRACE_STEPS;
  exhausted = false;

  /** Spends one step; false (and `exhausted`) once the budget is gone. */
  spend(): boolean {
    if (this.left <= 0) {
      this.exhausted = true;
      return false;
    }
    this.left--;
    return true;
  }
}
