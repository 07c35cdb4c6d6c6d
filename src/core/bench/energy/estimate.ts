/**
 * The fallback when no counter can be read. With a calibrated profile of this machine, its power
 * model: idle + (busy - idle) × load. Otherwise CodeCarbon's CPU model: power = max(TDP × load,
 * 0.1 × TDP), with the TDP from the hardware profile (85 W when unknown). Load is the benchmark's CPU
 * time over the wall time of all logical cores. Always labelled an estimate, saying which model made it.
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

/** Idle and busy power of this machine from its calibrated profile (`joule calibrate`). */
export interface MachinePowerModel {
  readonly profileId: string;
  readonly idleW: number;
  readonly busyW: number;
  /** Whether busy power was measured by a counter during calibration (else the reference profile's). */
  readonly busyMeasured: boolean;
}

export class EstimateMeter implements EnergyMeter {
  readonly source = 'estimate' as const;
  readonly kind = 'estimated' as const;
  readonly scope = 'process';

  constructor(
    private readonly tdpW?: number,
    private readonly logicalCores = os.cpus().length || 1,
    private readonly machine?: MachinePowerModel,
  ) {}

  async start(): Promise<void> {
    // Nothing to read: the estimate comes from CPU time reported at stop.
  }

  async stop(context: MeterStopContext): Promise<MeterReading> {
    const load = context.wallS > 0 ? context.cpuTimeS / (context.wallS * this.logicalCores) : 0;
    const m = this.machine;
    if (m !== undefined && this.tdpW === undefined) {
      const powerW = m.idleW + (m.busyW - m.idleW) * Math.min(1, Math.max(0, load));
      const notes = [
        `Estimated with the calibrated profile '${m.profileId}': idle ${m.idleW} W + (busy ${m.busyW} W - idle) × load ${(Math.min(1, load) * 100).toFixed(1)}% ` +
          `of ${this.logicalCores} logical cores, over the measured time (busy power ${m.busyMeasured ? 'measured at calibration' : 'not measurable at calibration: from a reference profile, approximate'}).`,
      ];
      return { joules: powerW * context.wallS, domains: [{ name: 'cpu', joules: powerW * context.wallS }], notes };
    }
    const tdp = this.tdpW ?? UNKNOWN_TDP_W;
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
