/**
 * Keeps the last syntax tree of a document so that, while the user types, only the edited region is
 * re-parsed (lezer's incremental parsing); the analysis itself then runs on the fresh tree.
 */
import { TreeFragment, type ChangedRange } from '@lezer/common';
import { parser } from '@lezer/python';
import { analyzePythonTree } from './analyzePythonSource';
import { refusedAnalysis, sourceRefusal } from './limits';
import type { AnalyzeSourceOptions, SourceAnalysis } from './types';

export class PythonSourceSession {
  private fragments: readonly TreeFragment[] | undefined;
  private previous: string | undefined;

  /**
   * Analyzes `text`, re-parsing only what changed since the previous call. The change is found by
   * comparing the texts (common prefix and suffix), which is exact whatever the editor's edit list.
   */
  analyze(text: string, options?: AnalyzeSourceOptions): SourceAnalysis {
    const refused = sourceRefusal(text);
    if (refused) {
      this.reset();
      return refusedAnalysis(refused);
    }
    const reuse = this.fragments && this.previous !== undefined
      ? TreeFragment.applyChanges(this.fragments, [changeBetween(this.previous, text)])
      : undefined;
    const tree = parser.parse(text, reuse);
    this.fragments = TreeFragment.addTree(tree);
    this.previous = text;
    return analyzePythonTree(tree, text, options);
  }

  /** Forgets the cached tree (document closed or replaced). */
  reset(): void {
    this.fragments = undefined;
    this.previous = undefined;
  }
}

/** The single range that differs between two texts: [fromA, toA) of `before` became [fromB, toB) of `after`. */
export function changeBetween(before: string, after: string): ChangedRange {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { fromA: prefix, toA: before.length - suffix, fromB: prefix, toB: after.length - suffix };
}
