/**
 * Which profile a benchmark's estimates come from, so a benchmark compares like with like: the one
 * the user names; else the calibrated profile of this machine when there is one (its power model then
 * also makes the energy estimate when no counter is readable); else the default profile, with a note
 * that it is not this machine.
 */
import type { MachinePowerModel } from '../bench/energy/estimate';
import type { HardwareProfile } from '../energy/profileSchema';
import { CALIBRATED_PROFILE_ID } from './calibratedProfile';

export interface BenchProfileChoice {
  /** Profile for the estimates beside the measurement; undefined: the default profile. */
  readonly profileId?: string;
  readonly machine?: MachinePowerModel;
  /** Said to the user when the estimates are not on a profile of this machine. */
  readonly note?: string;
}

export function benchProfileChoice(profiles: readonly HardwareProfile[], named: string | undefined, defaultId: string): BenchProfileChoice {
  const calibrated = profiles.find((p) => p.id === CALIBRATED_PROFILE_ID);
  const machine: MachinePowerModel | undefined = calibrated && {
    profileId: calibrated.id,
    idleW: calibrated.idlePowerW.value,
    busyW: calibrated.maxPowerW.value,
    busyMeasured: calibrated.maxPowerW.source === 'calibration',
  };
  if (named !== undefined && named !== CALIBRATED_PROFILE_ID) {
    return { profileId: named, ...(machine ? { machine } : {}), note: `Estimates beside the measurement are on the '${named}' profile, not on this machine's.` };
  }
  if (calibrated) return { profileId: calibrated.id, ...(machine ? { machine } : {}) };
  return {
    ...(named === undefined ? {} : { profileId: named }),
    note: `No profile of this machine: estimates beside the measurement are on '${named ?? defaultId}'. Run \`joule calibrate\` (palette: Joule: Calibrate This Machine) to compare like with like.`,
  };
}
