/**
 * Messages between the extension host and Joule's webviews (report editor, benchmark panel, summary
 * view). Both sides import only these types. Requests that expect a reply carry a `requestId`.
 */
import type { Analysis } from './energy/analysis';
import type { LayerGraph } from './report/layerGraph';

export interface ProfileChoice {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
}

/** A recommendation shown in the report, already priced by re-costing the changed layer. */
export interface AdviceView {
  readonly layer?: string;
  readonly action: string;
  readonly title: string;
  readonly reason: string;
  readonly savingJ: number;
  readonly savingShare: number;
}

/** A benchmark result shaped for the panel; every energy number names its meter. */
export interface BenchView {
  readonly modelPath: string;
  readonly label: string;
  readonly protocol: Readonly<Record<string, string | number>>;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly min: number; readonly max: number; readonly mean: number };
  readonly histogram: readonly { readonly fromMs: number; readonly toMs: number; readonly count: number }[];
  readonly throughputPerS: number;
  readonly peakRssBytes: number;
  readonly sessionLoadMs: number;
  readonly energy: { readonly joulesPerInference: number; readonly source: 'rapl' | 'nvml' | 'powermetrics' | 'estimate'; readonly note?: string };
  /** Measured time per layer (onnxruntime's profile) beside the estimate. */
  readonly layers: readonly { readonly name: string; readonly opType: string; readonly measuredMs?: number; readonly estimatedMs?: number }[];
  /** Energy versus latency under caps: measured where a cap could be applied, modelled otherwise. */
  readonly caps: readonly { readonly label: string; readonly latencyMs: number; readonly energyJ: number; readonly measured: boolean }[];
  /** Model variants (original, quantized, pruned) side by side. */
  readonly variants: readonly { readonly label: string; readonly path: string; readonly latencyP50Ms: number; readonly energyJ: number; readonly energySource: string; readonly sizeBytes: number; readonly cosine?: number }[];
  /** The estimate of the same model, for the energy breakdown and roofline charts. */
  readonly analysis?: Analysis;
}

/** Per-layer measurements of a benchmark run, sent to the model's report after the run. */
export interface MeasuredOverlay {
  readonly label: string;
  /** Energy per inference of the whole run and its meter ('estimate' when no counter was read). */
  readonly energy: BenchView['energy'];
  readonly layers: BenchView['layers'];
}

export interface ModelSummaryView {
  readonly path: string;
  readonly label: string;
  readonly energyJ?: number;
  readonly profileId?: string;
  readonly error?: string;
  readonly hotspots: readonly { readonly name: string; readonly share: number }[];
}

export type HostToWebview =
  /** The analysis of the model shown in a report, with the profiles the picker offers. */
  | {
      readonly type: 'analysis';
      readonly analysis: Analysis;
      readonly profiles: readonly ProfileChoice[];
      readonly advice: readonly AdviceView[];
      /** Indices of the layers the Models view and diagnostics call hotspots too (one rule, one setting). */
      readonly hotspots: readonly number[];
      /** Which layer feeds which, with bytes per edge, for the graph view (absent: the view shows no edges). */
      readonly graph?: LayerGraph;
    }
  /** Measured time per layer from the latest benchmark of this model, for the graph's measured overlay. */
  | { readonly type: 'measured'; readonly measured: MeasuredOverlay }
  /** Benchmark results for the benchmark panel. */
  | { readonly type: 'bench'; readonly bench: BenchView }
  /** The workspace's models for the summary view. */
  | { readonly type: 'summary'; readonly models: readonly ModelSummaryView[]; readonly profileId: string }
  /** Work is under way (analysis, benchmark); the page shows it. */
  | { readonly type: 'busy'; readonly message: string }
  /** The model could not be analysed or a request failed. */
  | { readonly type: 'error'; readonly message: string; readonly requestId?: number }
  /** Reply to an export request. */
  | { readonly type: 'exported'; readonly requestId: number; readonly path?: string };

export type WebviewToHost =
  /** The page is loaded and listening; the host sends its data. */
  | { readonly type: 'ready' }
  /** The user picked another hardware profile. */
  | { readonly type: 'selectProfile'; readonly id: string }
  /** The user started an action (from a recommendation or a toolbar button). */
  | { readonly type: 'runAction'; readonly action: 'quantize' | 'prune' | 'benchmark' | 'compare' | 'export' | 'inputs'; readonly layer?: string; readonly mode?: string }
  /** The user asked to save the page's content (a chart or the graph as PNG, the graph as SVG, the page as HTML, the data as JSON). */
  | { readonly type: 'export'; readonly requestId: number; readonly format: 'png' | 'svg' | 'html' | 'json'; readonly content: string }
  /** The user picked a model in the summary view. */
  | { readonly type: 'openModel'; readonly path: string }
  /** The user set the model's symbolic dimensions in the report (empty: forget them); remembered per model. */
  | { readonly type: 'setDims'; readonly dims: Readonly<Record<string, number>> };
