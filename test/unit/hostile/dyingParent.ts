// A caller killed mid-transform (SIGKILL: no clean-up of its own), for transformCleanup.test.ts. Once
// the worker has written its temp file it prints the temp files it sees, then dies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTransform } from '../../../src/core/transform/runTransform';

const [model, out] = process.argv.slice(2);
if (!model || !out) throw new Error('usage: dyingParent MODEL OUT');
const workerPath = path.join(__dirname, '../../../src/core/transform/worker.js');
runTransform({ model, out, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0, verification: { samples: 2, latencyRuns: 20 } }, (p) => {
  if (p.step !== 'verify') return;
  const temps = fs.readdirSync(path.dirname(out)).filter((f) => f.endsWith('.tmp'));
  process.stdout.write(`${JSON.stringify({ temps })}\n`, () => process.kill(process.pid, 'SIGKILL'));
}, undefined, { workerPath }).then(() => process.exit(5), () => process.exit(6));
