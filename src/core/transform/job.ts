/**
 * One transform from request to verified file, in the calling process (the worker runs this; tests
 * may too): read, calibrate, measure sensitivity, rewrite, write a temp file beside the output,
 * verify both models in onnxruntime, then publish without overwriting. Any failure or cancellation
 * removes the temp file, so nothing is left behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CancellationSignal, throwIfCancelled } from '../errors';
import { applyTransform, defaultMinElements, excludeAllBut, outputSuffix, transformLabel, validateRequest } from './applyTransform';
import { calibrate, calibrationFeeds } from './calibrate';
import { openModel } from './io/openModel';
import { readVerificationData } from './io/verificationData';
import { checkOutputPath, defaultOutputPath, publish, removeQuietly, sweepStaleTemps, tempPathFor } from './io/safeOutput';
import { serializeModel } from './io/serializeModel';
import type { ActivationRange } from './math/calibration';
import { foldBatchNorms } from './rewrite/foldBatchNorm';
import { calibrationTargets } from './rewrite/quantizeStatic';
import { measureSensitivity } from './sensitivity';
import { convWeightShare } from './targetKernels';
import { TransformError } from './transformError';
import type { LayerSensitivity, ProgressCallback, TransformRequest, TransformResult } from './types';
import { generateFeeds, inputSpecs, withGivenInputs } from './verify/feeds';
import { OrtSession, type RunOutputs } from './verify/ortRunner';
import { checkExpectation } from './verify/expectation';
import { verifyModels } from './verify/verifyModels';
import type { WorkingModel } from './workingModel';

export interface JobPaths {
  readonly out: string;
  readonly temp: string;
}

/** Resolves where the result goes (explicit, or a free default name) and its temp file. */
export function resolvePaths(request: TransformRequest): JobPaths {
  const out = request.out ?? defaultOutputPath(request.model, outputSuffix(request.transform));
  checkOutputPath(request.model, out);
  sweepStaleTemps(path.dirname(path.resolve(out)));
  return { out, temp: tempPathFor(out) };
}

export async function runTransformInProcess(
  request: TransformRequest,
  onProgress: ProgressCallback = () => undefined,
  signal?: CancellationSignal,
  paths: JobPaths = resolvePaths(request),
): Promise<TransformResult> {
  validateRequest(request);
  const started = performance.now();
  const timings: { calibrate?: number; sensitivity?: number } = {};
  const progress = (step: Parameters<ProgressCallback>[0]['step'], message: string, fraction: number): void => onProgress({ step, message, fraction });
  progress('read', `Reading ${request.model}`, 0);
  const opened = openModel(request.model);
  try {
    const warnings = [...opened.model.warnings];
    const spec = request.transform;
    const probe = opened.working();
    const exclude = [...(request.exclude ?? []), ...(request.only ? excludeAllBut(probe.nodes, request.only) : [])];
    const inputs = inputSpecs(probe);
    const sampleCount = request.verification?.samples ?? 8;
    // The user's data when given (all of it, labels too), else seeded inputs calibration never sees,
    // with the input values the user gave in place of generated ones.
    const userData = request.verification?.data ? readVerificationData(request.verification.data, inputs, request.verification.preprocess) : undefined;
    const feeds = userData?.feeds ?? Array.from({ length: sampleCount }, (_, i) => withGivenInputs(generateFeeds(inputs, i), request.verification?.inputs));

    let ranges: Map<string, ActivationRange> | undefined;
    if (spec.op === 'quantize' && spec.mode === 'int8-static') {
      throwIfCancelled(signal);
      const calibStart = performance.now();
      const calib = calibrationFeeds(spec, inputs);
      progress('calibrate', `Calibrating on ${calib.feeds.length} inputs (${calib.source})`, 0.1);
      // Calibrate the graph the rewrite will see (BatchNorm folded), so tensor names line up.
      const calibrationModel = opened.working();
      foldBatchNorms(calibrationModel, new Set(exclude));
      const targets = calibrationTargets(calibrationModel, { perChannel: true, symmetric: true, exclude, minElements: request.minElements ?? defaultMinElements(spec) });
      ranges = await calibrate(calibrationModel, opened.source, targets, spec, calib.feeds, signal);
      timings.calibrate = performance.now() - calibStart;
      if (calib.source !== 'user data') warnings.push('Calibrated on generated inputs; pass --calib with real inputs for representative activation ranges.');
    }

    let sensitivity: LayerSensitivity[] | undefined;
    if (request.sensitivity) {
      progress('sensitivity', 'Measuring per-layer sensitivity', 0.2);
      const sensitivityStart = performance.now();
      const reference = await referenceOutputs(request.model, feeds.slice(0, 4));
      sensitivity = await measureSensitivity(() => opened.working(), opened.source, request, exclude, reference, feeds.slice(0, 4), ranges, signal,
        (done, total) => progress('sensitivity', `Sensitivity ${done}/${total}`, 0.2 + 0.3 * (done / total)));
      exclude.push(...sensitivity.filter((s) => s.excluded).map((s) => s.node));
      timings.sensitivity = performance.now() - sensitivityStart;
    }

    throwIfCancelled(signal);
    progress('rewrite', `Applying ${transformLabel(spec)}`, 0.5);
    const result = opened.working();
    const outcome = applyTransform(result, request, exclude, ranges);
    if (!outcome.decisions.some((d) => d.action === 'transformed')) {
      const reasons = [...new Set(outcome.decisions.map((d) => d.reason).filter(Boolean))].slice(0, 3).join('; ');
      throw new TransformError('nothing-to-do', `no layer could be transformed by ${transformLabel(spec)}${reasons ? ` (${reasons})` : ''}`);
    }

    throwIfCancelled(signal);
    checkSingleFileLimit(result);
    progress('write', `Writing ${paths.temp}`, 0.6);
    try {
      writeModelFile(paths.temp, () => serializeModel(result, opened.source));
      throwIfCancelled(signal);
      progress('verify', 'Verifying in onnxruntime', 0.7);
      const verifyStart = performance.now();
      const verification = await verifyModels({
        originalPath: request.model, resultPath: paths.temp, original: opened.working(), originalSource: opened.source,
        result, resultSource: opened.source, feeds, source: userData ? 'user data' : 'generated',
        ...(userData?.labels ? { labels: userData.labels } : {}), latencyRuns: request.verification?.latencyRuns ?? 20,
        ...(request.energyProfile ? { energyProfile: request.energyProfile } : {}), signal,
      });
      const expectation = spec.op === 'quantize' ? checkExpectation(spec, request, convWeightShare(probe), verification) : undefined;
      const verifyMs = performance.now() - verifyStart;
      throwIfCancelled(signal);
      publish(paths.temp, paths.out);
      progress('done', `Wrote ${paths.out}`, 1);
      return {
        output: paths.out, label: transformLabel(spec), decisions: outcome.decisions,
        ...(sensitivity ? { sensitivity } : {}), verification: expectation ? { ...verification, expectation } : verification,
        ...(outcome.sparsity !== undefined ? { sparsity: outcome.sparsity } : {}), warnings,
        timingsMs: { transform: verifyStart - started, ...timings, verify: verifyMs },
      };
    } finally {
      removeQuietly(paths.temp);
    }
  } finally {
    opened.close();
  }
}

/** Protobuf caps one message at 2 GiB; results are written as one self-contained file. */
function checkSingleFileLimit(wm: WorkingModel): void {
  let bytes = 0;
  for (const init of wm.initializers.values()) bytes += init.kind === 'new' ? init.data.bytes.length : init.ref.byteLength;
  if (bytes > 2 ** 31 - 64 * 1024 * 1024) {
    throw new TransformError('unsupported-model', `the result would hold ${(bytes / 2 ** 30).toFixed(2)} GiB of weights; results past 2 GiB (external data) are not written yet`);
  }
}

function writeModelFile(file: string, build: () => { writeTo(fd: number): void }): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (e) {
    throw new TransformError('output', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    build().writeTo(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function referenceOutputs(model: string, feeds: readonly Parameters<OrtSession['run']>[0][]): Promise<RunOutputs[]> {
  const session = await OrtSession.open(model, 'the original model');
  try {
    const out: RunOutputs[] = [];
    for (const f of feeds) out.push(await session.run(f));
    return out;
  } finally {
    await session.release();
  }
}
