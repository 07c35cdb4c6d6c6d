/**
 * Einsum: parses the equation and costs the contraction left to right, pairwise, as a naive
 * evaluator would: each pairwise step costs the product of the sizes of every index it involves.
 */
import type { Node } from '../../graph/ir';
import { assembleCost, shapeUnknown } from '../assemble';
import type { CostContext } from '../context';
import { stringAttr } from '../context';
import type { OpCost } from '../types';

export interface EinsumPlan {
  readonly macs: number;
  /** Multiplies without summation (Hadamard steps) and single-operand reductions. */
  readonly elementwise: number;
}

/** Splits a term into index tokens; '...' becomes one token per broadcast dim, aligned right. */
function tokens(term: string, rank: number | undefined): string[] | undefined {
  const letters = term.replace('...', '');
  const out: string[] = [];
  const ellipsisAt = term.indexOf('...');
  const ellipsisRank = ellipsisAt < 0 ? 0 : (rank ?? 0) - letters.length;
  if (ellipsisRank < 0) return undefined;
  for (let i = 0; i < term.length; i++) {
    if (i === ellipsisAt) {
      for (let e = 0; e < ellipsisRank; e++) out.push(`#${ellipsisRank - e}`);
      i += 2;
    } else {
      out.push(term[i]!);
    }
  }
  return out;
}

/** Plans the cost of an einsum over known shapes; returns a reason string when it cannot. */
export function planEinsum(equation: string, shapes: readonly (readonly number[])[]): EinsumPlan | string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhsGiven] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) return `equation has ${terms.length} operands, node has ${shapes.length}`;
  const sizes = new Map<string, number>();
  const operandTokens: string[][] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = tokens(terms[i]!, shapes[i]!.length);
    if (!t || t.length !== shapes[i]!.length) return `operand ${i} '${terms[i]!}' does not match rank ${shapes[i]!.length}`;
    t.forEach((tok, d) => sizes.set(tok, Math.max(sizes.get(tok) ?? 1, shapes[i]![d]!)));
    operandTokens.push(t);
  }
  let outputTokens: string[];
  if (rhsGiven !== undefined) {
    const maxEllipsis = Math.max(0, ...operandTokens.map((t) => t.filter((x) => x.startsWith('#')).length));
    const t = tokens(rhsGiven, rhsGiven.replace('...', '').length + maxEllipsis);
    if (!t) return `cannot parse output '${rhsGiven}'`;
    outputTokens = t;
  } else {
    const counts = new Map<string, number>();
    for (const t of operandTokens) for (const x of t) counts.set(x, (counts.get(x) ?? 0) + 1);
    outputTokens = [...counts].filter(([x, c]) => c === 1 || x.startsWith('#')).map(([x]) => x).sort();
  }
  const sizeOf = (set: Iterable<string>): number => {
    let p = 1;
    for (const x of set) p *= sizes.get(x) ?? 1;
    return p;
  };
  if (operandTokens.length === 1) return { macs: 0, elementwise: sizeOf(new Set(operandTokens[0])) };
  let macs = 0;
  let elementwise = 0;
  let current = new Set(operandTokens[0]);
  for (let i = 1; i < operandTokens.length; i++) {
    const combined = new Set([...current, ...operandTokens[i]!]);
    const later = new Set([...outputTokens, ...operandTokens.slice(i + 1).flat()]);
    const kept = new Set([...combined].filter((x) => later.has(x)));
    const work = sizeOf(combined);
    if (kept.size < combined.size) macs += work;
    else elementwise += work;
    current = kept;
  }
  return { macs, elementwise };
}

export const einsumRule = (node: Node, ctx: CostContext): OpCost => {
  const equation = stringAttr(node, 'equation', '');
  const shapes: (readonly number[])[] = [];
  for (const name of node.inputs) {
    const s = name ? ctx.numericShape(name) ?? ctx.constant(name)?.dims : undefined;
    if (!s) return assembleCost(node, ctx, { missing: [shapeUnknown(node, `shape of '${name}'`)] });
    shapes.push(s);
  }
  const plan = planEinsum(equation, shapes);
  if (typeof plan === 'string') return assembleCost(node, ctx, { missing: [`Einsum '${equation}' not costed: ${plan}`] });
  return assembleCost(node, ctx, { macs: plan.macs, elementwise: plan.elementwise, notes: [`einsum '${equation}' contracted left to right`] });
};
