// UI level: the packaged .vsix installed into a real code-server workbench, driven by playwright-core
// in Debian's chromium. Every scenario leaves a screenshot in test-results/ui; a failing one also
// leaves the server log. Prints "N passed, N failed".
const fs = require('node:fs');
const path = require('node:path');
const { startCodeServer, installExtension, prepareRunDir } = require('./lib/codeServer');
const { launchBrowser } = require('./lib/browser');
const { prepareWorkspace } = require('./lib/fixtures');

const repo = path.resolve(__dirname, '..');
const runDir = path.join(repo, 'test-results', 'ui');
const SCENARIO_TIMEOUT_MS = 120_000;

function findVsix() {
  const target = `${process.platform}-${process.arch}`;
  const vsix = path.join(repo, `joule-${target}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);
  return vsix;
}

async function main() {
  const { scenarios } = require(path.join(repo, 'out', 'test', 'ui', 'scenarios.js'));
  const { waitForWorkbench } = require(path.join(repo, 'out', 'test', 'ui', 'workbench.js'));
  fs.rmSync(runDir, { recursive: true, force: true });
  prepareRunDir(runDir);
  installExtension(runDir, findVsix());
  const workspace = prepareWorkspace(path.join(runDir, 'workspace'));
  const server = await startCodeServer({ runDir });
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    browser = await launchBrowser(path.join(runDir, 'browser'));
    const { page } = browser;
    await page.goto(`${server.baseUrl}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    for (const scenario of scenarios) {
      const only = process.env.JOULE_UI_ONLY;
      if (only && !scenario.name.includes(only)) continue;
      const shot = path.join(runDir, `${scenario.name}.png`);
      try {
        await Promise.race([
          scenario.run(page),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS)),
        ]);
        await page.screenshot({ path: shot });
        passed++;
        console.log(`  ✔ ${scenario.name} (${path.relative(repo, shot)})`);
      } catch (err) {
        failed++;
        await page.screenshot({ path: shot }).catch(() => undefined);
        console.log(`  ✖ ${scenario.name}: ${err.message}\n    screenshot: ${path.relative(repo, shot)}, server log: ${path.relative(repo, server.logFile)}`);
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    await browser?.context.close().catch(() => undefined);
    server.stop();
  }
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[ui] ${err.stack || err}`);
    process.exit(1);
  },
);
