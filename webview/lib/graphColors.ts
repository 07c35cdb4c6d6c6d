// What the Graph view colours nodes by, and the colour scales. Pure (tested under node); the theme
// colours come in as parameters.
import type { LayerAnalysis } from '../../src/core/energy/analysis';
import type { MeasuredOverlay } from '../../src/core/protocol';
import type { GraphModel } from './graphModel';

export type ColorMode = 'energy' | 'compute' | 'data' | 'measured' | 'ratio';

export const COLOR_MODES: readonly { readonly value: ColorMode; readonly label: string; readonly measured: boolean }[] = [
  { value: 'energy', label: 'Energy (estimated)', measured: false },
  { value: 'compute', label: 'Compute energy (estimated)', measured: false },
  { value: 'data', label: 'Data-movement energy (estimated)', measured: false },
  { value: 'measured', label: 'Time (measured)', measured: true },
  { value: 'ratio', label: 'Estimate ÷ measured time', measured: true },
];

/** The diverging scale saturates at 8× (log2 = ±3). */
const RATIO_LOG2_LIMIT = 3;

/**
 * Per-layer measured and estimated times from a benchmark, by layer name. A name can come twice (a
 * layer row with its estimate, and a profiled node of the same name the run did not map): merged.
 */
export function measuredByName(m: MeasuredOverlay | undefined): Map<string, { measuredMs?: number; estimatedMs?: number }> {
  const out = new Map<string, { measuredMs?: number; estimatedMs?: number }>();
  for (const l of m?.layers ?? []) {
    const old = out.get(l.name);
    const measuredMs = l.measuredMs ?? old?.measuredMs;
    const estimatedMs = l.estimatedMs ?? old?.estimatedMs;
    out.set(l.name, { ...(measuredMs !== undefined ? { measuredMs } : {}), ...(estimatedMs !== undefined ? { estimatedMs } : {}) });
  }
  return out;
}

/**
 * Each node's value in a mode: joules for the energy modes, ms measured for 'measured', and the
 * estimated ÷ measured time for 'ratio'. NaN where the node has no value (not measured).
 */
export function nodeValues(mode: ColorMode, model: GraphModel, layers: readonly LayerAnalysis[], measured: Map<string, { measuredMs?: number; estimatedMs?: number }>): Float64Array {
  const out = new Float64Array(model.nodes.length);
  model.nodes.forEach((node, i) => {
    let a = 0;
    let b = 0;
    let seen = false;
    for (const l of node.layers) {
      const layer = layers[l]!;
      const e = layer.energy;
      if (mode === 'energy') a += e.totalJ;
      else if (mode === 'compute') a += e.computeJ;
      else if (mode === 'data') a += e.onChipJ + e.offChipJ;
      else {
        const m = measured.get(layer.name);
        if (m?.measuredMs === undefined) continue;
        seen = true;
        a += m.measuredMs;
        b += m.estimatedMs ?? layer.latencyS * 1e3;
      }
    }
    if (mode === 'measured') out[i] = seen ? a : NaN;
    else if (mode === 'ratio') out[i] = seen && a > 0 && b > 0 ? b / a : NaN;
    else out[i] = a;
  });
  return out;
}

/** Each node's estimated time in ms (the benchmark's estimate where it has one, else the analysis'). */
export function estimatedTimes(model: GraphModel, layers: readonly LayerAnalysis[], measured: Map<string, { measuredMs?: number; estimatedMs?: number }>): Float64Array {
  return Float64Array.from(model.nodes, (node) => node.layers.reduce((s, l) => s + (measured.get(layers[l]!.name)?.estimatedMs ?? layers[l]!.latencyS * 1e3), 0));
}

/**
 * Position on the scale: 0..1 as the square root of the share of the top node's value (a tenth of
 * the top is 0.32, a hundredth 0.1: costly blocks stand out, cheap ones stay told apart from zero),
 * or -1..1 for 'ratio' (log2 of estimate ÷ measured, full at 8×). NaN kept.
 */
export function scaleValues(mode: ColorMode, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  if (mode === 'ratio') {
    values.forEach((v, i) => (out[i] = Number.isNaN(v) ? NaN : Math.max(-1, Math.min(1, Math.log2(v) / RATIO_LOG2_LIMIT))));
    return out;
  }
  let max = 0;
  for (const v of values) if (v > max) max = v;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) out[i] = NaN;
    else out[i] = v > 0 && max > 0 ? Math.sqrt(v / max) : 0;
  });
  return out;
}

export type Rgb = readonly [number, number, number];

/** Parses the colours themes give (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()); alpha is dropped. */
export function parseColor(css: string): Rgb | undefined {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(s)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(s);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function along(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  return mix(stops[k]!, stops[k + 1]!, x - k);
}

/** Yellow to red: cheap nodes fade into the theme's neutral box colour, costly ones stand out. */
const HEAT: readonly Rgb[] = [[249, 208, 87], [242, 158, 46], [231, 104, 24], [215, 25, 28]];
const COLD: Rgb = [44, 123, 182];
const HOT: Rgb = [215, 25, 28];

/** The fill of a node at scale position t (see scaleValues), over the theme's neutral box colour. */
export function fillFor(mode: ColorMode, t: number, neutral: Rgb): Rgb {
  if (Number.isNaN(t)) return neutral;
  if (mode === 'ratio') return mix(neutral, t < 0 ? COLD : HOT, Math.min(1, Math.abs(t)));
  return mix(neutral, along(HEAT, t), 0.15 + 0.85 * t);
}

/** Relative luminance (WCAG) of an sRGB colour. */
export function luminance(c: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

/** Black or white text, whichever contrasts more with the fill. */
export function textOn(fill: Rgb): string {
  const l = luminance(fill);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

export function css(c: Rgb): string {
  return `rgb(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])})`;
}

/** Edge widths in px at zoom 1: 1 px for the smallest tensors up to 7 px for the largest (square root of bytes). */
export function edgeWidths(model: GraphModel): Float32Array {
  let max = 0;
  for (const e of model.edges) if (e.bytes > max) max = e.bytes;
  return Float32Array.from(model.edges, (e) => (max > 0 ? 1 + 6 * Math.sqrt(e.bytes / max) : 1));
}
