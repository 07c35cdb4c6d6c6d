/**
 * `# joule: input=(1, 3, 224, 224)` comments. The tuple after `input=` is parsed with the same Python
 * parser and evaluated with the module's constants, so `input=(BATCH, 3, SIZE, SIZE)` works too.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { evaluate, type Scope } from './evaluate';
import type { Shape } from './types';

const MARKER = 'joule:';

export interface InputHint {
  readonly line: number;
  readonly shape?: Shape;
  /** Set when the comment is a joule hint that could not be read. */
  readonly problem?: string;
}

/** Collects joule input hints by 0-based line. `lineOf` maps an offset to its line. */
export function collectInputHints(top: SyntaxNode, text: string, scope: Scope, lineOf: (offset: number) => number): Map<number, InputHint> {
  const hints = new Map<number, InputHint>();
  const cursor = top.cursor();
  do {
    if (cursor.name !== 'Comment') continue;
    const comment = text.slice(cursor.from + 1, cursor.to).trim();
    if (!comment.startsWith(MARKER)) continue;
    const line = lineOf(cursor.from);
    hints.set(line, { line, ...readHint(comment.slice(MARKER.length).trim(), scope) });
  } while (cursor.next());
  return hints;
}

function readHint(body: string, scope: Scope): { shape?: Shape; problem?: string } {
  if (!body.startsWith('input')) return { problem: 'unknown joule hint (expected `input=(...)`)' };
  const expression = body.slice('input'.length).trim().replace(/^=/, '').trim();
  const tree = parseExpression(expression);
  const statement = tree.topNode.firstChild;
  const node = statement?.firstChild;
  if (!node || statement?.name !== 'ExpressionStatement') return { problem: 'expected a tuple after input=' };
  const value = evaluate(node, expression, scope);
  const dims = typeof value === 'number' ? [value] : Array.isArray(value) ? value : undefined;
  if (!dims || !dims.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    return { problem: `input shape \`${expression}\` must be positive integers` };
  }
  return { shape: dims };
}

/** Hints repeat (`input=(1, 3, 224, 224)` above many classes): parse each distinct text once. */
const parsedHints = new Map<string, Tree>();

function parseExpression(expression: string): Tree {
  let tree = parsedHints.get(expression);
  if (!tree) {
    if (parsedHints.size > 256) parsedHints.clear();
    tree = parser.parse(expression);
    parsedHints.set(expression, tree);
  }
  return tree;
}

/**
 * The hint for a definition starting on `line`: on that line, or on the comment lines right above it
 * (decorators, comment runs and blank lines between them included: users leave a blank line).
 */
export function hintFor(hints: ReadonlyMap<number, InputHint>, lines: readonly string[], line: number): InputHint | undefined {
  const own = hints.get(line);
  if (own) return own;
  for (let above = line - 1; above >= 0; above--) {
    const trimmed = lines[above]!.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('@')) return undefined;
    const hint = hints.get(above);
    if (hint) return hint;
  }
  return undefined;
}

/** Lines a file header holds before its definitions: imports and docstrings. */
const HEADER_CODE = /^(import\s|from\s|"""|'''|r"""|__all__|$)/;

/**
 * A file-level hint: one whose next code line is an import, a docstring or nothing (the top of a file
 * with one model, above its imports), so no definition claims it. It applies to a file's single model.
 */
export function fileLevelHint(hints: ReadonlyMap<number, InputHint>, lines: readonly string[]): InputHint | undefined {
  for (const hint of [...hints.values()].sort((a, b) => a.line - b.line)) {
    if (!hint.shape) continue;
    let next = hint.line + 1;
    while (next < lines.length && (lines[next]!.trim() === '' || lines[next]!.trim().startsWith('#'))) next++;
    if (next >= lines.length || HEADER_CODE.test(lines[next]!.trim())) return hint;
  }
  return undefined;
}
