/**
 * One entry for any file a user points Joule at (ONNX, TFLite, safetensors, GGUF, config.json, Python
 * code): its Analysis on the resolved settings, with one roofline, and on request the advisor's priced
 * recommendations and the layer graph. The CLI and the extension's workers call this.
 */
import { adviseEstimate } from '../advise/adviceViews';
import type { Analysis } from '../energy/analysis';
import type { AdviceView } from '../protocol';
import { layerGraph, type LayerGraph } from '../report/layerGraph';
import { estimatePrepared, prepareEstimate, type PreparedEstimate } from './modelFile';
import type { AnalyzeFileOptions } from './options';
import type { ProfileCatalog } from './profileCatalog';
import { analyzeSourceFile } from './pythonSource';

export function isPythonPath(path: string): boolean {
  return /\.pyw?$/i.test(path);
}

export interface PipelineResult {
  readonly analysis: Analysis;
  /** The advisor's recommendations, each priced by re-costing the changed layers (none for Python code). */
  readonly advice: readonly AdviceView[];
  /** Which layer feeds which (model files only). */
  readonly graph?: LayerGraph;
}

export interface PipelineRequest {
  /** Run the advisor too (it re-costs the model per variant it tries). */
  readonly advice?: boolean;
  readonly graph?: boolean;
  /** Where user profiles come from (a long-lived caller keeps one); default: the folder is read now. */
  readonly catalog?: ProfileCatalog;
}

export function analyze(path: string, options: AnalyzeFileOptions = {}, request: PipelineRequest = {}): PipelineResult {
  if (isPythonPath(path)) return { analysis: analyzeSourceFile(path, options, request.catalog).analysis, advice: [] };
  return finish(prepareEstimate(path, options, request.catalog), request);
}

/** The rest of the pipeline for a model file already read and costed (the CLI advises after printing). */
export function finish(prepared: PreparedEstimate, request: PipelineRequest = {}): PipelineResult {
  return {
    analysis: estimatePrepared(prepared),
    advice: request.advice ? adviseEstimate(prepared) : [],
    ...(request.graph ? { graph: layerGraph(prepared.input.layers) } : {}),
  };
}
