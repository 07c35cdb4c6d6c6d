/**
 * A model file through the pipeline: file -> model (reader + shape inference with the requested dims)
 * -> per-layer costs -> energy on a hardware profile -> Analysis. It holds no analysis logic of its
 * own: it resolves settings, calls the pieces in order and turns bad options into AnalysisInputError
 * (the CLI's exit code 2).
 */
import type { Analysis } from '../energy/analysis';
import { costGraph } from '../cost/costGraph';
import { estimate, type EstimateInput, type EstimateSettings } from '../energy/estimate';
import type { LayerCost } from '../cost/types';
import { llmPrecisionOf, llmStepLayersOfModel, transformerConfigOf } from '../llm/modelLlm';
import { transformerParameters } from '../llm/parameters';
import type { HardwareProfile } from '../energy/profileSchema';
import type { AssumedDim, OpenDim } from '../graph/dimBinding';
import type { Model } from '../graph/ir';
import { loadModel } from '../formats/loadModel';
import { weightTotals } from '../graph/weights';
import { withRoofline } from '../report/roof';
import type { AnalyzeFileOptions } from './options';
import type { ProfileCatalog } from './profileCatalog';
import { resolveSettings } from './settings';

/**
 * A warning naming the symbolic dimensions that were assumed because `dims` did not set them, so a
 * report never hides what it assumed (the headline says it too, from `assumedDims`).
 */
export function assumedDimWarnings(assumed: readonly AssumedDim[]): string[] {
  if (assumed.length === 0) return [];
  return [`Symbolic dimensions not given, values assumed: ${assumed.map((d) => `${d.name}=${d.value} (${d.role}, from ${d.source})`).join(', ')}; set them with --dim NAME=N (or H=, W=, sequence=).`];
}

/**
 * A batch asked for but with no open batch dimension to take it (inputs exported with a fixed batch,
 * TFLite's static shapes): the model runs as exported, and the analysis says so instead of labelling
 * a batch-1 estimate "batch 256". Returns the batch the figures are for and the warning.
 */
function appliedBatch(model: Model, batch: number): { readonly batch: number; readonly warnings: string[] } {
  if (batch === 1 || (model.openDims ?? []).some((d) => d.role === 'batch')) return { batch, warnings: [] };
  const first = model.graph.inputs.map((name) => model.graph.values.get(name)?.type?.shape).find((shape) => shape !== undefined && shape.length >= 2);
  const fixed = typeof first?.[0] === 'number' ? first[0] : 1;
  return { batch: fixed, warnings: [`The model's inputs have no open batch dimension (the first input's leading dimension is ${fixed}): batch ${batch} was not applied, the figures are for one run of the model as exported.`] };
}

/** One warning summarising values whose shapes stayed unknown (their layers' costs are partial). */
function unknownShapeWarnings(model: Model): string[] {
  const unknown = model.unknownValues ?? [];
  if (unknown.length === 0) return [];
  const listed = unknown.slice(0, 3).map((u) => `${u.value} (${u.reason})`).join('; ');
  return [`${unknown.length} value(s) have unknown shapes: ${listed}${unknown.length > 3 ? '; …' : ''}.`];
}

/** Context length an LLM's decode step is costed at when `--dim context=N` does not say. */
export const DEFAULT_LLM_CONTEXT = 1024;

/**
 * Weights-only files (GGUF, safetensors, config.json) have no graph: an LLM among them is costed as
 * one decode step, one new token per sequence attending to `context` tokens, from its configuration.
 */
function llmDecodeLayers(
  model: Model,
  options: AnalyzeFileOptions,
  batch: number,
): { layers: LayerCost[]; context: number; note: string; weights?: { params: number; weightBytes: number } } | undefined {
  if (model.graph.nodes.length > 0) return undefined;
  const config = transformerConfigOf(model);
  const context = options.dims?.context ?? DEFAULT_LLM_CONTEXT;
  const layers = llmStepLayersOfModel(model, { phase: 'decode', context, batch });
  if (!config || !layers) return undefined;
  // A config.json alone has no tensors: its parameters come from the configuration, its bytes from the dtype.
  const stored = weightTotals(model);
  const params = transformerParameters(config).total;
  const weights = stored.params > 0 ? undefined : { params, weightBytes: Math.round(params * llmPrecisionOf(model).weightBytesPerParam) };
  return {
    layers,
    context,
    weights,
    note: `LLM without a graph: costed as one decode step (one new token per sequence) at context ${context}, from its configuration; set the context with --dim context=N. Per-token prefill and decode figures: docs/llm-cost-model.md.`,
  };
}

/** Everything `estimate` needs for a model file: its per-layer costs, the profile and carbon settings. */
export interface PreparedEstimate {
  readonly input: EstimateInput;
  /** Input dims the user did not give (the Analysis's `assumedDims`). */
  readonly assumedDims: readonly AssumedDim[];
  readonly openDims: readonly OpenDim[];
  readonly profile: HardwareProfile;
  readonly carbon: EstimateSettings;
}

/** file -> model -> per-layer costs, with the profile and carbon settings checked. */
export function prepareEstimate(path: string, options: AnalyzeFileOptions = {}, catalog?: ProfileCatalog): PreparedEstimate {
  const { profile, warnings: profileWarnings, carbon } = resolveSettings(options, catalog);
  const batch = options.batch ?? 1;
  const model = loadModel(path, { dims: options.dims ?? {}, batch, maxGraphNodes: options.maxGraphNodes });
  const boundDims = new Map(model.boundDims ?? []);
  const llm = llmDecodeLayers(model, options, batch);
  const applied = llm ? { batch, warnings: [] } : appliedBatch(model, batch);
  const { layers, unknownOps, warnings: costWarnings = [] } = llm ? { layers: llm.layers, unknownOps: [] } : costGraph(model);
  if (llm) boundDims.set('context', llm.context);
  const { params, weightBytes } = llm?.weights ?? weightTotals(model);
  const input: EstimateInput = {
    model: {
      path,
      format: model.format,
      opset: model.opsetImports.get(''),
      producer: model.producer,
      params,
      weightBytes,
    },
    layers,
    unknownOps,
    warnings: [...profileWarnings, ...model.warnings, ...costWarnings, ...(llm ? [llm.note] : []), ...applied.warnings, ...assumedDimWarnings(model.assumedDims ?? []), ...unknownShapeWarnings(model)],
    dims: Object.fromEntries(boundDims),
    batch: applied.batch,
  };
  return { input, profile, carbon, assumedDims: model.assumedDims ?? [], openDims: model.openDims ?? [] };
}

/** The Analysis of a prepared estimate, with the roofline the charts draw. */
export function estimatePrepared({ input, profile, carbon, assumedDims, openDims }: PreparedEstimate): Analysis {
  const estimated = estimate(input, profile, carbon);
  const analysis = {
    ...estimated,
    ...(assumedDims.length > 0 ? { assumedDims } : {}),
    ...(openDims.length > 0 ? { openDims } : {}),
  };
  return withRoofline(analysis, profile);
}

export function analyzeFile(path: string, options: AnalyzeFileOptions = {}, catalog?: ProfileCatalog): Analysis {
  return estimatePrepared(prepareEstimate(path, options, catalog));
}
