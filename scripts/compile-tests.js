// Compiles sources and tests into out/ from scratch. tsc never deletes what it emitted before, so a
// renamed or deleted test would otherwise keep running from its stale compiled copy in a working tree
// that is not fresh (CI's clean clone never sees this; developers do).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
fs.rmSync(path.join(repo, 'out'), { recursive: true, force: true });
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(repo, 'tsconfig.json'), '--noEmit', 'false'], { stdio: 'inherit' });
