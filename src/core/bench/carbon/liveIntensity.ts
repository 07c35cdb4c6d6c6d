/**
 * Live grid carbon intensity from a source the user configures: the UK Carbon Intensity API (no key)
 * or Electricity Maps (token in the `auth-token` header). Network access is off unless the caller
 * enables it explicitly; the base URL is injectable so tests talk to a server on 127.0.0.1.
 */

export type LiveSourceKind = 'uk-carbon-intensity' | 'electricity-maps';

export interface LiveIntensityConfig {
  readonly source: LiveSourceKind;
  /** Must be true for any request to be made (a user setting, off by default). */
  readonly networkEnabled: boolean;
  readonly baseUrl?: string;
  /** Electricity Maps API token. */
  readonly token?: string;
  /** Electricity Maps zone, e.g. 'DE', 'FR', 'US-CAL-CISO'. */
  readonly zone?: string;
  readonly timeoutMs?: number;
}

/** Intensity over [from, to), g CO2e/kWh. */
export interface IntensityPoint {
  readonly from: string;
  readonly to: string;
  readonly gPerKWh: number;
  readonly kind: 'actual' | 'forecast';
}

export interface CurrentIntensity {
  readonly gPerKWh: number;
  readonly at: string;
  readonly source: LiveSourceKind;
  readonly attribution: string;
}

export class LiveIntensityError extends Error {
  override readonly name = 'LiveIntensityError';
}

export const DEFAULT_BASE_URLS: Readonly<Record<LiveSourceKind, string>> = {
  'uk-carbon-intensity': 'https://api.carbonintensity.org.uk',
  'electricity-maps': 'https://api.electricitymap.org',
};

const ATTRIBUTION: Readonly<Record<LiveSourceKind, string>> = {
  'uk-carbon-intensity': 'National Energy System Operator, Carbon Intensity API (carbonintensity.org.uk), CC BY 4.0',
  'electricity-maps': 'Electricity Maps (electricitymaps.com)',
};

const HOUR_MS = 3_600_000;

async function getJson(config: LiveIntensityConfig, pathAndQuery: string): Promise<unknown> {
  if (!config.networkEnabled) {
    throw new LiveIntensityError('Live grid intensity is off: network access must be enabled explicitly (the shipped table is used otherwise).');
  }
  const base = (config.baseUrl ?? DEFAULT_BASE_URLS[config.source]).replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.source === 'electricity-maps') {
    if (!config.token) throw new LiveIntensityError('Electricity Maps needs an API token (auth-token).');
    headers['auth-token'] = config.token;
  }
  let response: Response;
  try {
    response = await fetch(`${base}${pathAndQuery}`, { headers, signal: AbortSignal.timeout(config.timeoutMs ?? 10_000) });
  } catch (e) {
    throw new LiveIntensityError(`${config.source}: request failed: ${(e as Error).message}`);
  }
  if (!response.ok) throw new LiveIntensityError(`${config.source}: HTTP ${response.status} ${response.statusText}`);
  try {
    return await response.json();
  } catch {
    throw new LiveIntensityError(`${config.source}: the answer is not JSON`);
  }
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The UK API's minute-precision ISO time: 2026-11-21T10:00Z. */
export function ukTime(date: Date): string {
  return `${date.toISOString().slice(0, 16)}Z`;
}

interface UkEntry {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly intensity?: { readonly forecast?: unknown; readonly actual?: unknown };
}

function ukPoints(body: unknown): IntensityPoint[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new LiveIntensityError('uk-carbon-intensity: no "data" array in the answer');
  const points: IntensityPoint[] = [];
  for (const entry of data as UkEntry[]) {
    const actual = finite(entry.intensity?.actual);
    const forecast = finite(entry.intensity?.forecast);
    const value = actual ?? forecast;
    if (value === undefined || typeof entry.from !== 'string' || typeof entry.to !== 'string') continue;
    points.push({ from: entry.from, to: entry.to, gPerKWh: value, kind: actual === undefined ? 'forecast' : 'actual' });
  }
  return points;
}

function zoneQuery(config: LiveIntensityConfig): string {
  if (!config.zone) throw new LiveIntensityError('Electricity Maps needs a zone (e.g. DE, FR).');
  return `zone=${encodeURIComponent(config.zone)}`;
}

export async function fetchCurrentIntensity(config: LiveIntensityConfig): Promise<CurrentIntensity> {
  if (config.source === 'uk-carbon-intensity') {
    const [point] = ukPoints(await getJson(config, '/intensity'));
    if (!point) throw new LiveIntensityError('uk-carbon-intensity: no intensity in the answer');
    return { gPerKWh: point.gPerKWh, at: point.from, source: config.source, attribution: ATTRIBUTION[config.source] };
  }
  const body = (await getJson(config, `/v3/carbon-intensity/latest?${zoneQuery(config)}`)) as { carbonIntensity?: unknown; datetime?: unknown } | null;
  const value = finite(body?.carbonIntensity);
  if (value === undefined) throw new LiveIntensityError('electricity-maps: no carbonIntensity in the answer');
  return { gPerKWh: value, at: typeof body?.datetime === 'string' ? body.datetime : new Date().toISOString(), source: config.source, attribution: ATTRIBUTION[config.source] };
}

/** Forecast for the next 24 hours (UK: half-hourly; Electricity Maps: hourly), from `from`. */
export async function fetchIntensityForecast(config: LiveIntensityConfig, from = new Date()): Promise<IntensityPoint[]> {
  if (config.source === 'uk-carbon-intensity') {
    return ukPoints(await getJson(config, `/intensity/${ukTime(from)}/fw24h`));
  }
  const body = (await getJson(config, `/v3/carbon-intensity/forecast?${zoneQuery(config)}`)) as { forecast?: unknown } | null;
  if (!Array.isArray(body?.forecast)) throw new LiveIntensityError('electricity-maps: no "forecast" array in the answer');
  const points: IntensityPoint[] = [];
  for (const entry of body.forecast as { carbonIntensity?: unknown; datetime?: unknown }[]) {
    const value = finite(entry.carbonIntensity);
    if (value === undefined || typeof entry.datetime !== 'string' || Number.isNaN(Date.parse(entry.datetime))) continue;
    points.push({ from: entry.datetime, to: new Date(Date.parse(entry.datetime) + HOUR_MS).toISOString(), gPerKWh: value, kind: 'forecast' });
  }
  return points;
}
