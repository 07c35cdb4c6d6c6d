// Page-level checks shared by the preview's scenarios. Page code runs in the browser; the
// callbacks are written against a minimal structural type because tsconfig.json has no DOM lib.
import type { Page } from 'playwright-core';
import { stubRecord, type PageRecord } from './browser';

export class Failures {
  readonly list: string[] = [];
  check(ok: boolean, message: string): void {
    if (!ok) this.list.push(message);
  }
}

/** Console errors, uncaught exceptions, CSP violations and dialogs: each is a failure. */
export async function checkClean(page: Page, record: PageRecord, f: Failures): Promise<void> {
  const stub = await stubRecord(page);
  for (const e of record.consoleErrors) f.check(false, `console ${e}`);
  for (const e of record.pageErrors) f.check(false, `uncaught ${e}`);
  for (const v of stub.csp) f.check(false, `CSP violation: ${v}`);
  for (const d of record.dialogs) f.check(false, `dialog opened (injected script ran?): ${d}`);
}

export function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));
}

/** No horizontal scrollbar on the page, and no element wider than the window. */
export async function checkNoOverflow(page: Page, f: Failures): Promise<void> {
  const over = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
  f.check(over <= 1, `page scrolls horizontally by ${over}px`);
}

/** Every canvas has a size and painted pixels (chart.js drew something). */
export async function checkChartsDrawn(page: Page, f: Failures, minCharts: number): Promise<number> {
  const painted = await page.$$eval('canvas', (canvases) =>
    canvases.map((c) => {
      const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
      if (canvas.width === 0 || canvas.height === 0) return 0;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      if (data) for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    }),
  );
  f.check(painted.length >= minCharts, `expected at least ${minCharts} charts, found ${painted.length}`);
  painted.forEach((n, i) => f.check(n > 500, `chart ${i + 1} is blank (${n} painted pixels)`));
  return painted.length;
}

/**
 * Waits until `expression` (evaluated in the page) is truthy, or gives up after `ms`. Polls with
 * page.evaluate: waitForFunction's polling compiles the predicate in the page, which the CSP
 * (no 'unsafe-eval') may refuse.
 */
export async function waitFor(page: Page, expression: string, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await page.evaluate(`Boolean(${expression})`).catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
