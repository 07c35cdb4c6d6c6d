/**
 * A power-cap sweep with its carbon-aware advice, as plain text for the terminal: measured points
 * (labelled measured/estimated energy), the modelled curve, caps that could not be applied and why,
 * and the recommended cap for the grid's intensity.
 */
import { recommendCap, type CapRecommendation, type ResolvedIntensity } from './carbon/carbonAware';
import type { CapSetting, MeasuredCapPoint, PowerCapSweepResult } from './capSweep';

export function capLabel(cap: CapSetting): string {
  switch (cap.kind) {
    case 'threads': return `${cap.threads} thread${cap.threads === 1 ? '' : 's'}`;
    case 'cpu-frequency': return `CPU ≤ ${(cap.maxKHz / 1e6).toFixed(2)} GHz`;
    case 'gpu-power': return `GPU ≤ ${cap.watts} W`;
  }
}

export type LabelledPoint = MeasuredCapPoint & { readonly label: string; readonly latencyMs: number };

export interface SweepAdvice {
  readonly intensity: ResolvedIntensity;
  readonly recommendation?: CapRecommendation<LabelledPoint>;
}

export function adviseOnSweep(sweep: PowerCapSweepResult, intensity: ResolvedIntensity, maxSlowdown?: number): SweepAdvice {
  const points: LabelledPoint[] = sweep.measured.map((p) => ({ ...p, label: capLabel(p.cap), latencyMs: p.latencyP50Ms }));
  if (points.length === 0) return { intensity };
  return { intensity, recommendation: recommendCap(points, intensity.gPerKWh, maxSlowdown === undefined ? {} : { maxSlowdown }) };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

export function renderSweep(sweep: PowerCapSweepResult, advice: SweepAdvice): string {
  const rows = [['cap', 'p50 latency', 'throughput', 'energy / inference', 'energy kind']];
  for (const p of sweep.measured) {
    rows.push([capLabel(p.cap), `${p.latencyP50Ms.toFixed(3)} ms`, `${p.throughputPerS.toFixed(1)} /s`, `${(p.joulesPerInference * 1000).toFixed(3)} mJ`, `${p.energyKind} (${p.energySource})`]);
  }
  let text = `Power-cap sweep (latency measured):\n${table(rows)}`;
  if (sweep.modelled.length > 0) {
    const modelled = [['power cap', 'latency', 'energy / inference']];
    for (const m of sweep.modelled) modelled.push([`${m.capW.toFixed(1)} W`, `${(m.latencyS * 1000).toFixed(3)} ms`, `${(m.energyJ * 1000).toFixed(3)} mJ`]);
    text += `\nModelled curve (estimated by the energy model):\n${table(modelled)}`;
  }
  for (const u of sweep.unavailable) text += `\nNot applied: ${u.kind}: ${u.reason}`;
  if (sweep.unavailable.length > 0) text += '\n';
  const i = advice.intensity;
  text += `\nGrid: ${Math.round(i.gPerKWh)} g CO2e/kWh (${i.source === 'live' ? 'live' : 'table'}: ${i.attribution})${i.note ? `; ${i.note}` : ''}\n`;
  if (advice.recommendation) {
    const r = advice.recommendation;
    text += `Recommended: ${r.chosen.label}. ${r.reason} ${(r.gCo2ePerInference * 1e3).toFixed(4)} mg CO2e per inference.\n`;
  }
  if (sweep.notes.length > 0) text += `\nNotes:\n${sweep.notes.map((n) => `- ${n}`).join('\n')}\n`;
  return text;
}
