/**
 * Starts one worker, as a child process (fork, IPC) or a worker thread (MessagePort), and gives the
 * host what it needs whatever the kind: a vscode-jsonrpc reader and writer, the stderr tail, a kill,
 * and one `exited` callback with the facts of its death.
 */
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { IPCMessageReader, IPCMessageWriter, PortMessageReader, PortMessageWriter, type MessageReader, type MessageWriter } from 'vscode-jsonrpc/node';
import type { ExitFacts } from './failure';

export type WorkerRuntime = 'process' | 'thread';

export interface SpawnOptions {
  readonly script: string;
  readonly runtime: WorkerRuntime;
  /** V8 old-generation cap (MB): past it the worker dies, never the host. */
  readonly heapMb?: number;
}

export interface SpawnedWorker {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  stderrTail(): string;
  kill(): void;
  /** Called once, when the worker is gone and its last messages have been delivered. */
  onExit(listener: (facts: ExitFacts) => void): void;
}

const STDERR_TAIL_CHARS = 4000;

export function spawnWorker(options: SpawnOptions): SpawnedWorker {
  return options.runtime === 'thread' ? spawnThread(options) : spawnProcess(options);
}

function spawnProcess({ script, heapMb }: SpawnOptions): SpawnedWorker {
  const child = fork(script, [], {
    // Explicit execArgv: the caller's flags (--test, --inspect) must not leak into the worker.
    execArgv: heapMb === undefined ? [] : [`--max-old-space-size=${Math.round(heapMb)}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS); });
  // stdout is drained so a chatty native library can never block the worker on a full pipe.
  child.stdout?.resume();
  let listener: ((facts: ExitFacts) => void) | undefined;
  let facts: ExitFacts | undefined;
  const report = (f: ExitFacts): void => {
    if (facts) return;
    facts = f;
    listener?.(f);
  };
  child.on('error', (e) => {
    // Failed to start (no such file, EAGAIN): no 'exit' may follow.
    if (child.pid === undefined) report({ code: null, signal: null, stderrTail: stderr, spawnError: e.message });
  });
  child.on('exit', (code, signal) => {
    // The answer can still be in the IPC channel when 'exit' fires: wait for the channel to close
    // (bounded), then for vscode-jsonrpc's queue (one message per setImmediate) to hand it over.
    const conclude = (): void => { setTimeout(() => report({ code, signal, stderrTail: stderr }), 50); };
    if (!child.connected) return conclude();
    const fallback = setTimeout(conclude, 1000);
    child.once('disconnect', () => {
      clearTimeout(fallback);
      conclude();
    });
  });
  return {
    reader: new IPCMessageReader(child),
    writer: new IPCMessageWriter(child),
    stderrTail: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    onExit: (l) => {
      listener = l;
      if (facts) l(facts);
    },
  };
}

function spawnThread({ script, heapMb }: SpawnOptions): SpawnedWorker {
  const worker = new Worker(script, { stderr: true, ...(heapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: heapMb } }) });
  let stderr = '';
  worker.stderr.setEncoding('utf8');
  worker.stderr.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS); });
  let outOfMemory = false;
  let errorText = '';
  let killed = false;
  worker.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
    errorText = e.message;
  });
  let listener: ((facts: ExitFacts) => void) | undefined;
  let facts: ExitFacts | undefined;
  worker.on('exit', (code) => {
    // Messages posted before the exit are already delivered; give vscode-jsonrpc's queue its turn.
    setTimeout(() => {
      facts = { code, signal: killed ? 'SIGKILL' : null, stderrTail: [stderr.trim(), errorText].filter(Boolean).join('\n'), outOfMemory };
      listener?.(facts);
    }, 50);
  });
  return {
    reader: new PortMessageReader(worker),
    writer: new PortMessageWriter(worker),
    stderrTail: () => stderr,
    kill: () => {
      killed = true;
      void worker.terminate();
    },
    onExit: (l) => {
      listener = l;
      if (facts) l(facts);
    },
  };
}
