/**
 * The promise made before a quantization (faster or slower on the selected profile, from the target's
 * kernel facts) checked against the latency verification measured. Latency is measured on this
 * machine's CPU, so the check is only made for CPU profiles; other targets say it was not checked.
 */
import { resolveProfile } from '../../pipeline/settings';
import { expectedSpeed, kernelFacts, promiseHeld } from '../targetKernels';
import type { QuantizeSpec, TransformRequest, Verification } from '../types';

export function checkExpectation(spec: QuantizeSpec, request: TransformRequest, convShare: number, v: Verification): NonNullable<Verification['expectation']> | undefined {
  let profile;
  try {
    profile = resolveProfile(request.energyProfile ?? {}).profile;
  } catch {
    return undefined;
  }
  const facts = kernelFacts(profile);
  const expected = expectedSpeed(spec.mode, convShare, facts);
  const word = expected === 'fast' ? 'faster' : expected === 'slow' ? 'slower' : 'no change we can predict';
  const promise = `Expected ${word} on ${profile.id} (${facts.basis})`;
  if (!v.latencyMs) return { profile: profile.id, expected, text: `${promise}; latency was not measured.` };
  if (profile.kind !== 'cpu') return { profile: profile.id, expected, text: `${promise}; latency was measured on this machine's CPU, not on ${profile.id}, so the promise is not checked.` };
  const held = promiseHeld(expected, v.latencyMs.speedup);
  const measured = v.latencyMs.speedup >= 1 ? `${v.latencyMs.speedup.toFixed(2)}× faster` : `${(1 / v.latencyMs.speedup).toFixed(2)}× slower`;
  const verdict = held === undefined ? '' : held ? ': the promise held' : ': the promise did NOT hold';
  return { profile: profile.id, expected, ...(held !== undefined ? { held } : {}), text: `${promise}; measured ${measured} on this CPU${verdict}.` };
}
