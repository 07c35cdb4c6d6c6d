/**
 * Calibration for static quantization: the original model, with the activations to be quantized
 * added as graph outputs, runs on the calibration inputs in onnxruntime; a collector per tensor
 * keeps its range (MinMax or percentile).
 */
import { type CancellationSignal, throwIfCancelled } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { readCalibrationData } from './io/calibData';
import { serializeModel } from './io/serializeModel';
import { type ActivationRange, createCollector, type RangeCollector } from './math/calibration';
import type { QuantizeSpec } from './types';
import { type Feeds, generateFeeds, type InputSpec } from './verify/feeds';
import { OrtSession } from './verify/ortRunner';
import type { WorkingModel } from './workingModel';

export interface CalibrationResult {
  readonly ranges: Map<string, ActivationRange>;
  readonly samples: number;
  readonly source: 'user data' | 'generated from input shapes';
}

export function calibrationFeeds(spec: QuantizeSpec, inputs: readonly InputSpec[]): { feeds: Feeds[]; source: CalibrationResult['source'] } {
  const data = spec.calibration?.data;
  if (data) return { feeds: readCalibrationData(data, inputs), source: 'user data' };
  const count = spec.calibration?.samples ?? 16;
  // Seeds 1000+ so calibration never sees the verification inputs (seeds 0..samples-1).
  return { feeds: Array.from({ length: count }, (_, i) => generateFeeds(inputs, 1000 + i)), source: 'generated from input shapes' };
}

export async function calibrate(
  wm: WorkingModel,
  source: ByteSource,
  targets: readonly string[],
  spec: QuantizeSpec,
  feeds: readonly Feeds[],
  signal: CancellationSignal | undefined,
  onSample?: (done: number) => void,
): Promise<Map<string, ActivationRange>> {
  const extra = targets.filter((t) => !wm.outputs.includes(t));
  wm.outputs.push(...extra);
  const bytes = serializeModel(wm, source).toBytes();
  wm.outputs.splice(wm.outputs.length - extra.length, extra.length);
  const session = await OrtSession.open(bytes, 'the calibration model');
  const collectors = new Map<string, RangeCollector>(targets.map((t) => [t, createCollector(spec.calibration?.method ?? 'minmax', spec.calibration?.percentile)]));
  try {
    for (let i = 0; i < feeds.length; i++) {
      throwIfCancelled(signal);
      const out = await session.run(feeds[i]!, targets);
      for (const [name, values] of out.values) collectors.get(name)?.add(values);
      onSample?.(i + 1);
    }
  } finally {
    await session.release();
  }
  return new Map([...collectors].map(([name, c]) => [name, c.range()]));
}
