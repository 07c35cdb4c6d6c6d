// The report's Table / Graph switch: a WAI-ARIA tab list of native buttons (← → move, the theme styles it).
import { h } from './dom';

export type ReportView = 'table' | 'graph';

const VIEWS: readonly { readonly view: ReportView; readonly label: string }[] = [
  { view: 'table', label: 'Table' },
  { view: 'graph', label: 'Graph' },
];

export function viewTabs(initial: ReportView, onChange: (view: ReportView) => void): { element: HTMLElement; set(view: ReportView): void } {
  const buttons = VIEWS.map(({ view, label }) => h('button', { class: 'view-tab', attrs: { type: 'button', role: 'tab', 'data-view': view } }, label));
  const set = (view: ReportView) => {
    for (const b of buttons) {
      const on = b.dataset.view === view;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
  };
  buttons.forEach((b, k) => {
    b.addEventListener('click', () => {
      set(VIEWS[k]!.view);
      onChange(VIEWS[k]!.view);
    });
    b.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = buttons[(k + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]!;
      next.focus();
      next.click();
    });
  });
  set(initial);
  return { element: h('div', { class: 'view-tabs', attrs: { role: 'tablist', 'aria-label': 'Report view' } }, ...buttons), set };
}
