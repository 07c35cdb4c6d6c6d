// What the extension asks its worker threads, typed once for both sides (src/extension/analysisClient.ts,
// src/extension/analysisWorker.ts), as requests of Joule's worker host (src/core/workers).
import { NotificationType } from 'vscode-jsonrpc/node';
import { defineRequest, type WorkerRequest } from '../../core/workers/protocol';
import type { PricedSource } from '../../core/pipeline/pythonSource';
import type { AnalyzeFileOptions } from '../../core/pipeline/options';
import type { BenchResult } from '../../core/bench/types';
import type { BenchFitReport } from '../../core/calibrate/benchFit';
import type { Analysis } from '../../core/energy/analysis';
import type { HardwareProfile } from '../../core/energy/profileSchema';
import type { ConfigHint } from '../../core/formats/hfconfig/configHints';
import type { AdviceView } from '../../core/protocol';
import type { LayerGraph } from '../../core/report/layerGraph';
import type { ModelModeAdvice } from '../../core/transform/recommendMode';
import type { FixSuggestion } from '../../core/pycode/types';

/** An estimate with the advisor's recommendations, each priced by re-costing the changed layer. */
export interface AdvisedAnalysis {
  readonly analysis: Analysis;
  readonly advice: readonly AdviceView[];
  /** Which layer feeds which (the report's graph view). */
  readonly graph?: LayerGraph;
}

/** One open Python document, by URI: the worker keeps its syntax tree for incremental parsing. */
export interface PythonDocument {
  readonly document: string;
  readonly text: string;
}

/** The first-line hint of a config.json: energy per token on the chosen profile. */
export interface TokenEnergyHint {
  readonly label: string;
  readonly tooltip: string;
}

export type WorkerMethods = {
  /** A model file: read, costed, estimated and advised. */
  analyzeFile: { params: { readonly path: string; readonly options: AnalyzeFileOptions }; result: AdvisedAnalysis };
  /** Which quantization mode a model runs fastest on a profile (its conv/GEMM weight share × the profile's kernels). */
  recommendQuantizeMode: { params: { readonly path: string; readonly profile: { readonly profile: HardwareProfile } | { readonly profileId: string } }; result: ModelModeAdvice };
  /** Refines this machine's calibrated profile from a benchmark's kernel times and saves it (`joule bench --fit`). */
  refineProfile: { params: { readonly result: BenchResult; readonly analysis: Analysis; readonly options: AnalyzeFileOptions & { readonly userProfilesDir: string } }; result: BenchFitReport };
  /** Python model code as typed: undefined when it defines no layers. */
  analyzePython: { params: PythonDocument & { readonly path: string; readonly options: AnalyzeFileOptions }; result: PricedSource | undefined };
  /** The quick fixes for one layer of the document's last analysis. */
  pythonFixes: { params: PythonDocument & { readonly layerIndex: number }; result: FixSuggestion[] };
  /** The workspace's own profiles (regular files only, size-capped), and why any file was skipped. */
  userProfiles: { params: { readonly dir: string }; result: { readonly profiles: readonly HardwareProfile[]; readonly skipped: readonly string[] } };
  /** One profile by id, shipped or the workspace's; fails with the known ids when there is none. */
  resolveProfile: { params: { readonly profileId: string; readonly userProfilesDir?: string }; result: HardwareProfile };
  /** A Hugging Face config.json: hints on its sizing fields and the energy per token. */
  configJsonHints: { params: { readonly text: string; readonly path: string; readonly options: AnalyzeFileOptions }; result: { readonly hints: readonly ConfigHint[]; readonly tokenEnergy?: TokenEnergyHint } };
};

/** The document was closed: the worker forgets its tree. */
export const closeDocumentNotification = new NotificationType<{ readonly document: string }>('joule/editor/closeDocument');

/** What the worker runs for each method (synchronously: a time limit stops it by terminating the thread). */
export type Handlers = { readonly [K in keyof WorkerMethods]: (params: WorkerMethods[K]['params']) => WorkerMethods[K]['result'] };

/** A file in a profiles folder changed: the worker forgets what it read from that folder. */
export const profilesChangedNotification = new NotificationType<{ readonly dir: string }>('joule/editor/profilesChanged');

export type WorkerRequests = { readonly [K in keyof WorkerMethods]: WorkerRequest<WorkerMethods[K]['params'], WorkerMethods[K]['result']> };

/** One typed request per method, by the method's name. */
export const workerRequests: WorkerRequests = {
  analyzeFile: defineRequest('joule/analysis/analyzeFile'),
  recommendQuantizeMode: defineRequest('joule/analysis/recommendQuantizeMode'),
  refineProfile: defineRequest('joule/analysis/refineProfile'),
  analyzePython: defineRequest('joule/editor/analyzePython'),
  pythonFixes: defineRequest('joule/editor/pythonFixes'),
  userProfiles: defineRequest('joule/editor/userProfiles'),
  resolveProfile: defineRequest('joule/editor/resolveProfile'),
  configJsonHints: defineRequest('joule/editor/configJsonHints'),
};
