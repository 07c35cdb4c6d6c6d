// Starts and stops a code-server (a real VS Code workbench with a Node extension host) on loopback,
// with every file it writes kept inside one run folder. Always stop it: the whole process group goes.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const { ensureCodeServer } = require('./tools');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** User settings that make runs deterministic and quiet. */
const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'editor.inlayHints.enabled': 'on',
  'workbench.reduceMotion': 'on',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The run folder sits inside this repository: no prompt about opening its git repository.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Prepares a run folder: user data, extensions and XDG folders, settings.
 * @param {string} runDir
 * @param {object} settings extra user settings
 */
function prepareRunDir(runDir, settings = {}) {
  for (const d of ['user-data/User', 'extensions', 'xdg/data', 'xdg/config', 'tmp']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user-data/User/settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...settings }, null, 2));
}

function runEnv(runDir) {
  return {
    ...process.env,
    XDG_DATA_HOME: path.join(runDir, 'xdg/data'),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg/config'),
    TMPDIR: path.join(runDir, 'tmp'),
    // code-server must not try to reach the internet for extensions.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/' }),
  };
}

/** Installs a .vsix into the run folder's extensions directory. */
function installExtension(runDir, vsix) {
  const cs = ensureCodeServer();
  execFileSync(
    cs.node,
    [cs.entry, '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions'), '--install-extension', vsix],
    { env: runEnv(runDir), stdio: 'inherit' },
  );
}

/**
 * Starts code-server. Returns { port, baseUrl, logFile, stop }.
 * @param {{ runDir: string, smokeTestDriver?: boolean, workspaceTrust?: boolean }} options
 */
async function startCodeServer({ runDir, smokeTestDriver = false, workspaceTrust = false }) {
  const cs = ensureCodeServer();
  const port = await freePort();
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    cs.entry,
    '--config', config,
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', path.join(runDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // detached: its own process group, so stop() can end every child (the server, the extension host).
  const child = spawn(cs.node, args, { env: runEnv(runDir), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    // A straggler that ignores SIGTERM is killed for good a moment later.
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 2000).unref();
  };
  process.once('exit', stop);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited during start; see ${logFile}`);
    if ((await get(`${baseUrl}/healthz`)) === 200) return { port, baseUrl, logFile, stop };
    await sleep(250);
  }
  stop();
  throw new Error(`code-server did not become ready within 60 s; see ${logFile}`);
}

module.exports = { startCodeServer, installExtension, prepareRunDir, freePort };
