// Opens one preview page in Debian's chromium (playwright-core) and records what a reviewer needs:
// console errors, uncaught exceptions, CSP violations, dialogs (an alert means injected script ran).
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.JOULE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface PageRecord {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly dialogs: string[];
}

/** What the stub in pageHtml.ts collected in the page. */
export interface StubRecord {
  readonly posted: { type: string; [k: string]: unknown }[];
  readonly csp: string[];
  readonly received: number;
}

export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; record: PageRecord; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(4000);
  const record: PageRecord = { consoleErrors: [], pageErrors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') record.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => record.pageErrors.push(String(e.stack ?? e).split('\n').slice(0, 4).join(' ')));
  page.on('dialog', (d) => {
    record.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, record, close: () => context.close() };
}

export function stubRecord(page: Page): Promise<StubRecord> {
  return page.evaluate(() => (globalThis as unknown as { __joule: StubRecord }).__joule);
}

/** Messages the page posted since the last call (the stub keeps them all; this takes them). */
export async function takePosted(page: Page): Promise<StubRecord['posted']> {
  return page.evaluate(() => {
    const rec = (globalThis as unknown as { __joule: StubRecord }).__joule;
    return rec.posted.splice(0, rec.posted.length);
  });
}
