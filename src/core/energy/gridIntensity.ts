/**
 * Lifecycle carbon intensity of electricity by country, g CO2e per kWh.
 * Source: Ember, via Our World in Data, "Carbon intensity of electricity generation" (CC BY 4.0).
 * Year 2023 unless noted; the world average is Ember's 2022 figure.
 */
export const GRID_INTENSITY_ATTRIBUTION = 'Ember via Our World in Data, carbon intensity of electricity generation (lifecycle, g CO2e/kWh), CC BY 4.0';

export interface GridRegion {
  /** ISO 3166-1 alpha-2 code, or 'world'. */
  readonly code: string;
  readonly name: string;
  readonly gPerKWh: number;
  readonly year: number;
}

export const GRID_REGIONS: readonly GridRegion[] = [
  { code: 'world', name: 'World', gPerKWh: 436, year: 2022 },
  { code: 'IN', name: 'India', gPerKWh: 713, year: 2023 },
  { code: 'ZA', name: 'South Africa', gPerKWh: 708, year: 2023 },
  { code: 'SA', name: 'Saudi Arabia', gPerKWh: 707, year: 2022 },
  { code: 'ID', name: 'Indonesia', gPerKWh: 676, year: 2022 },
  { code: 'PL', name: 'Poland', gPerKWh: 662, year: 2023 },
  { code: 'CN', name: 'China', gPerKWh: 582, year: 2023 },
  { code: 'AU', name: 'Australia', gPerKWh: 549, year: 2023 },
  { code: 'MX', name: 'Mexico', gPerKWh: 507, year: 2023 },
  { code: 'JP', name: 'Japan', gPerKWh: 485, year: 2023 },
  { code: 'SG', name: 'Singapore', gPerKWh: 471, year: 2023 },
  { code: 'RU', name: 'Russia', gPerKWh: 441, year: 2023 },
  { code: 'KR', name: 'South Korea', gPerKWh: 431, year: 2023 },
  { code: 'DE', name: 'Germany', gPerKWh: 381, year: 2023 },
  { code: 'US', name: 'United States', gPerKWh: 369, year: 2023 },
  { code: 'IT', name: 'Italy', gPerKWh: 331, year: 2023 },
  { code: 'IE', name: 'Ireland', gPerKWh: 291, year: 2023 },
  { code: 'NL', name: 'Netherlands', gPerKWh: 268, year: 2023 },
  { code: 'GB', name: 'United Kingdom', gPerKWh: 238, year: 2023 },
  { code: 'ES', name: 'Spain', gPerKWh: 174, year: 2023 },
  { code: 'CA', name: 'Canada', gPerKWh: 170, year: 2023 },
  { code: 'BR', name: 'Brazil', gPerKWh: 98, year: 2023 },
  { code: 'FR', name: 'France', gPerKWh: 56, year: 2023 },
  { code: 'SE', name: 'Sweden', gPerKWh: 41, year: 2023 },
  { code: 'CH', name: 'Switzerland', gPerKWh: 35, year: 2023 },
  { code: 'NO', name: 'Norway', gPerKWh: 30, year: 2023 },
];

export const DEFAULT_GRID_REGION = 'world';

/** Finds a region by code or name, case-insensitively ('uk' is accepted for GB). */
export function findGridRegion(codeOrName: string): GridRegion | undefined {
  const wanted = codeOrName.trim().toLowerCase();
  const alias = wanted === 'uk' ? 'gb' : wanted;
  return GRID_REGIONS.find((r) => r.code.toLowerCase() === alias || r.name.toLowerCase() === alias);
}
