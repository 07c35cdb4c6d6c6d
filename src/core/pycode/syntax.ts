/**
 * Small helpers over @lezer/python's syntax tree: children, text, argument lists, and offsets mapped to
 * editor positions. Everything else in src/core/pycode reads the tree only through these.
 */
import type { SyntaxNode } from '@lezer/common';
import type { SourcePosition, SourceRange } from './types';

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** Maps string offsets (UTF-16, as JavaScript counts them) to 0-based line/character. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.lineStarts[low]! };
  }

  range(from: number, to: number): SourceRange {
    return { start: this.position(from), end: this.position(to) };
  }

  offset(position: SourcePosition): number {
    // lineStarts always holds line 0.
    const start = this.lineStarts[Math.min(position.line, this.lineStarts.length - 1)]!;
    return start + position.character;
  }

}

export interface CallArguments {
  readonly positional: SyntaxNode[];
  readonly keywords: Map<string, SyntaxNode>;
  /** `*args` or `**kwargs` present: bindings after them cannot be trusted. */
  readonly hasSplat: boolean;
}

/** Splits an ArgList node into positional and keyword argument expressions. */
export function callArguments(argList: SyntaxNode, text: string): CallArguments {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  let hasSplat = false;
  let pendingName: string | undefined;
  let sawAssign = false;
  for (let child = argList.firstChild; child; child = child.nextSibling) {
    const name = child.name;
    if (name === '(' || name === ')') continue;
    if (name === ',') {
      pendingName = undefined;
      sawAssign = false;
      continue;
    }
    if (name === '*' || name === '**') {
      hasSplat = true;
      continue;
    }
    if (name === 'AssignOp') {
      sawAssign = true;
      continue;
    }
    if (sawAssign && pendingName !== undefined) {
      keywords.set(pendingName, child);
      pendingName = undefined;
      sawAssign = false;
      continue;
    }
    if (name === 'VariableName' && child.nextSibling?.name === 'AssignOp') {
      pendingName = text.slice(child.from, child.to);
      continue;
    }
    if (!hasSplatBefore(child)) positional.push(child);
  }
  return { positional, keywords, hasSplat };
}

function hasSplatBefore(node: SyntaxNode): boolean {
  const previous = node.prevSibling;
  return previous !== null && (previous.name === '*' || previous.name === '**');
}

/** Elements of a tuple, list or parenthesized expression, skipping punctuation. */
export function sequenceElements(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((child) => !PUNCTUATION.has(child.name));
}

const PUNCTUATION = new Set(['(', ')', '[', ']', ',', '{', '}']);

/** The dotted name of `a.b.c` (VariableName / MemberExpression chains only), else undefined. */
export function dottedName(node: SyntaxNode, text: string): string | undefined {
  if (node.name === 'VariableName') return text.slice(node.from, node.to);
  if (node.name !== 'MemberExpression') return undefined;
  const object = node.firstChild;
  const property = node.lastChild;
  if (!object || !property || property.name !== 'PropertyName') return undefined;
  const head = dottedName(object, text);
  return head === undefined ? undefined : `${head}.${text.slice(property.from, property.to)}`;
}

/** For an AssignStatement: the target nodes (before the last `=`) and the value node. */
export function assignmentParts(node: SyntaxNode): { targets: SyntaxNode[]; value: SyntaxNode | undefined } {
  const parts = children(node);
  let lastAssign = -1;
  parts.forEach((part, index) => {
    if (part.name === 'AssignOp') lastAssign = index;
  });
  if (lastAssign < 0) return { targets: [], value: undefined };
  const targets = parts.slice(0, lastAssign).filter((part) => part.name !== ',' && part.name !== 'AssignOp' && part.name !== 'TypeDef');
  return { targets, value: parts[lastAssign + 1] };
}
