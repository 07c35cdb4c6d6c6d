// Small helpers that drive a real VS Code workbench the way a person does: keyboard, palette, clicks.
import type { Frame, Page } from 'playwright-core';

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 });
  // The explorer shows the workspace once the remote file system answers.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
}

/** Runs a command from the palette by its title, e.g. "Joule: Show Log". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForSelector('.quick-input-list .monaco-list-row.focused');
  await page.keyboard.press('Enter');
}

/** Opens the Joule view container from the activity bar. */
export async function openJouleView(page: Page): Promise<void> {
  const item = page.locator('.activitybar .action-item a[aria-label^="Joule"], .activitybar .action-item[aria-label^="Joule"]').first();
  await item.click();
  await page.locator('.part.sidebar .title-label', { hasText: 'Joule' }).first().waitFor({ timeout: 30_000 });
}

/** Opens a workspace file with Quick Open. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** The webview frame (an iframe inside the workbench) that shows `selector`, once it is loaded. */
export async function webviewFrame(page: Page, selector: string, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if ((await frame.$(selector).catch(() => null)) !== null) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame shows ${selector} within ${timeout} ms`);
}
