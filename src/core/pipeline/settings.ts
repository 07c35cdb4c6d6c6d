/**
 * The settings every input kind is priced with: the hardware profile (shipped, or the user's from
 * their profiles folder) and the carbon settings. Bad values are the user's input error
 * (AnalysisInputError, the CLI's exit code 2), never a bug.
 */
import { resolveCarbon } from '../energy/carbon';
import type { EstimateSettings } from '../energy/estimate';
import { DEFAULT_PROFILE_ID } from '../energy/profileRegistry';
import type { HardwareProfile } from '../energy/profileSchema';
import { AnalysisInputError, type AnalyzeFileOptions } from './options';
import { ProfileCatalog } from './profileCatalog';

export interface ResolvedProfile {
  readonly profile: HardwareProfile;
  /** Problems with user profile files, reported as analysis warnings (never silently dropped). */
  readonly warnings: readonly string[];
}

/**
 * Picks the profile: an object given as is, else the id among shipped and user profiles. Without a
 * catalog the folder is read now (one-shot callers); long-lived ones pass theirs.
 */
export function resolveProfile(options: Pick<AnalyzeFileOptions, 'profile' | 'profileId' | 'userProfilesDir'>, catalog = new ProfileCatalog()): ResolvedProfile {
  if (options.profile) return { profile: options.profile, warnings: [] };
  const user = catalog.folder(options.userProfilesDir);
  const warnings = user.errors.map((e) => `Skipped user profile ${e.file}: ${e.errors.join('; ')}`);
  const id = options.profileId ?? DEFAULT_PROFILE_ID;
  const offered = catalog.list(options.userProfilesDir);
  const profile = offered.find((p) => p.id === id);
  if (!profile) {
    const known = offered.map((p) => p.id).join(', ');
    const fileProblems = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
    throw new AnalysisInputError(`Unknown hardware profile "${id}". Known profiles: ${known}.${fileProblems}`);
  }
  return { profile, warnings };
}

/**
 * The profile and carbon settings every input kind is priced with (ONNX and the other model formats,
 * Python files): an unknown profile, grid region or bad intensity is the user's input error, never a bug.
 */
export function resolveSettings(options: AnalyzeFileOptions, catalog?: ProfileCatalog): ResolvedProfile & { readonly carbon: EstimateSettings } {
  const resolved = resolveProfile(options, catalog);
  const carbon = { gridRegion: options.gridRegion, gridIntensityGPerKWh: options.gridIntensityGPerKWh, pue: options.pue };
  try {
    resolveCarbon(carbon);
  } catch (error) {
    if (error instanceof RangeError) throw new AnalysisInputError(error.message);
    throw error;
  }
  return { ...resolved, carbon };
}
