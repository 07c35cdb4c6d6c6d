/**
 * Human units for reports. Engineering prefixes in steps of 1000 keep columns comparable at a glance
 * (a layer at 3.2 mJ next to one at 410 µJ), and every formatter prints at most 3 significant digits
 * so the table stays narrow; the JSON keeps the exact numbers.
 */

interface Prefix {
  readonly factor: number;
  readonly symbol: string;
}

const SMALL_PREFIXES: readonly Prefix[] = [
  { factor: 1, symbol: '' },
  { factor: 1e-3, symbol: 'm' },
  { factor: 1e-6, symbol: 'µ' },
  { factor: 1e-9, symbol: 'n' },
  { factor: 1e-12, symbol: 'p' },
];

const LARGE_PREFIXES: readonly Prefix[] = [
  { factor: 1e12, symbol: 'T' },
  { factor: 1e9, symbol: 'G' },
  { factor: 1e6, symbol: 'M' },
  { factor: 1e3, symbol: 'k' },
  { factor: 1, symbol: '' },
];

/** Three significant digits without exponent notation: 1.23, 12.3, 123. */
export function threeDigits(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return trimZeros(value.toFixed(1));
  if (abs >= 1) return trimZeros(value.toFixed(2));
  return trimZeros(value.toPrecision(3));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Picks the largest prefix that keeps the scaled value at or above 1 (rounding up to 1000 moves on). */
function withPrefix(value: number, unit: string, prefixes: readonly Prefix[]): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`.trim();
  if (value === 0) return `0 ${unit}`.trim();
  const abs = Math.abs(value);
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i]!;
    const scaled = abs / prefix.factor;
    if (scaled >= 1 || i === prefixes.length - 1) {
      // 999.7 µJ would print as "1000 µJ": promote it to the next larger prefix.
      // (threeDigits prints values from 100 up with toFixed(0), which reaches "1000" exactly from 999.5.)
      if (scaled >= 999.5 && i > 0) {
        const larger = prefixes[i - 1]!;
        return `${threeDigits(Math.sign(value) * (abs / larger.factor))} ${larger.symbol}${unit}`.trim();
      }
      return `${threeDigits(Math.sign(value) * scaled)} ${prefix.symbol}${unit}`.trim();
    }
  }
  return `${value} ${unit}`.trim();
}

/** Joules with pJ/nJ/µJ/mJ/J/kJ. */
export function formatEnergy(joules: number): string {
  if (Math.abs(joules) >= 1000) return `${threeDigits(joules / 1000)} kJ`;
  return withPrefix(joules, 'J', SMALL_PREFIXES);
}

/** Energy in millijoules exactly as `--budget-mj` takes it. */
export function formatMillijoules(joules: number): string {
  // Four significant digits: a budget gate must not print "1 mJ, over the budget of 1 mJ".
  const mj = joules * 1000;
  return `${Number.isFinite(mj) && mj !== 0 ? trimZeros(mj.toPrecision(4)) : String(mj)} mJ`;
}

/** Seconds with ns/µs/ms/s. */
export function formatSeconds(seconds: number): string {
  return withPrefix(seconds, 's', SMALL_PREFIXES);
}

/** Counts (MACs, FLOPs, parameters) with k/M/G/T, no unit: `formatCount(1.81e9) === '1.81 G'`. */
export function formatCount(count: number): string {
  if (Math.abs(count) < 1000) return threeDigits(count);
  return withPrefix(count, '', LARGE_PREFIXES);
}

/** A parameter count as model cards quote it: billions are "B" (6.74 B params), not "G". */
export function formatParams(count: number): string {
  return formatCount(count).replace(/ G$/, ' B');
}

/** Bytes in decimal units (kB, MB, GB), as storage and bandwidth figures are quoted. */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1000) return `${Math.round(bytes)} B`;
  return withPrefix(bytes, 'B', LARGE_PREFIXES);
}

/** Grams of CO2e with µg/mg/g/kg. */
export function formatGrams(grams: number): string {
  if (Math.abs(grams) >= 1000) return `${threeDigits(grams / 1000)} kg`;
  return withPrefix(grams, 'g', SMALL_PREFIXES);
}

/** A share 0..1 as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A tensor shape: `1×3×224×224`, symbolic dimensions by name, unknown ones as `?`. */
export function formatShape(shape: readonly (number | string | undefined)[] | undefined): string {
  if (shape === undefined) return '?';
  if (shape.length === 0) return 'scalar';
  // JSON turns unknown dims into null: they print as ? (data-dependent), never "null".
  return shape.map((d) => (d === undefined || d === null ? '?' : String(d))).join('×');
}

/** Output shapes of a layer, separated by `, `. */
export function formatShapes(shapes: readonly (readonly (number | string | undefined)[] | undefined)[]): string {
  return shapes.map(formatShape).join(', ');
}
