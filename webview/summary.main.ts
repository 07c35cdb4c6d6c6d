// The side panel's summary: the workspace's models, their estimated energy and top hotspots.
import type { HostToWebview, ModelSummaryView } from '../src/core/protocol';
import { formatEnergy, formatPercent } from '../src/core/report/units';
import { append, clear, h } from './lib/dom';
import { connect } from './lib/host';

const host = connect<{ models: ModelSummaryView[]; profileId: string }>();
const app = document.getElementById('app')!;

function render(models: readonly ModelSummaryView[], profileId: string): void {
  clear(app);
  const total = models.reduce((n, m) => n + (m.energyJ ?? 0), 0);
  append(app, h('div', { class: 'summary-head' }, `${models.length} model${models.length === 1 ? '' : 's'} · ${formatEnergy(total)} per inference of each, summed · estimated on ${profileId}`));
  const list = h('ul', { class: 'summary-list' });
  for (const m of [...models].sort((a, b) => (b.energyJ ?? -1) - (a.energyJ ?? -1))) {
    const link = h('a', { attrs: { href: '#', role: 'button' }, title: m.path }, m.label);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      host.post({ type: 'openModel', path: m.path });
    });
    const item = h('li', {}, link, h('span', { class: 'energy' }, m.error ? ' unreadable' : ` ${formatEnergy(m.energyJ ?? 0)}`));
    if (m.error) item.appendChild(h('div', { class: 'error small' }, m.error));
    if (m.hotspots.length > 0) {
      const hot = h('ul', { class: 'hotspots' });
      for (const s of m.hotspots) hot.appendChild(h('li', {}, `🔥 ${s.name} ${formatPercent(s.share)}`));
      item.appendChild(hot);
    }
    list.appendChild(item);
  }
  app.appendChild(list);
}

host.onMessage((m: HostToWebview) => {
  if (m.type === 'summary') {
    host.saveState({ models: [...m.models], profileId: m.profileId });
    render(m.models, m.profileId);
  }
});
const saved = host.state();
if (saved.models && saved.profileId) render(saved.models, saved.profileId);
host.post({ type: 'ready' });
