// The requests of the host tests' worker (testWorker.ts), typed once for both sides.
import { defineRequest } from '../../../src/core/workers/protocol';

export const testMethods = {
  echo: defineRequest<string, string>('test/echo'),
  pid: defineRequest<null, number>('test/pid'),
  /** Reports 1..n as progress, then answers n. */
  count: defineRequest<number, number, number>('test/count'),
  /** Busy for this many ms, synchronously (as an analysis is): nothing but a kill interrupts it. */
  spin: defineRequest<number, number>('test/spin'),
  cooperative: defineRequest<null, never>('test/cooperative'),
  /** Answers CancelledError the moment its token fires (the protocol's own cancellation latency). */
  untilCancelled: defineRequest<null, never>('test/untilCancelled'),
  stubborn: defineRequest<null, never>('test/stubborn'),
  /** Writes to stderr and exits with this code. */
  crash: defineRequest<number, never>('test/crash'),
  grow: defineRequest<null, never>('test/grow'),
  fail: defineRequest<string, never>('test/fail'),
};
