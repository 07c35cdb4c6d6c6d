// The report's dimension bar: every symbolic input dimension with the value the estimate used, the
// assumed ones marked, editable. Apply sends the values to the host, which remembers them for this
// model in the workspace and re-analyses; Reset forgets them.
import type { Analysis, AssumedDim } from '../../src/core/energy/analysis';
import type { WebviewToHost } from '../../src/core/protocol';
import { dimLabel } from '../../src/core/report/assumedDims';
import { button } from './controls';
import { h } from './dom';

/** Dims shown: all bound ones but batch (the batch has its own setting). */
function editableDims(a: Analysis): [string, number][] {
  return Object.entries(a.settings.dims).filter(([name]) => name !== 'batch' && name !== 'context');
}

function dimField(name: string, value: number, assumed: AssumedDim | undefined): { element: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { class: 'dim-input', attrs: { type: 'number', min: '1', step: '1', 'aria-label': `Dimension ${name}`, 'data-dim': name } });
  input.value = String(value);
  const role = assumed && dimLabel(assumed) !== name ? ` (${dimLabel(assumed)})` : '';
  const badge = assumed ? h('span', { class: 'dim-assumed', title: `Assumed from ${assumed.source}; not set by you` }, 'assumed') : null;
  return { element: h('label', { class: 'dim-field' }, `${name}${role} `, input, badge), input };
}

/** The bar, or null when the model has no symbolic dimension to set. */
export function dimensionControls(a: Analysis, post: (message: WebviewToHost) => void): HTMLElement | null {
  const dims = editableDims(a);
  if (dims.length === 0) return null;
  const fields = dims.map(([name, value]) => ({ name, ...dimField(name, value, a.assumedDims?.find((d) => d.name === name)) }));
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
