/**
 * Carbon arithmetic: g CO2e = energy (kWh) × PUE × grid intensity (g/kWh).
 */
import { DEFAULT_GRID_REGION, findGridRegion } from './gridIntensity';

export const JOULES_PER_KWH = 3.6e6;

export interface CarbonSettings {
  /** Region code or name from GRID_REGIONS; default 'world'. */
  readonly gridRegion?: string;
  /** Overrides the table (a live signal or a contract's figure). */
  readonly gridIntensityGPerKWh?: number;
  /** Power usage effectiveness of the facility, ≥ 1; default 1 (no facility overhead). */
  readonly pue?: number;
}

export interface ResolvedCarbon {
  /** The region's code, or 'custom' when only an override was given. */
  readonly gridRegion: string;
  readonly gridIntensityGPerKWh: number;
  readonly pue: number;
}

/** Resolves settings to numbers; throws RangeError on an unknown region or an invalid number. */
export function resolveCarbon(settings: CarbonSettings = {}): ResolvedCarbon {
  const pue = settings.pue ?? 1;
  if (!Number.isFinite(pue) || pue < 1) throw new RangeError(`PUE must be a number ≥ 1, got ${pue}`);
  if (settings.gridIntensityGPerKWh !== undefined) {
    const g = settings.gridIntensityGPerKWh;
    if (!Number.isFinite(g) || g < 0) throw new RangeError(`Grid intensity must be a number ≥ 0 g/kWh, got ${g}`);
    return { gridRegion: settings.gridRegion ?? 'custom', gridIntensityGPerKWh: g, pue };
  }
  const region = findGridRegion(settings.gridRegion ?? DEFAULT_GRID_REGION);
  if (region === undefined) throw new RangeError(`Unknown grid region "${settings.gridRegion}" (use a country code such as US, DE, FR, or 'world')`);
  return { gridRegion: region.code, gridIntensityGPerKWh: region.gPerKWh, pue };
}

export function co2eGrams(energyJ: number, carbon: ResolvedCarbon): number {
  return (energyJ / JOULES_PER_KWH) * carbon.pue * carbon.gridIntensityGPerKWh;
}
