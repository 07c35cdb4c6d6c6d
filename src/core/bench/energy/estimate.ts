/**
 * The fallback when no counter can be read: CodeCarbon's CPU model. Power = max(TDP × load,
 * 0.1 × TDP), where load is the benchmark's CPU time over the wall time of all logical cores, and the
 * TDP comes from the hardware profile (85 W when unknown). Always labelled an estimate.
 */
import * as os from 'node:os';
import type { EnergyMeter, MeterReading, MeterStopContext } from './types';

export const UNKNOWN_TDP_W = 85;
/** CodeCarbon's floor: an idle CPU still draws about a tenth of its TDP. */
export const IDLE_FRACTION = 0.1;

/** Estimated average power in watts for a CPU of `tdpW` at `load` (0..1, clamped). */
export function estimatedCpuPowerW(tdpW: number, load: number): number {
  const clamped = Math.min(1, Math.max(0, load));
  return Math.max(tdpW * clamped, IDLE_FRACTION * tdpW);
}

export class EstimateMeter implements EnergyMeter {
  readonly source = 'estimate' as const;
  readonly kind = 'estimated' as const;
  readonly scope = 'process';

  constructor(
    private readonly tdpW?: number,
    private readonly logicalCores = os.cpus().length || 1,
  ) {}

  async start(): Promise<void> {
    // Nothing to read: the estimate comes from CPU time reported at stop.
  }

  async stop(context: MeterStopContext): Promise<MeterReading> {
    const tdp = this.tdpW ?? UNKNOWN_TDP_W;
    const load = context.wallS > 0 ? context.cpuTimeS / (context.wallS * this.logicalCores) : 0;
    const powerW = estimatedCpuPowerW(tdp, load);
    const notes = [
      `Estimated as max(TDP × load, ${IDLE_FRACTION} × TDP) with TDP ${tdp} W` +
        `${this.tdpW === undefined ? ' (unknown CPU: the 85 W default)' : ''} and load ${(Math.min(1, load) * 100).toFixed(1)}% ` +
        `of ${this.logicalCores} logical cores (CodeCarbon's method).`,
    ];
    return { joules: powerW * context.wallS, domains: [{ name: 'cpu', joules: powerW * context.wallS }], notes };
  }

  abort(): void {
    // Nothing running.
  }
}
