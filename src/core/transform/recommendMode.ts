/** The quantization mode a model's target rewards, read from the model file and a profile. */
import { resolveProfile } from '../pipeline/settings';
import type { HardwareProfile } from '../energy/profileSchema';
import { openModel } from './io/openModel';
import { convWeightShare, expectedSpeed, kernelFacts, type KernelSpeed, type ModeRecommendation, recommendQuantizeMode } from './targetKernels';
import { QUANTIZE_MODE_IDS } from '../actions/modes';
import type { QuantizeMode } from './types';

export interface ModelModeAdvice extends ModeRecommendation {
  readonly profile: string;
  /** Expected latency change of every mode on the profile, for pickers. */
  readonly perMode: Readonly<Record<QuantizeMode, KernelSpeed>>;
  readonly basis: string;
}

export function recommendForModel(file: string, profile: { profileId?: string; profile?: HardwareProfile; userProfilesDir?: string } = {}): ModelModeAdvice {
  const opened = openModel(file);
  let share: number;
  try {
    share = convWeightShare(opened.working());
  } finally {
    opened.close();
  }
  const resolved = resolveProfile(profile).profile;
  const facts = kernelFacts(resolved);
  const modes = QUANTIZE_MODE_IDS;
  const perMode = Object.fromEntries(modes.map((m) => [m, expectedSpeed(m, share, facts)])) as Record<QuantizeMode, KernelSpeed>;
  return { ...recommendQuantizeMode(share, facts), profile: resolved.id, perMode, basis: facts.basis };
}
