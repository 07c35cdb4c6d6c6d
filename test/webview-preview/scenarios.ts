// The preview's scenarios: which page, with which data and theme, and what to check on it.
import type { Browser } from 'playwright-core';
import { openPage, takePosted } from './browser';
import { Failures, checkChartsDrawn, checkClean, checkContrast, checkNoOverflow, texts, waitFor } from './checks';
import { HOSTILE_NAMES, type PageData } from './fixtures';
import type { ThemeName } from './pageHtml';
import { runReport } from './reportScenario';
import { runFused, runGraph } from './graphScenario';

export interface ScenarioContext {
  readonly name: string;
  readonly browser: Browser;
  readonly url: string;
  readonly screenshot: string;
  readonly data: PageData;
}

export interface ScenarioResult {
  readonly name: string;
  readonly failures: string[];
  readonly metrics: Record<string, number | string>;
}

export interface Scenario {
  readonly name: string;
  readonly page: 'report' | 'bench' | 'summary';
  /** Key of the data set preview.ts builds. */
  readonly data: string;
  readonly theme?: ThemeName;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

/** 10,000 layers: time to the first rows, rows in the DOM, and frame times while scrolling. */
async function runLarge(ctx: ScenarioContext): Promise<ScenarioResult> {
  const f = new Failures();
  const started = Date.now();
  const { page, record, close } = await openPage(ctx.browser, ctx.url);
  try {
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0`, 20000), 'no rows rendered');
    const loadToRowsMs = Date.now() - started;
    const timing = await page.evaluate(() => (globalThis as unknown as { __joule: { sentAt?: number; firstRowAt?: number } }).__joule);
    const rowsInDom = (await page.$$('.lt-row')).length;
    f.check(rowsInDom > 0 && rowsInDom < 100, `${rowsInDom} rows in the DOM for 10,000 layers (not virtualized?)`);
    // Main-thread time (script, style, layout) spent by the 40 scroll steps, from Chrome's own counters.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = new Map(metrics.map((x) => [x.name, x.value]));
      return (m.get('ScriptDuration') ?? 0) + (m.get('LayoutDuration') ?? 0) + (m.get('RecalcStyleDuration') ?? 0);
    };
    const busyBefore = await busy();
    // Scroll through the table in 40 steps, one frame each; each step must repaint the right rows.
    const scroll = await page.evaluate(async () => {
      type El = { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
      const g = globalThis as unknown as { document: { querySelector(s: string): El }; requestAnimationFrame(cb: () => void): void; performance: { now(): number } };
      const vp = g.document.querySelector('.lt-viewport');
      const frame = () => new Promise<void>((r) => g.requestAnimationFrame(() => r()));
      const idle: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = g.performance.now();
        await frame();
        await frame();
        idle.push(g.performance.now() - t);
      }
      idle.sort((a, b) => a - b);
      const times: number[] = [];
      let maxRows = 0;
      let stale = 0;
      for (let i = 1; i <= 40; i++) {
        const t = g.performance.now();
        vp.scrollTop = ((vp.scrollHeight - vp.clientHeight) * i) / 40;
        await frame();
        await frame();
        times.push(g.performance.now() - t);
        const rows = g.document.querySelector('.lt-rows').querySelectorAll('.lt-row');
        maxRows = Math.max(maxRows, rows.length);
        const firstPos = Number(rows[0]?.getAttribute('data-pos') ?? -1);
        if (!(firstPos <= Math.floor(vp.scrollTop / 26) && firstPos + rows.length >= Math.floor((vp.scrollTop + vp.clientHeight) / 26))) stale++;
      }
      times.sort((a, b) => a - b);
      return { median: times[20]!, worst: times[39]!, idleMedian: idle[10]!, maxRows, stale };
    });
    const busyPerStepMs = ((await busy()) - busyBefore) * 1000 / 40;
    f.check(scroll.stale === 0, `${scroll.stale} scroll steps showed rows that do not cover the viewport`);
    f.check(scroll.maxRows < 100, `${scroll.maxRows} rows in the DOM while scrolling`);
    const sortStart = Date.now();
    await page.click('.lt-header button.lt-name');
    f.check(await waitFor(page, `document.querySelector('.lt-header button.lt-name').getAttribute('aria-sort') === 'ascending'`), 'sort by name did not apply');
    const sortMs = Date.now() - sortStart;
    // Keyboard selection redraws the details pane (and its roofline of every layer) per key press.
    await page.focus('.lt-viewport');
    const keyStart = Date.now();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowDown');
    await page.evaluate(() => new Promise<void>((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r())));
    const keyMs = (Date.now() - keyStart) / 10;
    // The scroll position and selection survive a reload (state saved once scrolling pauses).
    const scrollTopOf = () => page.$eval('.lt-viewport', (e) => e.scrollTop);
    await page.$eval('.lt-viewport', (e) => {
      e.scrollTop = 26 * 5_000;
    });
    await page.waitForTimeout(600);
    const before = { top: await scrollTopOf() };
    await page.reload({ waitUntil: 'load' });
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0 && document.querySelector('.lt-viewport').scrollTop > 0`, 20000), 'scroll position not restored after reload');
    f.check(Math.abs((await scrollTopOf()) - before.top) <= 26, `scrollTop ${await scrollTopOf()} after reload, ${before.top} before`);
    f.check((await texts(page, '.details h2'))[0] !== undefined && (await texts(page, '.details h2'))[0] === (await page.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('joule-preview-state:report')).selectedName as string)), 'details after reload are not the saved selection');
    await page.screenshot({ path: ctx.screenshot });
    await checkClean(page, record, f);
    return {
      name: ctx.name,
      failures: f.list,
      metrics: {
        layers: 10_000,
        loadToFirstRowsMs: loadToRowsMs,
        dataMessageToRowsInDomMs: timing.sentAt !== undefined && timing.firstRowAt !== undefined ? Math.round(timing.firstRowAt - timing.sentAt) : 'n/a',
        rowsInDom,
        scrollTwoFramesMedianMs: Math.round(scroll.median * 10) / 10,
        scrollTwoFramesWorstMs: Math.round(scroll.worst * 10) / 10,
        mainThreadBusyPerScrollStepMs: Math.round(busyPerStepMs * 10) / 10,
        idleTwoFramesMedianMs: Math.round(scroll.idleMedian * 10) / 10,
        maxRowsInDomWhileScrolling: scroll.maxRows,
        sortByNameClickToPaintMs: sortMs,
        arrowDownWithDetailsMs: Math.round(keyMs),
      },
    };
  } finally {
    await close();
  }
}

/** Layer names, op types, warnings and summary labels that are markup must stay text. */
async function runHostile(ctx: ScenarioContext): Promise<ScenarioResult> {
  const f = new Failures();
  const { page, record, close } = await openPage(ctx.browser, ctx.url);
  try {
    await waitFor(page, `document.querySelectorAll('#app *').length > 5`);
    await page.waitForTimeout(300);
    const body = await page.evaluate(() => (globalThis as unknown as { document: { body: { textContent: string } } }).document.body.textContent);
    for (const name of HOSTILE_NAMES) f.check(body.includes(name), `'${name}' is not shown as text`);
    f.check((await page.$$('img')).length === 0, 'an <img> element was created from a name');
    f.check((await page.$$('script')).length === 2, 'a <script> element was created from a name');
    // The graph draws the names on its canvas, and its search and tooltip and live region take them as text.
    await page.getByRole('tab', { name: 'Graph' }).click();
    f.check(await waitFor(page, `/laid out in/.test(document.querySelector('.graph-status')?.textContent ?? '')`, 10000), 'the graph was not laid out');
    await page.fill('input.graph-search', 'onerror');
    await page.press('input.graph-search', 'Enter');
    f.check(((await texts(page, '.details h2'))[0] ?? '') === HOSTILE_NAMES[0], 'searching the markup name did not select it');
    f.check((await page.$$('img')).length === 0 && (await page.$$('script')).length === 2, 'the graph created elements from a name');
    await page.getByRole('tab', { name: 'Table' }).click();
    const alerted = await page.evaluate(() => (globalThis as unknown as { __alerted?: boolean }).__alerted === true);
    f.check(!alerted && record.dialogs.length === 0, 'alert() ran');
    await page.screenshot({ path: ctx.screenshot, fullPage: true });
    await checkClean(page, record, f);
    return { name: ctx.name, failures: f.list, metrics: { hostileNames: HOSTILE_NAMES.length } };
  } finally {
    await close();
  }
}

async function runSummary(ctx: ScenarioContext): Promise<ScenarioResult> {
  const f = new Failures();
  const { page, record, close } = await openPage(ctx.browser, ctx.url, { width: 320, height: 600 });
  try {
    f.check(await waitFor(page, `document.querySelectorAll('.summary-list > li').length > 0`), 'no models listed');
    await checkNoOverflow(page, f);
    await takePosted(page);
    const first = page.locator('.summary-list a').first();
    await first.click();
    const posted = (await takePosted(page)).find((m) => m.type === 'openModel');
    f.check(typeof posted?.path === 'string' && String(posted.path).endsWith('.onnx'), `clicking a model posted ${JSON.stringify(posted)}`);
    await first.focus();
    await page.keyboard.press('Enter');
    f.check((await takePosted(page)).some((m) => m.type === 'openModel'), 'Enter on a model did not open it');
    f.check((await texts(page, '.summary-list .error')).length === 1, 'unreadable model not shown with its error');
    const contrast = await checkContrast(page, f, ['.summary-head', '.summary-list a', '.summary-list .energy', '.hotspots li', '.summary-list .error']);
    await page.screenshot({ path: ctx.screenshot, fullPage: true });
    await checkClean(page, record, f);
    return { name: ctx.name, failures: f.list, metrics: { models: (await page.$$('.summary-list > li')).length, lowestContrast: Math.min(...Object.values(contrast)) } };
  } finally {
    await close();
  }
}

async function runBench(ctx: ScenarioContext): Promise<ScenarioResult> {
  const f = new Failures();
  const { page, record, close } = await openPage(ctx.browser, ctx.url);
  try {
    f.check(await waitFor(page, `document.querySelectorAll('canvas').length >= 4`, 10000), 'bench charts not rendered');
    await page.waitForTimeout(200);
    await checkNoOverflow(page, f);
    const charts = await checkChartsDrawn(page, f, 5);
    const contrast = await checkContrast(page, f, ['h1', '.stat-value', '.stat-label', '.note', 'summary', 'figcaption', '.toolbar button']);
    await page.screenshot({ path: ctx.screenshot, fullPage: true });
    await takePosted(page);
    for (const [label, format] of [['Export PNG', 'png'], ['Export HTML', 'html'], ['Export JSON', 'json']] as const) {
      await page.getByRole('button', { name: label, exact: true }).click();
      const posted = (await takePosted(page)).find((m) => m.type === 'export');
      f.check(posted?.format === format && typeof posted.requestId === 'number', `${label} posted ${JSON.stringify(posted)?.slice(0, 100)}`);
      const content = String(posted?.content ?? '');
      if (format === 'png') f.check(content.startsWith('data:image/png;base64,'), 'PNG export is not a PNG');
      if (format === 'html') f.check(content.includes('<img') && !content.includes('<script') && !content.includes('<button'), 'HTML export not static or lacks chart images');
      if (format === 'json') f.check(JSON.parse(content).label === (ctx.data.initial as { bench: { label: string } }).bench.label, 'JSON export is not the bench view');
    }
    await page.getByRole('button', { name: 'Benchmark again', exact: true }).click();
    f.check((await takePosted(page)).some((m) => m.type === 'runAction' && m.action === 'benchmark'), 'Benchmark again did not post runAction');
    await page.reload({ waitUntil: 'load' });
    f.check(await waitFor(page, `document.querySelectorAll('canvas').length >= 4`), 'bench not restored after reload');
    await checkClean(page, record, f);
    return { name: ctx.name, failures: f.list, metrics: { charts, lowestContrast: Math.min(...Object.values(contrast)) } };
  } finally {
    await close();
  }
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'report', page: 'report', data: 'report', run: (ctx) => runReport(ctx, true) },
  { name: 'report-light', page: 'report', data: 'report-cnn', theme: 'light', run: (ctx) => runReport(ctx, false) },
  { name: 'report-cnn', page: 'report', data: 'report-cnn', run: (ctx) => runReport(ctx, false) },
  { name: 'report-narrow', page: 'report', data: 'report', run: (ctx) => runReport(ctx, false, { width: 640, height: 800 }) },
  { name: 'report-10k', page: 'report', data: 'report-10k', run: runLarge },
  { name: 'report-graph', page: 'report', data: 'report-graph', run: (ctx) => runGraph(ctx, true) },
  { name: 'report-fused', page: 'report', data: 'report-fused', run: runFused },
  { name: 'report-graph-10k', page: 'report', data: 'report-10k', run: (ctx) => runGraph(ctx, false) },
  { name: 'report-hostile', page: 'report', data: 'report-hostile', run: runHostile },
  { name: 'summary', page: 'summary', data: 'summary', run: runSummary },
  { name: 'bench', page: 'bench', data: 'bench', run: runBench },
];
