// A worker for the host tests (process or thread alike): work that answers, reports progress, watches
// its token or ignores it, crashes, exhausts its heap or throws, on demand.
import { CancelledError } from '../../../src/core/errors';
import { serveWorker } from '../../../src/core/workers/serve';
import { testMethods } from './testProtocol';

const hoard: unknown[] = [];

serveWorker((server) => {
  server.onRequest(testMethods.echo, (text) => text);
  server.onRequest(testMethods.pid, () => process.pid);
  server.onRequest(testMethods.count, async (n, _token, progress) => {
    for (let i = 1; i <= n; i++) {
      progress(i);
      await new Promise((r) => setImmediate(r));
    }
    return n;
  });
  server.onRequest(testMethods.spin, (ms) => {
    const end = Date.now() + ms;
    let n = 0;
    while (Date.now() < end) n++;
    return n;
  });
  // Waits, checking its token at every step, as a transform checks its signal at its check points.
  server.onRequest(testMethods.cooperative, async (_params, token) => {
    for (;;) {
      if (token.isCancellationRequested) throw new CancelledError();
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  server.onRequest(testMethods.untilCancelled, (_params, token) => new Promise<never>((_resolve, reject) => {
    token.onCancellationRequested(() => reject(new CancelledError()));
  }));
  // Never looks at its token (a long native call): only a kill stops it.
  server.onRequest(testMethods.stubborn, () => new Promise<never>(() => setInterval(() => undefined, 1000)));
  server.onRequest(testMethods.crash, (code) => {
    process.stderr.write('fatal: simulated native crash in kernel Conv_3\n');
    process.exit(code);
  });
  server.onRequest(testMethods.grow, () => {
    for (;;) hoard.push(new Array<number>(1 << 20).fill(hoard.length));
  });
  server.onRequest(testMethods.fail, (message) => {
    throw Object.assign(new RangeError(message), { code: 'E_GRID', offset: 12 });
  });
});
