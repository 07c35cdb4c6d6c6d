// Runs the extension-host suite (test/host, compiled to out/test/host) inside a real VS Code:
// code-server started with the smoke-test driver, the workbench opened with a payload that names
// this repository as extensionDevelopmentPath and the compiled suite as extensionTestsPath.
// Exit code: the suite's.
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { startCodeServer, prepareRunDir } = require('./lib/codeServer');
const { launchBrowser } = require('./lib/browser');
const { prepareWorkspace } = require('./lib/fixtures');

const repo = path.resolve(__dirname, '..');
const runDir = path.join(repo, 'test-results', 'host');
const SUITE_TIMEOUT_MS = 5 * 60_000;

async function main() {
  const testsIndex = path.join(repo, 'out', 'test', 'host', 'index.js');
  if (!fs.existsSync(testsIndex)) throw new Error(`${testsIndex} is missing: run npm run compile-tests`);
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');

  fs.rmSync(runDir, { recursive: true, force: true });
  prepareRunDir(runDir);
  const workspace = prepareWorkspace(path.join(runDir, 'workspace'));

  const server = await startCodeServer({ runDir, smokeTestDriver: true });
  let browser;
  try {
    browser = await launchBrowser(path.join(runDir, 'browser'));
    const { page } = browser;
    const exitCode = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    const logLines = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = Array.isArray(args) ? util.format(...args) : String(args);
      logLines.push(line);
      console.log(`[host] ${line}`);
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repo)],
      ['extensionTestsPath', remote(testsIndex)],
    ]);
    const url = `${server.baseUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS));
    const result = await Promise.race([exitCode, timeout]);
    if (result === 'timeout') {
      await page.screenshot({ path: path.join(runDir, 'timeout.png') });
      console.error(`[host] the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s; server log: ${server.logFile}`);
      return 1;
    }
    fs.writeFileSync(path.join(runDir, 'extension-host.log'), logLines.join('\n'));
    return result;
  } finally {
    await browser?.context.close().catch(() => undefined);
    server.stop();
  }
}

main().then(
  (code) => {
    console.log(code === 0 ? '[host] suite passed' : `[host] suite failed (exit ${code}); logs in ${runDir}`);
    process.exit(code);
  },
  (err) => {
    console.error(`[host] ${err.stack || err}`);
    process.exit(1);
  },
);
