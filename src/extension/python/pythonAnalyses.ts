import * as vscode from 'vscode';
import { priceSource, type PricedSource } from '../../core/analyzeSource';
import { PythonSourceSession } from '../../core/source/incremental';
import { analysisOptions, readConfig } from '../config';
import type { Logger } from '../log';

/**
 * Analyses of open Python documents, one per document version: the parse and the pricing run once
 * however many providers ask. Parsing is fast (lezer), so it runs in the host, on demand.
 */
export class PythonAnalyses implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: PricedSource | undefined }>();
  /** One incremental parser per open document: an edit re-parses only the changed region. */
  private readonly sessions = new Map<string, PythonSourceSession>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Logger) {
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.sessions.delete(d.uri.toString());
      }),
    );
  }

  /** undefined when the file defines no layers (or could not be analysed: logged). */
  get(document: vscode.TextDocument): PricedSource | undefined {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.result;
    let result: PricedSource | undefined;
    try {
      const config = readConfig(document.uri);
      const started = performance.now();
      let session = this.sessions.get(key);
      if (!session) this.sessions.set(key, (session = new PythonSourceSession()));
      const source = session.analyze(document.getText(), { inputShape: config.pythonInputShape.length > 0 ? config.pythonInputShape : undefined });
      result = source.layers.length > 0 ? priceSource(source, document.uri.fsPath, analysisOptions(config, document.uri)) : undefined;
      this.log.trace(`Python analysis of ${document.uri.fsPath} v${document.version}: ${source.layers.length} layers in ${(performance.now() - started).toFixed(1)} ms`);
    } catch (e) {
      this.log.warn(`Python analysis of ${document.uri.fsPath} failed: ${(e as Error).message}`);
    }
    this.cache.set(key, { version: document.version, result });
    return result;
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
