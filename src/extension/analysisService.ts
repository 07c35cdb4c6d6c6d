import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { Analysis } from '../core/energy/analysis';
import type { AnalyzeFileOptions } from '../core/analyzeOptions';
import type { AdviceView } from '../core/protocol';
import type { LayerGraph } from '../core/report/layerGraph';
import type { AnalysisReply, AnalysisRequest } from './analysisWorker';
import type { Logger } from './log';

/** A model a worker could not analyse: the message is the reader's, written for the user. */
export class AnalysisFailure extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

const TIMEOUT_MS = 60_000;
/** Cached analyses (file × settings); each holds one model's layers, so a few hundred KB at most. */
const CACHE_ENTRIES = 64;
/** One model must not take the host's memory: the worker dies instead, and is replaced. */
const WORKER_HEAP_MB = 2048;

/** An estimate with the advisor's recommendations, each priced by re-costing the changed layer. */
export interface AdvisedAnalysis {
  readonly analysis: Analysis;
  readonly advice: readonly AdviceView[];
  /** Which layer feeds which (the report's graph view). */
  readonly graph?: LayerGraph;
}

interface Pending {
  resolve(result: AdvisedAnalysis): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Analyses model files in a worker thread (never on the extension host's event loop), with a timeout
 * and a memory cap, and caches results by file, modification time and options.
 */
export class AnalysisService implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** By file and options: a report on one profile and the Models view on another keep both results. */
  private readonly cache = new Map<string, { stamp: string; result: Promise<AdvisedAnalysis> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when cached results are dropped (settings or profile changed). */
  readonly onDidInvalidate = this.changed.event;

  constructor(
    private readonly workerScript: string,
    private readonly log: Logger,
  ) {}

  analyze(uri: vscode.Uri, options: AnalyzeFileOptions): Promise<Analysis> {
    return this.analyzeWithAdvice(uri, options).then((r) => r.analysis);
  }

  analyzeWithAdvice(uri: vscode.Uri, options: AnalyzeFileOptions): Promise<AdvisedAnalysis> {
    if (uri.scheme !== 'file') return Promise.reject(new AnalysisFailure('Unsupported', 'Joule analyses models on a local or remote disk; this file is in a virtual file system.'));
    const file = uri.fsPath;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      return Promise.reject(new AnalysisFailure('NotFound', (e as Error).message));
    }
    const key = JSON.stringify([file, options]);
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const cached = this.cache.get(key);
    if (cached?.stamp === stamp) return cached.result;
    const result = this.request(file, options);
    this.cache.delete(key);
    this.cache.set(key, { stamp, result });
    // Oldest first in a Map: a few profiles per model stay cached, a long session does not grow without end.
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    result.catch(() => {
      if (this.cache.get(key)?.result === result) this.cache.delete(key);
    });
    return result;
  }

  invalidate(): void {
    this.cache.clear();
    this.changed.fire();
  }

  private request(file: string, options: AnalyzeFileOptions): Promise<AdvisedAnalysis> {
    const started = performance.now();
    const id = this.nextId++;
    return new Promise<AdvisedAnalysis>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.log.warn(`Analysis of ${file} timed out after ${TIMEOUT_MS / 1000} s; restarting the analysis worker`);
        this.restartWorker(new AnalysisFailure('Timeout', `Analysis of ${path.basename(file)} took longer than ${TIMEOUT_MS / 1000} s and was stopped.`));
      }, TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (a) => {
          this.log.debug(`Analysed ${file} in ${(performance.now() - started).toFixed(0)} ms`);
          resolve(a);
        },
        reject,
        timer,
      });
      const request: AnalysisRequest = { id, path: file, options };
      this.ensureWorker().postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (reply: AnalysisReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve({ analysis: reply.analysis, advice: reply.advice, graph: reply.graph });
      else p.reject(new AnalysisFailure(reply.errorName, reply.message));
    });
    worker.on('error', (e) => {
      this.log.error(`Analysis worker failed: ${e.message}`);
      this.restartWorker(new AnalysisFailure('WorkerError', `The analysis stopped: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.pending.size > 0) this.failAll(new AnalysisFailure('WorkerExit', `The analysis stopped unexpectedly (exit code ${code}); the model may be too large for the memory limit.`));
    });
    this.worker = worker;
    return worker;
  }

  private restartWorker(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    void worker?.terminate();
  }

  private failAll(reason: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }

  dispose(): void {
    this.restartWorker(new AnalysisFailure('Disposed', 'Joule is shutting down.'));
    this.changed.dispose();
  }
}
