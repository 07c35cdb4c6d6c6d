import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Analysis } from '../core/energy/analysis';
import type { AnalyzeFileOptions } from '../core/pipeline/options';
import type { ModelModeAdvice } from '../core/transform/recommendMode';
import type { Logger } from './log';
import { profilesChangedNotification, type AdvisedAnalysis, type WorkerMethods } from './worker/protocol';
import type { CancelSignal } from '../core/workers/host';
import { AnalysisClient, AnalysisFailure } from './analysisClient';

export { AnalysisFailure } from './analysisClient';
export type { AdvisedAnalysis } from './worker/protocol';

/** Cached analyses (file × settings); each holds one model's layers, so a few hundred KB at most. */
const CACHE_ENTRIES = 64;

/**
 * Analyses model files in a worker thread (never on the extension host's event loop), with a timeout
 * and a memory cap, and caches results by file, modification time and options.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly channel: AnalysisClient;
  /** By file and options: a report on one profile and the Models view on another keep both results. */
  private readonly cache = new Map<string, { stamp: string; result: Promise<AdvisedAnalysis> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when cached results are dropped (settings or profile changed). */
  readonly onDidInvalidate = this.changed.event;

  constructor(
    workerScript: string,
    private readonly log: Logger,
  ) {
    // One model must not take the host's memory or time: past either, the worker dies and is replaced.
    this.channel = new AnalysisClient(workerScript, { purpose: 'analysis', heapMb: 2048, timeoutMs: 60_000 });
    this.channel.onProblem = (message) => log.warn(message);
  }

  /**
   * `signal` cancels an analysis this call starts (a cached result is returned as it is); callers that
   * were handed the same pending analysis meanwhile see the cancellation too.
   */
  analyze(uri: vscode.Uri, options: AnalyzeFileOptions, signal?: CancelSignal): Promise<Analysis> {
    return this.analyzeWithAdvice(uri, options, signal).then((r) => r.analysis);
  }

  analyzeWithAdvice(uri: vscode.Uri, options: AnalyzeFileOptions, signal?: CancelSignal): Promise<AdvisedAnalysis> {
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
    const started = performance.now();
    const result = this.channel.call('analyzeFile', { path: file, options }, signal ? { signal } : {});
    void result.then(() => this.log.debug(`Analysed ${file} in ${(performance.now() - started).toFixed(0)} ms`), () => undefined);
    this.cache.delete(key);
    this.cache.set(key, { stamp, result });
    // Oldest first in a Map: a few profiles per model stay cached, a long session does not grow without end.
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    result.catch(() => {
      if (this.cache.get(key)?.result === result) this.cache.delete(key);
    });
    return result;
  }

  /** The quantization mode that runs fastest on a profile for this model (the model is read in the worker). */
  recommendQuantizeMode(uri: vscode.Uri, profile: WorkerMethods['recommendQuantizeMode']['params']['profile']): Promise<ModelModeAdvice> {
    return this.channel.call('recommendQuantizeMode', { path: uri.fsPath, profile });
  }

  /** Refines this-machine from a benchmark's kernel times (re-analysing the model in the worker) and saves it. */
  refineProfile(params: WorkerMethods['refineProfile']['params']): Promise<WorkerMethods['refineProfile']['result']> {
    return this.channel.call('refineProfile', params);
  }

  invalidate(): void {
    this.cache.clear();
    this.changed.fire();
  }

  /** A profile file in `dir` changed: the worker forgets that folder (the caller drops cached results). */
  profilesChanged(dir: string): void {
    this.channel.notify(profilesChangedNotification, { dir });
  }

  dispose(): void {
    this.channel.dispose();
    this.changed.dispose();
  }
}
