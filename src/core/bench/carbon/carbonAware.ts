/**
 * Carbon-aware advice from measured points and grid intensity: which cap to run under now (lower
 * power when the grid is dirty) and the greenest window of a forecast for a job of a given length.
 * The intensity comes from the shipped table unless a live source is configured and reachable.
 */
import { JOULES_PER_KWH } from '../../energy/carbon';
import { DEFAULT_GRID_REGION, findGridRegion, GRID_INTENSITY_ATTRIBUTION } from '../../energy/gridIntensity';
import { fetchCurrentIntensity, type IntensityPoint, type LiveIntensityConfig } from './liveIntensity';

/** Below this intensity speed matters most; above `HIGH`, energy matters most (g CO2e/kWh). */
export const LOW_INTENSITY_G = 100;
export const HIGH_INTENSITY_G = 400;

export interface CapCandidate {
  readonly label: string;
  readonly latencyMs: number;
  readonly joulesPerInference: number;
}

export interface CapRecommendation<T extends CapCandidate> {
  readonly chosen: T;
  /** Weight given to energy (0: fastest wins, 1: least energy wins). */
  readonly energyWeight: number;
  readonly gCo2ePerInference: number;
  readonly reason: string;
}

/**
 * Picks the cap minimising (1 − w)·latency/fastest + w·energy/leanest, where w grows linearly from 0
 * at LOW_INTENSITY_G to 1 at HIGH_INTENSITY_G. `maxSlowdown` (e.g. 1.5) rules out caps too slow to use.
 */
export function recommendCap<T extends CapCandidate>(candidates: readonly T[], intensityGPerKWh: number, options: { maxSlowdown?: number } = {}): CapRecommendation<T> {
  if (candidates.length === 0) throw new RangeError('no measured points to choose a cap from');
  const fastest = Math.min(...candidates.map((c) => c.latencyMs));
  const allowed = candidates.filter((c) => options.maxSlowdown === undefined || c.latencyMs <= fastest * options.maxSlowdown);
  const leanest = Math.min(...allowed.map((c) => c.joulesPerInference));
  const w = Math.min(1, Math.max(0, (intensityGPerKWh - LOW_INTENSITY_G) / (HIGH_INTENSITY_G - LOW_INTENSITY_G)));
  const score = (c: T): number => (1 - w) * (c.latencyMs / fastest) + w * (leanest > 0 ? c.joulesPerInference / leanest : 1);
  const chosen = allowed.reduce((best, c) => (score(c) < score(best) ? c : best));
  const g = (chosen.joulesPerInference / JOULES_PER_KWH) * intensityGPerKWh;
  const mood = w >= 0.5 ? 'the grid is carbon-intensive, so energy weighs more than speed' : 'the grid is fairly clean, so speed weighs more than energy';
  return {
    chosen,
    energyWeight: w,
    gCo2ePerInference: g,
    reason: `At ${Math.round(intensityGPerKWh)} g CO2e/kWh ${mood}: ${chosen.label} (${chosen.latencyMs.toFixed(3)} ms, ${(chosen.joulesPerInference * 1000).toFixed(3)} mJ per inference).`,
  };
}

export interface GreenWindow {
  readonly from: string;
  readonly to: string;
  readonly meanGPerKWh: number;
  /** How much lower than starting at the first forecast point, 0..1. */
  readonly savingVsNow: number;
}

/** Time-weighted mean intensity over [startMs, startMs + lengthMs) from sorted points; undefined if not covered. */
function meanOver(points: readonly { fromMs: number; toMs: number; g: number }[], startMs: number, lengthMs: number): number | undefined {
  const endMs = startMs + lengthMs;
  let covered = 0;
  let weighted = 0;
  for (const p of points) {
    const overlap = Math.min(endMs, p.toMs) - Math.max(startMs, p.fromMs);
    if (overlap > 0) {
      covered += overlap;
      weighted += overlap * p.g;
    }
  }
  return covered >= lengthMs - 1 ? weighted / covered : undefined;
}

/** The window of `durationMinutes` with the lowest mean intensity, starting at a forecast point boundary. */
export function greenestWindow(forecast: readonly IntensityPoint[], durationMinutes: number): GreenWindow | undefined {
  const points = forecast
    .map((p) => ({ fromMs: Date.parse(p.from), toMs: Date.parse(p.to), g: p.gPerKWh }))
    .filter((p) => Number.isFinite(p.fromMs) && p.toMs > p.fromMs)
    .sort((a, b) => a.fromMs - b.fromMs);
  const lengthMs = durationMinutes * 60_000;
  if (points.length === 0 || !(lengthMs > 0)) return undefined;
  const nowMean = meanOver(points, points[0]!.fromMs, lengthMs);
  let best: { start: number; mean: number } | undefined;
  for (const p of points) {
    const mean = meanOver(points, p.fromMs, lengthMs);
    if (mean !== undefined && (best === undefined || mean < best.mean)) best = { start: p.fromMs, mean };
  }
  if (!best) return undefined;
  return {
    from: new Date(best.start).toISOString(),
    to: new Date(best.start + lengthMs).toISOString(),
    meanGPerKWh: best.mean,
    savingVsNow: nowMean !== undefined && nowMean > 0 ? 1 - best.mean / nowMean : 0,
  };
}

export interface ResolvedIntensity {
  readonly gPerKWh: number;
  readonly source: 'live' | 'table';
  readonly attribution: string;
  readonly note?: string;
}

/** Live intensity when configured and reachable; the shipped table (region or world) otherwise, saying why. */
export async function currentGridIntensity(options: { live?: LiveIntensityConfig; region?: string } = {}): Promise<ResolvedIntensity> {
  let note: string | undefined;
  if (options.live?.networkEnabled) {
    try {
      const live = await fetchCurrentIntensity(options.live);
      return { gPerKWh: live.gPerKWh, source: 'live', attribution: live.attribution };
    } catch (e) {
      note = `Live intensity unavailable (${(e as Error).message}); using the table.`;
    }
  }
  const wanted = findGridRegion(options.region ?? DEFAULT_GRID_REGION);
  if (!wanted) note = `${note ? `${note} ` : ''}Unknown grid region "${options.region ?? ''}"; using the world average.`;
  const region = wanted ?? findGridRegion(DEFAULT_GRID_REGION);
  if (!region) throw new RangeError('the grid intensity table has no world entry');
  return {
    gPerKWh: region.gPerKWh,
    source: 'table',
    attribution: `${GRID_INTENSITY_ATTRIBUTION}; ${region.name} ${region.year}`,
    ...(note ? { note } : {}),
  };
}
