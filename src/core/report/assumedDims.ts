/**
 * Words for the input dimensions an analysis assumed (the user did not give them), shared by every
 * surface so the CLI, reports, the report editor, the Models view and the status bar say the same:
 * "H=W=640 (x)". Pure: the webview imports it too.
 */
import type { AssumedDim } from '../graph/dimBinding';

/** Short labels of roles: users set H and W by these keys (`--dim H=512`). */
const ROLE_LABEL: Readonly<Record<AssumedDim['role'], string | undefined>> = {
  batch: 'batch', sequence: 'sequence', height: 'H', width: 'W', other: undefined,
};

/** The key a user sets the dimension with: its role label when the name is anonymous or cryptic, else its name. */
export function dimLabel(d: AssumedDim): string {
  return ROLE_LABEL[d.role] ?? d.name;
}

/** "H=W=640 (x), sequence=128 (input)": equal H and W of one input merge. */
export function describeAssumedDims(assumed: readonly AssumedDim[]): string {
  const parts: string[] = [];
  const used = new Set<AssumedDim>();
  for (const d of assumed) {
    if (used.has(d)) continue;
    used.add(d);
    const twin = d.role === 'height' ? assumed.find((o) => o.role === 'width' && o.input === d.input && o.value === d.value && !used.has(o)) : undefined;
    if (twin) used.add(twin);
    const label = twin ? 'H=W' : dimLabel(d);
    parts.push(`${label}=${d.value} (${d.input})`);
  }
  return parts.join(', ');
}

/** "assumed H=W=640 (x) — set with --dim H=N,W=N", or '' when nothing was assumed. */
export function assumedDimsNote(assumed: readonly AssumedDim[] | undefined, howToSet = 'set with --dim NAME=N'): string {
  if (!assumed || assumed.length === 0) return '';
  return `assumed ${describeAssumedDims(assumed)} — ${howToSet}`;
}
