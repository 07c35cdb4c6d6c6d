// Worker-thread entry (bundled to dist/analysisWorker.js): runs the analysis pipeline away from the
// extension host's event loop. It must not import `vscode`: it only sees the core.
import { parentPort } from 'node:worker_threads';
import { analyzeFile } from '../core/analyzeFile';
import type { AnalyzeFileOptions } from '../core/analyzeOptions';

export interface AnalysisRequest {
  readonly id: number;
  readonly path: string;
  readonly options: AnalyzeFileOptions;
}

export type AnalysisReply =
  | { readonly id: number; readonly ok: true; readonly analysis: ReturnType<typeof analyzeFile> }
  | { readonly id: number; readonly ok: false; readonly errorName: string; readonly message: string };

parentPort?.on('message', (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id: request.id, ok: true, analysis: analyzeFile(request.path, request.options) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: request.id, ok: false, errorName: e.name, message: e.message };
  }
  parentPort?.postMessage(reply);
});
