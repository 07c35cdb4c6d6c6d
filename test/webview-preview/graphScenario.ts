// The report's Graph view in the preview: layout in the worker, painting, search, selection (click
// and keyboard) tied to the table and details, the measured overlay, exports, and frame times of
// pan and zoom. Used on a real ~1,000-layer transformer and on the 10,000-layer report.
import type { Page } from 'playwright-core';
import { openPage, takePosted } from './browser';
import { Failures, checkClean, checkContrast, texts, waitFor } from './checks';
import type { AnalysisMessage } from './fixtures';
import type { ScenarioContext, ScenarioResult } from './scenarios';

const detailsName = async (page: Page) => (await texts(page, '.details h2'))[0] ?? '';
const selectedRow = async (page: Page) => (await texts(page, '.lt-row.selected .lt-name bdi'))[0];

/** Painted pixels of the graph canvas that differ from its top-left (background) pixel. */
function paintedPixels(page: Page): Promise<number> {
  return page.$eval('.graph-canvas', (c) => {
    const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
    const d = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (!d) return 0;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  });
}

/** Median and worst time of two animation frames after each of `steps` wheel events (pan or zoom). */
function wheelFrames(page: Page, steps: number, ctrlKey: boolean, deltaY: number): Promise<{ median: number; max: number }> {
  return page.evaluate(
    async ([n, ctrl, dy]) => {
      type Ev = new (t: string, i: Record<string, unknown>) => unknown;
      const g = globalThis as unknown as { document: { querySelector(s: string): { dispatchEvent(e: unknown): void; getBoundingClientRect(): { left: number; top: number; width: number; height: number } } }; WheelEvent: Ev; requestAnimationFrame(cb: () => void): void; performance: { now(): number } };
      const canvas = g.document.querySelector('.graph-canvas');
      const r = canvas.getBoundingClientRect();
      const frame = () => new Promise<void>((res) => g.requestAnimationFrame(() => res()));
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = g.performance.now();
        canvas.dispatchEvent(new g.WheelEvent('wheel', { deltaY: dy, ctrlKey: ctrl, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
        await frame();
        await frame();
        times.push(g.performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
    },
    [steps, ctrlKey, deltaY] as const,
  );
}

export async function runGraph(ctx: ScenarioContext, full: boolean): Promise<ScenarioResult> {
  const f = new Failures();
  const metrics: Record<string, number | string> = {};
  const message = ctx.data.initial as AnalysisMessage;
  const { page, record, close } = await openPage(ctx.browser, ctx.url, { width: 1400, height: 1000 });
  try {
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0`, 30000), 'the report did not render');
    const started = Date.now();
    await page.getByRole('tab', { name: 'Graph' }).click();
    f.check(await waitFor(page, `/laid out in/.test(document.querySelector('.graph-status')?.textContent ?? '')`, 30000), 'the graph was not laid out');
    metrics.tabToLayoutMs = Date.now() - started;
    const status = (await texts(page, '.graph-status'))[0] ?? '';
    metrics.status = status;
    metrics.layoutMs = Number(/laid out in (\d+) ms/.exec(status)?.[1] ?? NaN);
    f.check(status.includes('in a Web Worker'), `the layout did not run in a worker: ${status}`);
    f.check(new RegExp(`^${message.analysis.layers.length} nodes`).test(status), `status does not count every layer: ${status}`);
    f.check(await waitFor(page, `document.querySelector('.graph-canvas').width > 0`), 'graph canvas has no size');
    await page.waitForTimeout(100);
    metrics.paintedPixels = await paintedPixels(page);
    f.check((metrics.paintedPixels as number) > 5000, `graph canvas is nearly blank (${metrics.paintedPixels} pixels)`);
    f.check((await page.$$('.graph-pane *')).length < 60, 'graph nodes became DOM elements');

    // Pan and zoom: two frames per wheel event (fit view = level of detail; then zoomed in).
    const panFit = await wheelFrames(page, 30, false, 120);
    const zoomIn = await wheelFrames(page, 30, true, -60);
    const panNear = await wheelFrames(page, 30, false, 120);
    metrics.panAtFitMs = `${panFit.median.toFixed(1)} median, ${panFit.max.toFixed(1)} max`;
    metrics.zoomMs = `${zoomIn.median.toFixed(1)} median, ${zoomIn.max.toFixed(1)} max`;
    metrics.panZoomedMs = `${panNear.median.toFixed(1)} median, ${panNear.max.toFixed(1)} max`;
    await page.keyboard.press('0');

    // Search by op: the first match is selected in the graph, the table and the details.
    await page.fill('input.graph-search', 'matmul');
    const found = (await texts(page, '.graph-matches'))[0] ?? '';
    f.check(/^[1-9]\d* found$/.test(found), `search for matmul found nothing: '${found}'`);
    await page.press('input.graph-search', 'Enter');
    const first = await detailsName(page);
    const firstLayer = message.analysis.layers.find((l) => l.name === first);
    f.check(firstLayer?.opType === 'MatMul', `search Enter selected '${first}', not a MatMul layer`);
    // Keyboard: ↓ goes to a consumer of the selected layer.
    await page.focus('.graph-canvas');
    await page.keyboard.press('ArrowDown');
    const next = await detailsName(page);
    f.check(next !== first && next !== '', `ArrowDown did not move the selection from '${first}'`);
    const fromIndex = message.analysis.layers.findIndex((l) => l.name === first);
    const toIndex = message.analysis.layers.findIndex((l) => l.name === next);
    f.check(message.graph?.edges.some((e) => e.from === fromIndex && e.to === toIndex) ?? false, `'${next}' does not consume '${first}'`);
    // Click: the match was centred; clicking the canvas centre selects it again.
    const box = (await page.$('.graph-canvas'))!;
    const b = (await box.boundingBox())!;
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    f.check((await detailsName(page)) === first, `clicking the centred node did not select '${first}' (got '${await detailsName(page)}')`);
    // Hovering it tells what it costs, estimated or measured.
    await page.mouse.move(b.x + b.width / 2 + 2, b.y + b.height / 2 + 1);
    const tip = (await page.getAttribute('.graph-canvas', 'title')) ?? '';
    f.check(tip.includes(first) && /energy .* \(estimated\)/.test(tip), `hover tooltip does not describe '${first}': ${tip}`);
    // The table (other tab) has the same layer's row selected.
    await page.getByRole('tab', { name: 'Table' }).click();
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0`), 'table did not come back');
    f.check((await selectedRow(page)) === first, `the table row of the selected node is not highlighted (${await selectedRow(page)})`);
    await page.getByRole('tab', { name: 'Graph' }).click();

    if (full) {
      // Measured overlay (a real benchmark's profile was sent after the analysis).
      const modes = await page.$$eval('select.graph-mode option', (os) => os.map((o) => ({ v: (o as unknown as { value: string; disabled: boolean }).value, d: (o as unknown as { disabled: boolean }).disabled })));
      f.check(modes.some((m) => m.v === 'measured' && !m.d), 'measured colouring not offered after a benchmark');
      await page.selectOption('select.graph-mode', 'measured');
      f.check(((await texts(page, '.graph-legend'))[0] ?? '').includes('measured time per node'), 'legend does not explain the measured colouring');
      await page.selectOption('select.graph-mode', 'ratio');
      f.check(((await texts(page, '.graph-legend'))[0] ?? '').includes('estimate below the measured time'), 'legend does not explain the ratio colouring');
      await page.selectOption('select.graph-mode', 'energy');
      // Exports.
      await takePosted(page);
      await page.getByRole('button', { name: 'Export SVG', exact: true }).click();
      await page.locator('.graph-toolbar').getByRole('button', { name: 'Export PNG', exact: true }).click();
      const posted = await takePosted(page);
      const svg = posted.find((m) => m.type === 'export' && m.format === 'svg');
      f.check(typeof svg?.content === 'string' && svg.content.startsWith('<svg') && (svg.content.match(/<rect /g) ?? []).length > message.analysis.layers.length, 'Export SVG did not post the whole graph');
      const png = posted.find((m) => m.type === 'export' && m.format === 'png');
      f.check(typeof png?.content === 'string' && png.content.startsWith('data:image/png;base64,'), 'Export PNG did not post a PNG');
      // Group by name scope: 30 encoder blocks become boxes; Enter on one opens it in place.
      const nodesIn = async () => Number(/^(\d+) nodes/.exec((await texts(page, '.graph-status'))[0] ?? '')?.[1] ?? NaN);
      await page.selectOption('select.graph-collapse', '2');
      f.check(await waitFor(page, `/collapsed scopes/.test(document.querySelector('.graph-status')?.textContent ?? '')`, 10000), 'grouping by scope did not lay out again');
      const grouped = await nodesIn();
      f.check(grouped < 60, `grouped by scope depth 2, still ${grouped} nodes`);
      await page.fill('input.graph-search', 'layers.3/');
      await page.press('input.graph-search', 'Enter');
      await page.focus('.graph-canvas');
      await page.keyboard.press('Enter');
      f.check(await waitFor(page, `Number(/^(\\d+) nodes/.exec(document.querySelector('.graph-status')?.textContent ?? '')?.[1]) > ${grouped}`, 10000), 'Enter on a scope box did not open it');
      metrics.scopeNodes = `${grouped} grouped, ${await nodesIn()} with one block open`;
      await page.selectOption('select.graph-collapse', '0');
      // Reload keeps the Graph tab and the colouring.
      await page.selectOption('select.graph-mode', 'data');
      await wheelFrames(page, 5, true, -60);
      await page.waitForTimeout(500);
      const savedView = () => page.evaluate(() => JSON.stringify((JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('joule-preview-state:report') ?? '{}') as { graph?: { view?: unknown } }).graph?.view));
      const viewBefore = await savedView();
      await page.reload({ waitUntil: 'load' });
      f.check(await waitFor(page, `/laid out in/.test(document.querySelector('.graph-status')?.textContent ?? '')`, 30000), 'after a reload the Graph tab is not shown');
      f.check((await page.$eval('select.graph-mode', (s) => (s as unknown as { value: string }).value)) === 'data', 'after a reload the colouring is lost');
      await page.waitForTimeout(500);
      f.check(viewBefore !== undefined && (await savedView()) === viewBefore, `after a reload the pan and zoom moved: ${viewBefore} -> ${await savedView()}`);
      await page.selectOption('select.graph-mode', 'energy');
      await page.fill('input.graph-search', 'matmul');
      await page.press('input.graph-search', 'Enter');
      await page.waitForTimeout(200);
      const contrast = await checkContrast(page, f, ['.graph-legend', '.graph-status', '.view-tab', '.graph-toolbar button']);
      metrics.lowestContrast = Math.min(...Object.values(contrast));
    }
    await page.screenshot({ path: ctx.screenshot });
    await checkClean(page, record, f);
  } finally {
    await close();
  }
  return { name: ctx.name, failures: f.list, metrics };
}

/** Fused kernels (LayerAnalysis.kernel) drawn as one box each: fewer nodes than layers, said in the status. */
export async function runFused(ctx: ScenarioContext): Promise<ScenarioResult> {
  const f = new Failures();
  const message = ctx.data.initial as AnalysisMessage;
  const { page, record, close } = await openPage(ctx.browser, ctx.url);
  try {
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0`, 30000), 'the report did not render');
    await page.getByRole('tab', { name: 'Graph' }).click();
    f.check(await waitFor(page, `/laid out in/.test(document.querySelector('.graph-status')?.textContent ?? '')`, 30000), 'the graph was not laid out');
    const status = (await texts(page, '.graph-status'))[0] ?? '';
    const kernels = new Set(message.analysis.layers.map((l) => l.kernel?.id)).size;
    const fused = new Set(message.analysis.layers.filter((l) => (l.kernel?.members.length ?? 0) > 1).map((l) => l.kernel?.id)).size;
    f.check(status.startsWith(`${kernels} nodes (${fused} fused kernels`), `expected ${kernels} nodes with ${fused} fused kernels: ${status}`);
    // Searching a Relu finds its fused box; selecting it shows the costlier member (the Conv).
    await page.fill('input.graph-search', 'relu');
    await page.press('input.graph-search', 'Enter');
    const title = (await texts(page, '.details h2'))[0] ?? '';
    const shown = message.analysis.layers.find((l) => l.name === title);
    f.check(shown?.opType === 'Conv', `selecting a fused Conv+Relu box showed ${shown?.opType ?? 'nothing'}, not its Conv`);
    await page.waitForTimeout(100);
    await page.screenshot({ path: ctx.screenshot });
    await checkClean(page, record, f);
    return { name: ctx.name, failures: f.list, metrics: { status } };
  } finally {
    await close();
  }
}
