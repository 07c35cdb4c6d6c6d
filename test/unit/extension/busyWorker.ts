// A worker for the channel tests: methods that hang, grow without bound, or fail, on demand.
import { serveRequests } from '../../../src/extension/workerServe';

export type BusyMethods = {
  echo: { params: string; result: string };
  spin: { params: number; result: number };
  grow: { params: null; result: number };
  fail: { params: string; result: never };
};

const hoard: unknown[] = [];

serveRequests<BusyMethods>({
  echo: (text) => text,
  spin: (ms) => {
    const end = Date.now() + ms;
    let n = 0;
    while (Date.now() < end) n++;
    return n;
  },
  grow: () => {
    for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
  },
  fail: (message) => {
    throw new RangeError(message);
  },
});
