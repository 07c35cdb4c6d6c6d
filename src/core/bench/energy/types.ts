/**
 * Energy meters. A meter is started just before the measured runs and stopped right after; what it
 * returns says where the number comes from (`source`) and whether it was measured or estimated, and
 * `notes` explain why a better meter was not used (ENERGY-DATA.md, "Measuring energy in software").
 */

export type EnergySource = 'rapl' | 'nvml' | 'powermetrics' | 'estimate';

export interface EnergyDomain {
  readonly name: string;
  readonly joules: number;
}

export interface EnergyMeasurement {
  /** Energy over the measured phase, joules. */
  readonly joules: number;
  /** `joules` divided by the measured inferences. */
  readonly joulesPerInference: number;
  readonly averagePowerW: number;
  readonly durationS: number;
  readonly source: EnergySource;
  readonly kind: 'measured' | 'estimated';
  /** What the meter covers: 'cpu-package' (RAPL: the whole socket, other processes included), 'gpu', 'process'. */
  readonly scope: string;
  readonly domains: readonly EnergyDomain[];
  /** Why this source was chosen and better ones were not, plus caveats. */
  readonly notes: readonly string[];
}

/** What the runner knows when the meter stops; estimates need it, counters ignore it. */
export interface MeterStopContext {
  readonly wallS: number;
  /** CPU time (user + system) the benchmark process used while measured. */
  readonly cpuTimeS: number;
  readonly inferences: number;
}

export interface MeterReading {
  readonly joules: number;
  readonly domains: readonly EnergyDomain[];
  readonly notes: readonly string[];
}

export interface EnergyMeter {
  readonly source: EnergySource;
  readonly kind: 'measured' | 'estimated';
  readonly scope: string;
  /** Optional: begin sampling early (before warm-up), so the first samples exist when timing starts. */
  prepare?(): Promise<void>;
  start(): Promise<void>;
  stop(context: MeterStopContext): Promise<MeterReading>;
  /** Stops sampling without a reading (the run failed). Never throws. */
  abort(): void;
}

export function toMeasurement(meter: EnergyMeter, reading: MeterReading, context: MeterStopContext, selectionNotes: readonly string[]): EnergyMeasurement {
  return {
    joules: reading.joules,
    joulesPerInference: context.inferences > 0 ? reading.joules / context.inferences : 0,
    averagePowerW: context.wallS > 0 ? reading.joules / context.wallS : 0,
    durationS: context.wallS,
    source: meter.source,
    kind: meter.kind,
    scope: meter.scope,
    domains: reading.domains,
    notes: [...selectionNotes, ...reading.notes],
  };
}
