// Prepares the workspace the host and UI tests open: a copy of test/fixtures/workspace plus models
// built by the project's own builder, so fixtures are real models and nothing is downloaded.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..');

function prepareWorkspace(dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'workspace'), dest, { recursive: true });
  const builder = path.join(repo, 'out', 'test', 'fixtures', 'buildWorkspaceModels.js');
  if (!fs.existsSync(builder)) throw new Error(`${builder} is missing: run npm run compile-tests`);
  execFileSync(process.execPath, [builder, path.join(dest, 'models')], { stdio: 'inherit' });
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'python'), path.join(dest, 'code'), { recursive: true });
  return dest;
}

module.exports = { prepareWorkspace };
