/**
 * The part of "benchmark this model" both front ends share: which profile the estimates beside the
 * measurement come from (this machine's when calibrated), that estimate, the modelled power-cap
 * curve, and the benchmark options that let the measured kernels be mapped back to the estimated
 * layers. The CLI and the extension then run the benchmark their own way (progress, cancel, output).
 */
import type { BenchOptions } from '../bench/types';
import { benchProfileChoice } from '../calibrate/benchProfile';
import type { Analysis } from '../energy/analysis';
import { powerCapSweep, type PowerCapPoint } from '../energy/powerCap';
import type { HardwareProfile } from '../energy/profileSchema';

/** Steps of the modelled power-cap curve drawn beside a measured sweep. */
export const MODELLED_CAP_STEPS = 8;

export interface BenchmarkEstimateRequest {
  readonly bench: BenchOptions;
  /** Shipped and user profiles: a calibrated `this-machine` among them is preferred. */
  readonly profiles: readonly HardwareProfile[];
  /** The profile the user named for this benchmark, if any. */
  readonly namedProfileId?: string;
  /** The profile used when neither a name nor a calibration says otherwise. */
  readonly defaultProfileId: string;
  /** The model's analysis on a profile, by the front end's own pipeline (in-process, or a worker). */
  analyze(profileId: string): Analysis | Promise<Analysis>;
}

export interface PreparedBenchmark {
  /** What to run: the calibrated power model for the energy estimate, the layer names for the mapping. */
  readonly bench: BenchOptions;
  readonly profileId: string;
  readonly analysis?: Analysis;
  readonly modelledCaps: readonly PowerCapPoint[];
  /** For the user when the estimates are not on a profile of this machine. */
  readonly profileNote?: string;
  /** For the user when there is no estimate beside the measurement, and why. */
  readonly estimateNote?: string;
}

export async function prepareBenchmark(request: BenchmarkEstimateRequest): Promise<PreparedBenchmark> {
  const choice = benchProfileChoice(request.profiles, request.namedProfileId, request.defaultProfileId);
  const profileId = choice.profileId ?? request.defaultProfileId;
  const withMachine: BenchOptions = choice.machine ? { ...request.bench, energy: { ...request.bench.energy, machine: choice.machine } } : request.bench;
  let analysis: Analysis | undefined;
  let estimateNote: string | undefined;
  let modelledCaps: readonly PowerCapPoint[] = [];
  try {
    analysis = await request.analyze(profileId);
  } catch (e) {
    estimateNote = `No estimate beside the measurement: ${e instanceof Error ? e.message : String(e)}`;
  }
  const profile = request.profiles.find((p) => p.id === profileId);
  if (analysis && profile) {
    try {
      modelledCaps = powerCapSweep(analysis, profile, { steps: MODELLED_CAP_STEPS });
    } catch {
      // A profile without a power model has no curve to draw; the measured sweep stands alone.
    }
  }
  return {
    bench: analysis ? { ...withMachine, layerNames: analysis.layers.map((l) => l.name) } : withMachine,
    profileId,
    ...(analysis ? { analysis } : {}),
    modelledCaps,
    ...(choice.note ? { profileNote: choice.note } : {}),
    ...(estimateNote ? { estimateNote } : {}),
  };
}
