import * as vscode from 'vscode';
import type { PricedSource } from '../../core/pipeline/pythonSource';
import type { FixSuggestion } from '../../core/pycode/types';
import { analysisOptions, readConfig } from '../config';
import type { Logger } from '../log';
import type { AnalysisClient } from '../analysisClient';
import { closeDocumentNotification } from '../worker/protocol';

/**
 * Analyses of open Python documents, one per document version: the parse and the pricing run once
 * however many providers ask, in the editor's worker (never on the extension host: a hostile file
 * costs the worker its time or memory limit, not VS Code's responsiveness).
 */
export class PythonAnalyses implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: Promise<PricedSource | undefined> }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly channel: AnalysisClient,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        if (!this.cache.delete(key)) return;
        this.channel.notify(closeDocumentNotification, { document: key });
      }),
    );
  }

  /** undefined when the file defines no layers (or could not be analysed: logged). */
  get(document: vscode.TextDocument): Promise<PricedSource | undefined> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.result;
    const config = readConfig(document.uri);
    const options = { ...analysisOptions(config, document.uri), inputShape: config.pythonInputShape };
    const started = performance.now();
    const result = this.channel.call('analyzePython', { document: key, text: document.getText(), path: document.uri.fsPath, options }).then(
      (priced) => {
        this.log.trace(`Python analysis of ${document.uri.fsPath} v${document.version}: ${priced?.source.layers.length ?? 0} layers in ${(performance.now() - started).toFixed(1)} ms`);
        return priced;
      },
      (e: Error) => {
        this.log.warn(`Python analysis of ${document.uri.fsPath} failed: ${e.message}`);
        return undefined;
      },
    );
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  /** The quick fixes for one layer, written against the document's current text. */
  fixes(document: vscode.TextDocument, layerIndex: number): Promise<FixSuggestion[]> {
    return this.channel.call('pythonFixes', { document: document.uri.toString(), text: document.getText(), layerIndex }).catch((e: Error) => {
      this.log.warn(`Quick fixes for ${document.uri.fsPath} failed: ${e.message}`);
      return [];
    });
  }

  /** Drops every result (settings or profile changed). */
  clear(): void {
    this.cache.clear();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
