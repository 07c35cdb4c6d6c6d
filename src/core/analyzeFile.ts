/**
 * The analysis pipeline, one function used by the CLI and the extension alike:
 * file -> model (reader + shape inference with the requested dims) -> per-layer costs -> energy on a
 * hardware profile -> Analysis. It holds no analysis logic of its own: it resolves options, calls the
 * pieces in order and turns bad options into AnalysisInputError (the CLI's exit code 2).
 */
import type { Analysis } from './energy/analysis';
import { costGraph } from './cost/costGraph';
import { resolveCarbon } from './energy/carbon';
import { estimate } from './energy/estimate';
import { DEFAULT_PROFILE_ID, getProfile, listProfiles, loadUserProfiles } from './energy/profileRegistry';
import type { HardwareProfile } from './energy/profileSchema';
import { defaultDimValue } from './graph/dimBinding';
import type { Model } from './graph/ir';
import { loadModel } from './io/loadModel';
import { rooflineOf } from './report/roof';
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

/** Parameters (elements) and stored bytes of the model's weights, from the graph's constants. */
export function weightTotals(model: Model): { params: number; weightBytes: number } {
  let params = 0;
  let weightBytes = 0;
  for (const value of model.graph.values.values()) {
    const weight = value.constant;
    if (!weight) continue;
    params += weight.dims.reduce((n, d) => n * d, 1);
    weightBytes += weight.byteLength;
  }
  return { params, weightBytes };
}

/**
 * A warning naming the symbolic dimensions that took a default value because `dims` did not set
 * them, so a report never hides what it assumed. Batch-like dimensions are left out: they take
 * `batch`, which every report shows.
 */
export function defaultedDimWarnings(bound: ReadonlyMap<string, number>, options: Pick<AnalyzeFileOptions, 'dims'>): string[] {
  // A name is batch-like when the default rule hands it the batch value (probe with an impossible one).
  const batchLike = (name: string): boolean => defaultDimValue(name, { batch: -1 }) === -1;
  const defaulted = [...bound].filter(([name]) => options.dims?.[name] === undefined && !batchLike(name));
  if (defaulted.length === 0) return [];
  return [`Symbolic dimensions not given, defaults assumed: ${defaulted.map(([name, value]) => `${name}=${value}`).join(', ')}.`];
}

/** One warning summarising values whose shapes stayed unknown (their layers' costs are partial). */
function unknownShapeWarnings(model: Model): string[] {
  const unknown = model.unknownValues ?? [];
  if (unknown.length === 0) return [];
  const listed = unknown.slice(0, 3).map((u) => `${u.value} (${u.reason})`).join('; ');
  return [`${unknown.length} value(s) have unknown shapes: ${listed}${unknown.length > 3 ? '; …' : ''}.`];
}

export function analyzeFile(path: string, options: AnalyzeFileOptions = {}): Analysis {
  const { profile, warnings: profileWarnings } = resolveProfile(options);
  const carbonSettings = { gridRegion: options.gridRegion, gridIntensityGPerKWh: options.gridIntensityGPerKWh, pue: options.pue };
  try {
    resolveCarbon(carbonSettings);
  } catch (error) {
    if (error instanceof RangeError) throw new AnalysisInputError(error.message);
    throw error;
  }
  const batch = options.batch ?? 1;
  const model = loadModel(path, { dims: options.dims ?? {}, batch });
  const boundDims = model.boundDims ?? new Map<string, number>();
  const { layers, unknownOps } = costGraph(model);
  const { params, weightBytes } = weightTotals(model);
  const analysis = estimate(
    {
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
      warnings: [...profileWarnings, ...model.warnings, ...defaultedDimWarnings(boundDims, options), ...unknownShapeWarnings(model)],
      dims: Object.fromEntries(boundDims),
      batch,
    },
    profile,
    carbonSettings,
  );
  if (analysis.profile.roofline !== undefined) return analysis;
  return { ...analysis, profile: { ...analysis.profile, roofline: rooflineOf(analysis, profile) } };
}
