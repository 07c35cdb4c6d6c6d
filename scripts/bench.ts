// `npm run bench`: runs every benchmark program in scripts/bench (compiled to out/scripts/bench),
// one at a time so they do not disturb each other, and prints their numbers. Exit code: non-zero
// when one of them failed. Results worth keeping are recorded in docs/ (see each script's header).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const folder = path.join(__dirname, 'bench');
const only = process.argv.slice(2);
const scripts = fs
  .readdirSync(folder)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== bench: ${script.replace(/\.js$/, '')} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(folder, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
  console.log(`=== ${script}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
}
console.log(`\nbenchmarks: ${scripts.length - failed} done, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
