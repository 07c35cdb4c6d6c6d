/**
 * Estimated energy per inference before and after a transform, from the project's analysis pipeline
 * (cost rules + energy model) on the requested hardware profile. Operators the cost rules do not know
 * (contrib quantized ops, for instance) are named in the note, never silently counted as zero.
 */
import { analyzeFile } from '../../pipeline/modelFile';
import type { Analysis } from '../../energy/analysis';
import type { HardwareProfile } from '../../energy/profileSchema';

export interface EnergyComparison {
  readonly energyJ?: { readonly before: number; readonly after: number; readonly profile: string };
  readonly energyNote?: string;
}

function unknownNote(label: string, a: Analysis): string | undefined {
  if (a.unknownOps.length === 0) return undefined;
  return `${label} has ops of unknown cost (${a.unknownOps.map((u) => `${u.domain ? `${u.domain}.` : ''}${u.opType} x${u.count}`).join(', ')}), so its estimate leaves them out`;
}

export function compareEnergy(original: string, result: string, profile: { profileId?: string; profile?: HardwareProfile }): EnergyComparison {
  try {
    const before = analyzeFile(original, profile);
    const after = analyzeFile(result, profile);
    const notes = [unknownNote('the original', before), unknownNote('the result', after)].filter(Boolean);
    return {
      energyJ: { before: before.totals.per1k.energyJ / 1000, after: after.totals.per1k.energyJ / 1000, profile: before.profile.id },
      ...(notes.length ? { energyNote: `Estimated on ${before.profile.id}; ${notes.join('; ')}.` } : {}),
    };
  } catch (e) {
    return { energyNote: `No energy estimate: ${e instanceof Error ? e.message : String(e)}` };
  }
}
