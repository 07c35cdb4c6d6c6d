// The report's dimension bar: every symbolic input dimension with the value the estimate used, the
// assumed ones marked, editable. Apply sends the values to the host, which remembers them for this
// model in the workspace and re-analyses; Reset forgets them.
import type { Analysis, AssumedDim } from '../../src/core/energy/analysis';
import type { WebviewToHost } from '../../src/core/protocol';
import { dimLabel } from '../../src/core/report/assumedDims';
import { button } from './controls';
import { h } from './dom';

interface Editable {
  readonly name: string;
  readonly value: number;
  /** H, W, sequence… when the role is known; else the name itself. */
  readonly label: string;
  readonly role?: string;
  readonly assumed?: AssumedDim;
}

/** Dims shown: the open input dims but batch ones (the batch has its own setting). */
function editableDims(a: Analysis): Editable[] {
  const assumedOf = (name: string) => a.assumedDims?.find((d) => d.name === name);
  if (a.openDims) {
    return a.openDims.filter((d) => d.role !== 'batch').map((d) => ({
      name: d.name, value: d.value, role: d.role, assumed: assumedOf(d.name),
      label: d.role === 'other' ? d.name : dimLabel({ ...d, source: 'default' }),
    }));
  }
  return Object.entries(a.settings.dims).filter(([name]) => name !== 'batch' && name !== 'context').map(([name, value]) => ({ name, value, label: name, assumed: assumedOf(name) }));
}

function dimField(d: Editable): { element: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { class: 'dim-input', attrs: { type: 'number', min: '1', step: '1', 'aria-label': `Dimension ${d.label} (${d.name})`, 'data-dim': d.name, 'data-role': d.role ?? '' } });
  input.value = String(d.value);
  const badge = d.assumed ? h('span', { class: 'dim-assumed', title: `Assumed from ${d.assumed.source}; not set by you` }, 'assumed') : null;
  return { element: h('label', { class: 'dim-field', title: `${d.name} of input ${d.assumed?.input ?? ''}`.trim() }, `${d.label} `, input, badge), input };
}

/** The bar, or null when the model has no symbolic dimension to set. */
export function dimensionControls(a: Analysis, post: (message: WebviewToHost) => void): HTMLElement | null {
  const dims = editableDims(a);
  if (dims.length === 0) return null;
  const fields = dims.map((d) => ({ name: d.name, ...dimField(d) }));
  const apply = (): void => {
    const values: Record<string, number> = {};
    for (const f of fields) {
      const n = Number(f.input.value);
      if (Number.isInteger(n) && n > 0) values[f.name] = n;
    }
    post({ type: 'setDims', dims: values });
  };
  for (const f of fields) f.input.addEventListener('keydown', (e) => e.key === 'Enter' && apply());
  return h(
    'div',
    { class: 'dimension-controls', attrs: { role: 'group', 'aria-label': 'Input dimensions' } },
    h('span', { class: 'dim-title' }, 'Input dimensions'),
    ...fields.map((f) => f.element),
    button('Apply', apply, { title: 'Re-estimate with these dimensions (remembered for this model)' }),
    button('Reset', () => post({ type: 'setDims', dims: {} }), { secondary: true, title: 'Forget the dimensions set for this model' }),
  );
}
