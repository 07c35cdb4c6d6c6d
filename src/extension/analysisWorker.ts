// Worker-thread entry (bundled to dist/analysisWorker.js): runs the analysis pipeline away from the
// extension host's event loop. It must not import `vscode`: it only sees the core.
import { parentPort } from 'node:worker_threads';
import { adviseEstimate } from '../core/advise/adviceViews';
import { estimatePrepared, prepareEstimate } from '../core/analyzeFile';
import type { AnalyzeFileOptions } from '../core/analyzeOptions';
import type { Analysis } from '../core/energy/analysis';
import type { AdviceView } from '../core/protocol';
import { layerGraph, type LayerGraph } from '../core/report/layerGraph';

export interface AnalysisRequest {
  readonly id: number;
  readonly path: string;
  readonly options: AnalyzeFileOptions;
}

export type AnalysisReply =
  | { readonly id: number; readonly ok: true; readonly analysis: Analysis; readonly advice: readonly AdviceView[]; readonly graph: LayerGraph }
  | { readonly id: number; readonly ok: false; readonly errorName: string; readonly message: string };

parentPort?.on('message', (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    const prepared = prepareEstimate(request.path, request.options);
    const analysis = estimatePrepared(prepared);
    const views = adviseEstimate(prepared);
    reply = { id: request.id, ok: true, analysis, advice: views, graph: layerGraph(prepared.input.layers) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: request.id, ok: false, errorName: e.name, message: e.message };
  }
  parentPort?.postMessage(reply);
});
