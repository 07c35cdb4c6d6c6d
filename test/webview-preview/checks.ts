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
  const painted = await page.$$eval('canvas:not(.graph-canvas)', (canvases) =>
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

/**
 * WCAG contrast of the text in `selectors` against what is behind it, with the opacity of the
 * element and its ancestors applied. Returns the lowest ratio per selector; fails below 4.5.
 */
export async function checkContrast(page: Page, f: Failures, selectors: readonly string[]): Promise<Record<string, number>> {
  const ratios = await page.evaluate((sels) => {
    type Styled = { parentElement: Styled | null; textContent: string | null };
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<Styled> };
      getComputedStyle(e: Styled): { color: string; backgroundColor: string; opacity: string };
    };
    const rgba = (c: string): number[] => (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number).concat(1).slice(0, 4);
    const lum = ([r, gr, b]: number[]) => {
      const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r!) + 0.7152 * ch(gr!) + 0.0722 * ch(b!);
    };
    const blend = (top: number[], alpha: number, under: number[]) => top.slice(0, 3).map((v, i) => v * alpha + under[i]! * (1 - alpha));
    const out: Record<string, number> = {};
    for (const sel of sels) {
      let worst = Infinity;
      for (const el of Array.from(g.document.querySelectorAll(sel))) {
        if (!(el.textContent ?? '').trim()) continue;
        let opacity = 1;
        let bg: number[] | undefined;
        for (let e: Styled | null = el; e; e = e.parentElement) {
          const s = g.getComputedStyle(e);
          opacity *= Number(s.opacity);
          const b = rgba(s.backgroundColor);
          if (!bg && b[3]! > 0) bg = b;
        }
        const under = bg ?? [255, 255, 255, 1];
        const c = rgba(g.getComputedStyle(el).color);
        const text = blend(c, c[3]! * opacity, under);
        const [l1, l2] = [lum(text), lum(under)].sort((a, b) => b - a);
        worst = Math.min(worst, (l1! + 0.05) / (l2! + 0.05));
      }
      if (worst !== Infinity) out[sel] = Math.round(worst * 100) / 100;
    }
    return out;
  }, selectors);
  for (const [sel, ratio] of Object.entries(ratios)) f.check(ratio >= 4.5, `text contrast ${ratio}:1 for ${sel} (WCAG AA needs 4.5:1)`);
  return ratios;
}
