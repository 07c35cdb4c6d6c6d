/**
 * Verification after a transform: the original and the result run in onnxruntime on the same seeded
 * inputs; output agreement, median latency, file sizes and MACs are reported, with plain notes when
 * the result is slower or less accurate than one would hope. A result that does not load throws.
 */
import * as fs from 'node:fs';
import { type CancellationSignal, throwIfCancelled } from '../../errors';
import type { HardwareProfile } from '../../energy/profileSchema';
import type { ByteSource } from '../../io/byteSource';
import type { Verification } from '../types';
import type { WorkingModel } from '../workingModel';
import { AccuracyAccumulator } from './accuracy';
import { AgreementAccumulator } from './compare';
import type { Feeds } from './feeds';
import { compareEnergy } from './energyEstimate';
import { measureMacs } from './measureMacs';
import { OrtSession } from './ortRunner';

export interface VerifyInput {
  readonly originalPath: string;
  readonly resultPath: string;
  readonly original: WorkingModel;
  readonly originalSource: ByteSource;
  readonly result: WorkingModel;
  readonly resultSource: ByteSource;
  readonly feeds: readonly Feeds[];
  readonly latencyRuns: number;
  /** Where the feeds came from; with labels (one per row), accuracy is measured too. */
  readonly source: Verification['inputs'];
  readonly labels?: readonly number[];
  /** Hardware profile of the energy estimate (default: the analysis default profile). */
  readonly energyProfile?: { readonly profileId?: string; readonly profile?: HardwareProfile };
  readonly signal?: CancellationSignal;
}

export async function verifyModels(input: VerifyInput): Promise<Verification> {
  const before = await OrtSession.open(input.originalPath, 'the original model');
  let after: OrtSession | undefined;
  try {
    after = await OrtSession.open(input.resultPath, 'the transformed model');
    const agreement = new AgreementAccumulator();
    const accuracy = input.labels ? new AccuracyAccumulator(input.labels) : undefined;
    const resultFeeds = input.feeds.map((f) => feedsFor(input.result, f));
    for (let i = 0; i < input.feeds.length; i++) {
      throwIfCancelled(input.signal);
      const a = await before.run(input.feeds[i]!);
      const b = await after.run(resultFeeds[i]!);
      agreement.add(a.values, b.values, a.dims);
      accuracy?.add(a.values, b.values, a.dims);
    }
    const result = agreement.result();
    const notes: string[] = [];
    let latencyMs: Verification['latencyMs'];
    if (input.latencyRuns > 0) {
      throwIfCancelled(input.signal);
      // Alternate the two models so drifting machine load hurts both alike.
      const t: { before: number[]; after: number[] } = { before: [], after: [] };
      const rounds = input.latencyRuns >= 20 ? 5 : 3;
      for (let round = 0; round < rounds; round++) {
        t.before.push(await before.latencyMs(input.feeds[0]!, Math.ceil(input.latencyRuns / rounds)));
        t.after.push(await after.latencyMs(resultFeeds[0]!, Math.ceil(input.latencyRuns / rounds)));
      }
      const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const [b, a] = [median(t.before), median(t.after)];
      latencyMs = { before: b, after: a, speedup: b / a };
      if (a > b * 1.05) notes.push(`The transformed model is slower than the original on this CPU (${a.toFixed(3)} ms vs ${b.toFixed(3)} ms per inference, onnxruntime CPU, measured).`);
    }
    const fileBefore = fs.statSync(input.originalPath).size + externalBytes(input.original);
    const fileAfter = fs.statSync(input.resultPath).size;
    const macsBefore = await measureMacs(input.original, input.originalSource, input.feeds[0]!);
    const macsAfter = await measureMacs(input.result, input.resultSource, resultFeeds[0]!);
    if (!(result.cosine >= 0.99)) notes.push(`Outputs drift: cosine similarity ${result.cosine.toFixed(4)} (below 0.99); consider excluding sensitive layers.`);
    if (result.top1Agreement !== undefined && result.top1Agreement < 1) notes.push(`Top-1 class changed on ${Math.round((1 - result.top1Agreement) * 100)}% of ${result.samples} samples.`);
    const measured = accuracy?.result();
    if (measured && measured.top1.after < measured.top1.before - 0.01) {
      notes.push(`Top-1 accuracy on your labelled data fell from ${(measured.top1.before * 100).toFixed(1)}% to ${(measured.top1.after * 100).toFixed(1)}% (${measured.rows} rows, measured).`);
    }
    const energy = compareEnergy(input.originalPath, input.resultPath, input.energyProfile ?? {});
    return {
      ...result,
      inputs: input.source,
      ...(measured ? { accuracy: measured } : {}),
      ...energy,
      ...(latencyMs ? { latencyMs } : {}),
      fileBytes: { before: fileBefore, after: fileAfter, ratio: fileAfter / fileBefore },
      ...(macsBefore !== undefined && macsAfter !== undefined ? { macs: { before: macsBefore, after: macsAfter, ratio: macsBefore ? macsAfter / macsBefore : 1 } } : {}),
      notes,
    };
  } finally {
    await before.release();
    await after?.release();
  }
}

/** The same inputs in the element types the model declares (float16 inputs after fp16 conversion). */
function feedsFor(wm: WorkingModel, feeds: Feeds): Feeds {
  const out: Feeds = {};
  for (const [name, f] of Object.entries(feeds)) {
    const declared = wm.types.get(name)?.dataType;
    out[name] = declared === 'float16' && f.dataType === 'float32' ? { ...f, dataType: 'float16' } : f;
  }
  return out;
}

/** Bytes of external data files the original model reads its weights from. */
function externalBytes(wm: WorkingModel): number {
  const files = new Set<string>();
  for (const init of wm.initializers.values()) {
    if (init.kind === 'original' && init.ref.location.kind === 'external') files.add(init.ref.location.path);
  }
  let total = 0;
  for (const f of files) {
    try {
      total += fs.statSync(f).size;
    } catch {
      /* missing external file: reading the weights already failed loudly */
    }
  }
  return total;
}
