// `npm test`: check-types, lint, unit, host and ui levels in order; exits non-zero if any fails.
// Every level runs even after a failure, so one run shows everything that is broken.
const { spawnSync } = require('node:child_process');

const steps = [
  ['check-types', ['run', 'check-types']],
  ['lint', ['run', 'lint']],
  ['unit', ['run', 'test:unit']],
  ['host', ['run', 'test:host']],
  ['ui', ['run', 'test:ui']],
];

const results = [];
for (const [name, args] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync('npm', args, { stdio: 'inherit' });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  console.log(`=== ${name}: ${ok ? 'passed' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
}

console.log('\nSummary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`levels: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
