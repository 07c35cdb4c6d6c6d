import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';

interface Tools {
  cleanNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  parseAptPlan(simulation: string): { install: string[]; upgrade: string[] };
}
// The test harness is plain JavaScript run by npm scripts; load it from the repository, not from out/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require(path.resolve(__dirname, '../../../../scripts/lib/tools.js')) as Tools;

test('the inner npm that installs code-server inherits none of the outer npm settings', () => {
  // What `npm test` under Node 20 exports to its scripts (abridged from a real run).
  const outer: NodeJS.ProcessEnv = {
    PATH: '/usr/bin',
    HOME: '/root',
    NPM_CONFIG_REGISTRY: 'https://registry.example/', // the user's own, set before npm ran
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_ignore_scripts: 'true',
    npm_config_nodedir: '/usr',
    npm_config_local_prefix: '/work/joule',
    npm_package_name: 'joule',
    npm_package_json: '/work/joule/package.json',
    npm_lifecycle_event: 'test:host',
    npm_lifecycle_script: 'node scripts/host-test.js',
    npm_command: 'run-script',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    NODE: '/usr/bin/node',
    INIT_CWD: '/work/joule',
  };
  const clean = tools.cleanNpmEnv(outer);
  assert.deepEqual(Object.keys(clean).sort(), ['HOME', 'NODE_EXTRA_CA_CERTS', 'NPM_CONFIG_REGISTRY', 'PATH']);
  assert.equal(clean.NPM_CONFIG_REGISTRY, 'https://registry.example/');
  assert.equal(outer.npm_config_user_agent?.includes('node/v20'), true, 'the input is left as it was');
});

test('the apt plan names new packages and upgrades of installed ones apart', () => {
  const simulation = [
    'NOTE: This is only a simulation!',
    'Inst libkrb5-3 [1.20.1-2+deb12u3] (1.20.1-2+deb12u5 Debian:12.15/oldstable [amd64]) []',
    'Inst libopus0 (1.3.1-3 Debian:12.15/oldstable [amd64])',
    'Inst chromium (156.0.8078.114-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
    'Conf chromium (156.0.8078.114-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  ].join('\n');
  assert.deepEqual(tools.parseAptPlan(simulation), {
    install: ['libopus0 1.3.1-3', 'chromium 156.0.8078.114-1~deb12u1'],
    upgrade: ['libkrb5-3 1.20.1-2+deb12u3 -> 1.20.1-2+deb12u5'],
  });
});
