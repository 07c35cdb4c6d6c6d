/**
 * The uncertainty band every estimate carries (docs/validation.md, "Uncertainty bands"). A band is a
 * multiplicative factor f = exp(logError): low = value / f, high = value × f, the same width for
 * energy and latency, for the totals and for each layer.
 *
 * Where the width comes from, in order:
 * 1. A calibrated profile (`joule calibrate`) with a `fitError`: its measured error against a
 *    benchmark on this machine (`joule bench --fit` writes it).
 * 2. A calibrated profile without one: CALIBRATED_DEFAULT_LOG_ERROR (1.5×, the accuracy target;
 *    calibration measures rates, not a whole model, until a benchmark is fitted).
 * 3. A datasheet profile whose kind has validation rows: the largest |ln(estimated / measured)| of
 *    that kind's energy rows in test/validation/published.json, as published in docs/validation.md
 *    (the validation suite fails when a row's error leaves its kind's band).
 * 4. Any other profile: UNVALIDATED_LOG_ERROR (2×), wider because nothing checked it.
 */
import type { HardwareProfile, ProfileKind } from './profileSchema';

/** A value's low and high ends. */
export interface Band {
  readonly low: number;
  readonly high: number;
}

export interface Uncertainty {
  /** Half-width of the band in natural log: the band is [value / e^logError, value × e^logError]. */
  readonly logError: number;
  /** What the width comes from, for people ("measured fit error of this-machine, 2026-12-05"). */
  readonly basis: string;
}

/** ln(1.5): a calibrated profile no benchmark has been fitted to yet. */
export const CALIBRATED_DEFAULT_LOG_ERROR = Math.log(1.5);
/** ln(2): a profile kind with no published measurement in the validation suite. */
export const UNVALIDATED_LOG_ERROR = Math.log(2);

/**
 * Largest |log error| of the validation suite's energy rows per profile kind (docs/validation.md,
 * "Current errors"): gpu 0.365 (ResNet-50 on A100), mcu 0.387 (VWW on the Cortex-M4F profile),
 * dataflow-asic 0.266 (Eyeriss AlexNet energy), rounded up to two decimals.
 */
export const VALIDATION_LOG_ERROR: Readonly<Partial<Record<ProfileKind, number>>> = {
  gpu: 0.37,
  mcu: 0.39,
  'dataflow-asic': 0.27,
};

/** A calibrated profile: its rates are measured on this machine (`joule calibrate`). */
export function isCalibrated(profile: HardwareProfile): boolean {
  return profile.sources['calibration'] !== undefined && profile.peakOpsPerS.fp32?.source === 'calibration';
}

export function profileUncertainty(profile: HardwareProfile): Uncertainty {
  if (isCalibrated(profile)) {
    if (profile.fitError !== undefined) {
      return { logError: profile.fitError.value, basis: `measured fit error of ${profile.id} (${profile.fitError.note ?? 'joule bench --fit'})` };
    }
    return { logError: CALIBRATED_DEFAULT_LOG_ERROR, basis: `${profile.id} is calibrated but not fitted to a benchmark: default ±1.5× (run joule bench MODEL --fit)` };
  }
  const validated = VALIDATION_LOG_ERROR[profile.kind];
  if (validated !== undefined) return { logError: validated, basis: `largest validation error of ${profile.kind} profiles (docs/validation.md)` };
  return { logError: UNVALIDATED_LOG_ERROR, basis: `no published measurement validates ${profile.kind} profiles: default ±2×` };
}

export function band(value: number, logError: number): Band {
  const f = Math.exp(logError);
  // high first: the JSON's key order (alphabetical), so reports need no reordered copy.
  return { high: value * f, low: value / f };
}

/** The band's width as people read it: a factor of 1.45 either way is "±45%" (low end value / 1.45). */
export function formatBandFactor(logError: number): string {
  return `±${Math.round((Math.exp(logError) - 1) * 100)}%`;
}
