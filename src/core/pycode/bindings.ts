/**
 * Binding helpers of the scanner: a def's parameters into a scope, assignment targets into names, and
 * the layers a container holds.
 */
import type { SyntaxNode } from '@lezer/common';
import { evaluate, isUnresolved, unresolved, type Scope } from './evaluate';
import type { ContainerRecord } from './records';
import { dottedName, sequenceElements } from './syntax';

/** The layers a container holds, nested containers included, each once in first-seen order. */
export function collectMembers(container: ContainerRecord): number[] {
  const layers = new Set<number>();
  const seen = new Set<ContainerRecord>([container]);
  // Depth-first with an explicit stack: containers nested through variables can be thousands deep.
  const stack: { readonly container: ContainerRecord; next: number }[] = [{ container, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const member = top.container.members[top.next++];
    if (!member) stack.pop();
    else if (member.kind === 'layer') layers.add(member.index);
    else if (member.kind === 'container' && !seen.has(member.container)) {
      seen.add(member.container);
      stack.push({ container: member.container, next: 0 });
    }
  }
  return [...layers];
}

export function flattenTargets(targets: readonly SyntaxNode[], text: string): (string | undefined)[] {
  return targets.flatMap((target) =>
    target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression'
      ? sequenceElements(target).map((inner) => dottedName(inner, text))
      : [dottedName(target, text)]);
}

/** Binds a def's parameters: defaults evaluated where the def stands, others unresolved. */
export function bindParameters(params: SyntaxNode, text: string, outer: Scope, inner: Scope): string[] {
  const names: string[] = [];
  let current: string | undefined;
  let expectDefault = false;
  for (let part = params.firstChild; part; part = part.nextSibling) {
    if (part.name === 'VariableName' && !expectDefault) {
      const splat = part.prevSibling?.name === '*' || part.prevSibling?.name === '**';
      current = text.slice(part.from, part.to);
      names.push(current);
      inner.set(current, unresolved(splat ? `\`${current}\` is variadic` : `\`${current}\` is a parameter without a default`));
    } else if (part.name === 'AssignOp') {
      expectDefault = true;
    } else if (expectDefault && part.name !== 'TypeDef') {
      if (current) {
        const value = evaluate(part, text, outer);
        inner.set(current, isUnresolved(value) ? unresolved(`default of \`${current}\`: ${value.reason}`) : value);
      }
      expectDefault = false;
    }
  }
  return names;
}
