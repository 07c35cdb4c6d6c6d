// The report page in the preview: layout, charts, and every interaction the page offers, checked
// against what the page shows and what it posts to the (stubbed) host.
import type { Page } from 'playwright-core';
import type { AnalysisMessage } from './fixtures';
import { openPage, takePosted } from './browser';
import { Failures, checkChartsDrawn, checkClean, checkContrast, checkNoOverflow, texts, waitFor } from './checks';
import type { ScenarioContext, ScenarioResult } from './scenarios';

/** Text whose contrast is checked in both themes. */
const CONTRAST_SELECTORS = ['.lt-row .lt-cell', '.lt-row.selected .lt-cell', '.lt-header button', '.stat-value', '.stat-label', '.estimate-label', '.legend', '.details th', '.details td', '.note', '.advice-reason', 'figcaption', '.toolbar button', '.toolbar select', '.toolbar input', 'h3', '.notes li'];

const rowNames = (page: Page) => texts(page, '.lt-row .lt-name bdi');
const selectedName = async (page: Page) => (await texts(page, '.lt-row.selected .lt-name bdi'))[0];
const detailsName = async (page: Page) => (await texts(page, '.details h2'))[0];

async function checkSorting(page: Page, f: Failures): Promise<void> {
  await page.click('.lt-header button.lt-name');
  let names = await rowNames(page);
  const asc = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  f.check(names.length > 1 && names.join('\n') === asc.join('\n'), `header click did not sort by name ascending: ${names.slice(0, 4).join(', ')}`);
  f.check((await page.getAttribute('.lt-header button.lt-name', 'aria-sort')) === 'ascending', 'name header lacks aria-sort=ascending');
  await page.click('.lt-header button.lt-name');
  names = await rowNames(page);
  f.check(names.length > 1 && names.every((n, i) => i === 0 || names[i - 1]!.toLowerCase() >= n.toLowerCase()), `second click did not sort descending: ${names.slice(0, 4).join(', ')}`);
  f.check((await page.getAttribute('.lt-header button.lt-name', 'aria-sort')) === 'descending', 'name header lacks aria-sort=descending');
  await page.click('.lt-header button.lt-energy');
  const energies = await page.$$eval('.lt-row', (rows) => rows.map((r) => Number(r.getAttribute('data-energy'))));
  f.check(energies.every((e, i) => i === 0 || energies[i - 1]! >= e), 'energy header did not sort descending');
}

async function checkFilters(page: Page, f: Failures, message: AnalysisMessage): Promise<void> {
  const op = message.analysis.layers[0]!.opType;
  await page.fill('input.filter', op.toLowerCase());
  const ops = await texts(page, '.lt-row .lt-opType');
  const names = await rowNames(page);
  f.check(ops.length > 0 && ops.every((o, i) => o.toLowerCase().includes(op.toLowerCase()) || names[i]!.toLowerCase().includes(op.toLowerCase())), `text filter '${op}' shows non-matching rows`);
  await page.fill('input.filter', 'no layer is called this');
  f.check((await page.$$('.lt-row')).length === 0, 'filter matching nothing still shows rows');
  f.check((await texts(page, '.lt-empty')).length === 1, 'no "no layers match" message for an empty filter result');
  await page.fill('input.filter', '');
  const options = await page.$$eval('select.op-filter option', (os) => os.map((o) => o.getAttribute('value') ?? ''));
  const pick = options.find((o) => o !== '' && o !== op) ?? op;
  await page.selectOption('select.op-filter', pick);
  const picked = await texts(page, '.lt-row .lt-opType');
  f.check(picked.length > 0 && picked.every((o) => o === pick), `op filter '${pick}' shows other ops: ${[...new Set(picked)].join(', ')}`);
  await page.selectOption('select.op-filter', '');
}

async function checkKeyboard(page: Page, f: Failures): Promise<void> {
  await page.focus('.lt-viewport');
  await page.keyboard.press('Home');
  const first = (await rowNames(page))[0];
  f.check((await selectedName(page)) === first, `Home did not select the first row (${await selectedName(page)} vs ${first})`);
  await page.keyboard.press('ArrowDown');
  const second = (await rowNames(page))[1];
  f.check((await selectedName(page)) === second, 'ArrowDown did not select the next row');
  f.check((await detailsName(page)) === second, `details pane shows ${await detailsName(page)}, not the selected ${second}`);
  await page.keyboard.press('End');
  const names = await rowNames(page);
  f.check((await selectedName(page)) === names[names.length - 1], 'End did not select (and scroll to) the last row');
  await page.keyboard.press('Home');
}

async function checkAdvice(page: Page, f: Failures, message: AnalysisMessage): Promise<void> {
  const advised = message.advice.find((a) => a.layer && /^(quantize|prune|fp16)/.test(a.action));
  if (!advised?.layer) return f.check(false, 'fixture has no per-layer advice to click');
  await page.fill('input.filter', advised.layer);
  await page.click(`.lt-row[data-name="${advised.layer.replace(/"/g, '\\"')}"]`);
  await takePosted(page);
  const button = page.locator('.details .advice button').first();
  f.check((await button.count()) === 1, `no recommendation button for ${advised.layer}`);
  if ((await button.count()) === 1) {
    await button.click();
    const posted = await takePosted(page);
    const action = posted.find((m) => m.type === 'runAction');
    f.check(action?.layer === advised.layer && (action?.action === 'quantize' || action?.action === 'prune'), `recommendation posted ${JSON.stringify(posted)}`);
  }
  await page.fill('input.filter', '');
}

async function checkExports(page: Page, f: Failures, message: AnalysisMessage, screenshot: string): Promise<void> {
  await takePosted(page);
  for (const [label, format] of [['Export JSON', 'json'], ['Export HTML', 'html'], ['Export PNG', 'png']] as const) {
    await page.getByRole('button', { name: label, exact: true }).click();
    const posted = (await takePosted(page)).find((m) => m.type === 'export');
    f.check(posted?.format === format, `${label} posted ${JSON.stringify(posted)?.slice(0, 120)}`);
    const content = String(posted?.content ?? '');
    if (format === 'json') f.check(content.includes('"layers"'), 'JSON export lacks the analysis');
    if (format === 'html') {
      f.check(content.startsWith('<!DOCTYPE html>') && content.includes('<img') && !content.includes('<script'), 'HTML export is not a static page with chart images');
      const rows = content.split('<tr class="lt-row').length - 1;
      f.check(rows === message.analysis.layers.length, `HTML export has ${rows} layer rows, the model ${message.analysis.layers.length}`);
      // Show the export as a browser would open the saved file.
      const view = await page.context().newPage();
      await view.setContent(content);
      await view.screenshot({ path: screenshot.replace(/\.png$/, '-export.png'), fullPage: true });
      await view.close();
    }
    if (format === 'png') f.check(content.startsWith('data:image/png;base64,'), 'PNG export is not a PNG data URL');
  }
  await page.locator('.toolbar').getByRole('button', { name: 'Quantize…', exact: true }).click();
  const posted = (await takePosted(page)).find((m) => m.type === 'runAction');
  f.check(posted?.action === 'quantize', 'toolbar Quantize… did not post runAction quantize');
}

async function checkProfilePicker(page: Page, f: Failures, message: AnalysisMessage): Promise<void> {
  const other = message.profiles.find((p) => p.id !== message.analysis.profile.id)!;
  await takePosted(page);
  await page.selectOption('select.profile-picker', other.id);
  const posted = await takePosted(page);
  f.check(posted.some((m) => m.type === 'selectProfile' && m.id === other.id), `profile picker posted ${JSON.stringify(posted)}`);
  f.check(await waitFor(page, `document.querySelector('.estimate-label')?.textContent.includes('(${other.id})')`), `report did not re-render for ${other.id}`);
  f.check((await page.inputValue('select.profile-picker')) === other.id, 'picker does not show the new profile');
}

async function checkRestore(page: Page, f: Failures): Promise<void> {
  await page.fill('input.filter', 'a');
  await page.click('.lt-header button.lt-latency');
  await page.focus('.lt-viewport');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(100);
  const before = { selected: await selectedName(page), sort: await page.getAttribute('.lt-header button.lt-latency', 'aria-sort'), names: await rowNames(page) };
  await page.reload({ waitUntil: 'load' });
  await waitFor(page, `document.querySelectorAll('.lt-row').length > 0`);
  f.check((await page.inputValue('input.filter')) === 'a', 'filter text not restored after reload');
  f.check((await page.getAttribute('.lt-header button.lt-latency', 'aria-sort')) === before.sort, 'sort not restored after reload');
  f.check((await selectedName(page)) === before.selected && (await detailsName(page)) === before.selected, `selection not restored after reload (${await selectedName(page)} vs ${before.selected})`);
  const after = await rowNames(page);
  const common = Math.min(after.length, before.names.length);
  f.check(common > 0 && after.slice(0, common).join() === before.names.slice(0, common).join(), `row order differs after reload: ${before.names.join(', ')} … vs ${after.join(', ')} …`);
}

export async function runReport(ctx: ScenarioContext, interactive: boolean, viewport = { width: 1280, height: 900 }): Promise<ScenarioResult> {
  const f = new Failures();
  const message = ctx.data.initial as AnalysisMessage;
  const { page, record, close } = await openPage(ctx.browser, ctx.url, viewport);
  try {
    f.check(await waitFor(page, `document.querySelectorAll('.lt-row').length > 0 && document.querySelector('.details h2')`), 'no rows or details rendered');
    await page.waitForTimeout(150);
    await checkNoOverflow(page, f);
    const charts = await checkChartsDrawn(page, f, 3);
    const contrast = await checkContrast(page, f, CONTRAST_SELECTORS);
    await page.screenshot({ path: ctx.screenshot, fullPage: true });
    if (interactive) {
      const steps: [string, () => Promise<void>][] = [
        ['sorting', () => checkSorting(page, f)],
        ['keyboard', () => checkKeyboard(page, f)],
        ['filters', () => checkFilters(page, f, message)],
        ['advice', () => checkAdvice(page, f, message)],
        ['exports', () => checkExports(page, f, message, ctx.screenshot)],
        ['profile picker', () => checkProfilePicker(page, f, message)],
        ['state restore', () => checkRestore(page, f)],
      ];
      for (const [name, run] of steps) {
        try {
          await run();
        } catch (e) {
          f.check(false, `${name}: ${String(e).split('\n')[0]}`);
        }
      }
      await page.screenshot({ path: ctx.screenshot.replace(/\.png$/, '-after.png'), fullPage: true });
    }
    await checkClean(page, record, f);
    return { name: ctx.name, failures: f.list, metrics: { charts, rowsInDom: (await page.$$('.lt-row')).length, lowestContrast: Math.min(...Object.values(contrast)) } };
  } finally {
    await close();
  }
}
