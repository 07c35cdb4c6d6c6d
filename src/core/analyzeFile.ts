/**
 * The analysis pipeline, one function used by the CLI and the extension alike:
 * file -> model (reader + shape inference with the requested dims) -> per-layer costs -> energy on a
 * hardware profile -> Analysis. It holds no analysis logic of its own: it resolves options, calls the
 * pieces in order and turns bad options into AnalysisInputError (the CLI's exit code 2).
 */
import type { Analysis } from './energy/analysis';
import { costGraph } from './cost/costGraph';
import { resolveCarbon } from './energy/carbon';
import { estimate, type EstimateInput, type EstimateSettings } from './energy/estimate';
import type { LayerCost } from './cost/types';
import { llmPrecisionOf, llmStepLayersOfModel, transformerConfigOf } from './llm/modelLlm';
import { transformerParameters } from './llm/parameters';
import { DEFAULT_PROFILE_ID, getProfile, listProfiles, loadUserProfiles } from './energy/profileRegistry';
import type { HardwareProfile } from './energy/profileSchema';
import type { AssumedDim, OpenDim } from './graph/dimBinding';
import type { Graph, Model } from './graph/ir';
import { loadModel } from './formats/loadModel';
import { withRoofline } from './report/roof';
import { AnalysisInputError, type AnalyzeFileOptions } from './analyzeOptions';

export { AnalysisInputError, type AnalyzeFileOptions } from './analyzeOptions';

interface ResolvedProfile {
  readonly profile: HardwareProfile;
  /** Problems with user profile files, reported as analysis warnings (never silently dropped). */
  readonly warnings: readonly string[];
}

/** Picks the profile: an object given as is, else the id among shipped and user profiles. */
export function resolveProfile(options: Pick<AnalyzeFileOptions, 'profile' | 'profileId' | 'userProfilesDir'>): ResolvedProfile {
  if (options.profile) return { profile: options.profile, warnings: [] };
  const user = options.userProfilesDir === undefined ? { profiles: [], errors: [] } : loadUserProfiles(options.userProfilesDir);
  const warnings = user.errors.map((e) => `Skipped user profile ${e.file}: ${e.errors.join('; ')}`);
  const id = options.profileId ?? DEFAULT_PROFILE_ID;
  const profile = getProfile(id, user.profiles);
  if (!profile) {
    const known = listProfiles(user.profiles).map((p) => p.id).join(', ');
    const fileProblems = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
    throw new AnalysisInputError(`Unknown hardware profile "${id}". Known profiles: ${known}.${fileProblems}`);
  }
  return { profile, warnings };
}

/**
 * The profile and carbon settings every input kind is priced with (ONNX and the other model formats,
 * Python files): an unknown profile, grid region or bad intensity is the user's input error, never a bug.
 */
export function resolveSettings(options: AnalyzeFileOptions): ResolvedProfile & { readonly carbon: EstimateSettings } {
  const resolved = resolveProfile(options);
  const carbon = { gridRegion: options.gridRegion, gridIntensityGPerKWh: options.gridIntensityGPerKWh, pue: options.pue };
  try {
    resolveCarbon(carbon);
  } catch (error) {
    if (error instanceof RangeError) throw new AnalysisInputError(error.message);
    throw error;
  }
  return { ...resolved, carbon };
}

/** Every graph of a model: the main graph, If/Loop/Scan bodies at any depth, model-local functions. */
function allGraphs(model: Model): Graph[] {
  const graphs: Graph[] = [];
  const visit = (g: Graph): void => {
    graphs.push(g);
    for (const node of g.nodes) {
      for (const a of node.attributes.values()) {
        if (a.type === 'graph') visit(a.value);
        else if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
  };
  visit(model.graph);
  model.functions.forEach(visit);
  return graphs;
}

/**
 * Parameters (elements) and stored bytes of the model's weights, from the constants of every graph:
 * weights inside If branches, Loop bodies and functions are stored in the file and load with it.
 */
export function weightTotals(model: Model): { params: number; weightBytes: number } {
  let params = 0;
  let weightBytes = 0;
  for (const graph of allGraphs(model)) {
    for (const value of graph.values.values()) {
      const weight = value.constant;
      if (!weight) continue;
      params += weight.dims.reduce((n, d) => n * d, 1);
      weightBytes += weight.byteLength;
    }
  }
  return { params, weightBytes };
}

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
export function prepareEstimate(path: string, options: AnalyzeFileOptions = {}): PreparedEstimate {
  const { profile, warnings: profileWarnings, carbon } = resolveSettings(options);
  const batch = options.batch ?? 1;
  const model = loadModel(path, { dims: options.dims ?? {}, batch });
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

export function analyzeFile(path: string, options: AnalyzeFileOptions = {}): Analysis {
  return estimatePrepared(prepareEstimate(path, options));
}
