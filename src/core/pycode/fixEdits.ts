/**
 * Text-edit helpers for quick fixes: where a statement starts and ends, its indentation, where imports
 * go, and applying edits to a string (for previews and tests).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { ImportTable } from './imports';
import { LineIndex } from './syntax';
import type { SourcePosition, TextEdit } from './types';

const STATEMENT_PARENTS = new Set(['Script', 'Body']);

/** The statement (direct child of the module or a block body) containing `offset`. */
export function statementAt(tree: Tree, offset: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = tree.resolveInner(offset, 1);
  while (node && node.parent && !STATEMENT_PARENTS.has(node.parent.name)) node = node.parent;
  return node && node.parent ? node : undefined;
}

/** Leading whitespace of the line where `offset` is. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** Inserts `lines` as new statements after `statement`, at the statement's indentation. */
export function insertAfterStatement(text: string, lines: LineIndex, statement: SyntaxNode, code: readonly string[], blankLinesBefore = 0): TextEdit {
  const indent = indentationAt(text, statement.from);
  const position = lines.position(statement.to);
  const body = code.map((line) => (line.length > 0 ? indent + line : line)).join('\n');
  // Blocks (class, def) end after their last newline: the insertion point is then a line start.
  const atLineStart = statement.to > 0 && text.charCodeAt(statement.to - 1) === 10;
  const newText = atLineStart ? `${'\n'.repeat(blankLinesBefore)}${body}\n` : `\n${'\n'.repeat(blankLinesBefore)}${body}`;
  return { range: { start: position, end: position }, newText };
}

/** One edit adding the missing import lines after the module's last top-level import (or docstring). */
export function importEdit(tree: Tree, text: string, lines: LineIndex, wanted: readonly string[]): TextEdit | undefined {
  const missing = wanted.filter((line, index) => wanted.indexOf(line) === index && !hasImportLine(text, line));
  if (missing.length === 0) return undefined;
  let anchor: SyntaxNode | undefined;
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name === 'ImportStatement') anchor = statement;
    else if (!anchor && statement.name === 'ExpressionStatement' && statement.firstChild?.name === 'String' && statement.from === firstStatementFrom(tree)) anchor = statement;
  }
  if (!anchor) {
    const start: SourcePosition = { line: 0, character: 0 };
    return { range: { start, end: start }, newText: `${missing.join('\n')}\n` };
  }
  const end = lines.position(anchor.to);
  return { range: { start: end, end }, newText: `\n${missing.join('\n')}` };
}

function firstStatementFrom(tree: Tree): number {
  let statement = tree.topNode.firstChild;
  while (statement && statement.name === 'Comment') statement = statement.nextSibling;
  return statement?.from ?? -1;
}

function hasImportLine(text: string, line: string): boolean {
  return text.split('\n').some((existing) => existing.trim() === line);
}

/** The local name the file uses for a module (`nn` for torch.nn), if it imports it. */
export function localNameFor(imports: ImportTable, qualified: string): string | undefined {
  for (const [local, target] of imports) if (target === qualified) return local;
  return undefined;
}

/** Applies non-overlapping edits (positions in the original text) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((edit) => ({ from: lines.offset(edit.range.start), to: lines.offset(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.from - a.from || b.to - a.to);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.from) + edit.newText + result.slice(edit.to);
  return result;
}
