/**
 * Options of the analysis pipeline (src/core/pipeline) and its error for requests it cannot satisfy,
 * apart from the pipeline so adapters can import them without loading the readers.
 */
import type { HardwareProfile } from '../energy/profileSchema';

export interface AnalyzeFileOptions {
  /** A profile id, shipped or from `userProfilesDir`; default DEFAULT_PROFILE_ID. Ignored when `profile` is given. */
  readonly profileId?: string;
  /** A profile object (the extension's choice, already loaded). */
  readonly profile?: HardwareProfile;
  /** Values for symbolic dimensions, by name. */
  readonly dims?: Readonly<Record<string, number>>;
  /** Batch size, bound to the leading symbolic dimension of the inputs (default 1). */
  readonly batch?: number;
  /** Grid region code or name (see energy/gridIntensity.ts); default world. */
  readonly gridRegion?: string;
  /** Overrides the grid table, g CO2e/kWh. */
  readonly gridIntensityGPerKWh?: number;
  /** Power usage effectiveness, ≥ 1; default 1. */
  readonly pue?: number;
  /** Folder of user profiles (`<workspace>/.joule/profiles`); a missing folder is fine. */
  readonly userProfilesDir?: string;
  /** Most graph nodes a model file may have (src/core/graph/nodeBudget.ts); default DEFAULT_MAX_GRAPH_NODES. */
  readonly maxGraphNodes?: number;
  /** Python model code only: the input shape (batch first) for models that do not state one. */
  readonly inputShape?: readonly number[];
}

/** A request the pipeline cannot satisfy: unknown profile or grid region, invalid number. */
export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
}
