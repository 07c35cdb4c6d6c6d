/**
 * Per-layer sensitivity: each candidate layer is transformed alone (every other one excluded) and the
 * model's output drift (1 - cosine against the original) is measured on a few inputs. Layers above
 * the threshold are excluded from the real transform — the "which node broke accuracy" question
 * users of quantizers keep asking.
 */
import { type CancellationSignal, throwIfCancelled } from '../errors';
import type { ByteSource } from '../io/byteSource';
import { applyTransform, kindsOf } from './applyTransform';
import { serializeModel } from './io/serializeModel';
import type { ActivationRange } from './math/calibration';
import { selectLayers } from './rewrite/linearLayers';
import type { LayerSensitivity, TransformRequest } from './types';
import { AgreementAccumulator } from './verify/compare';
import type { Feeds } from './verify/feeds';
import { OrtSession, type RunOutputs } from './verify/ortRunner';
import type { WorkingModel } from './workingModel';

export async function measureSensitivity(
  fresh: () => WorkingModel,
  source: ByteSource,
  request: TransformRequest,
  exclude: readonly string[],
  reference: readonly RunOutputs[],
  feeds: readonly Feeds[],
  ranges: ReadonlyMap<string, ActivationRange> | undefined,
  signal: CancellationSignal | undefined,
  onLayer?: (done: number, total: number) => void,
): Promise<LayerSensitivity[]> {
  const maxDrift = request.sensitivity?.maxDrift ?? 1;
  const { layers } = selectLayers(fresh(), { exclude, kinds: kindsOf(request.transform) });
  const names = layers.map((l) => l.node.name);
  const results: LayerSensitivity[] = [];
  for (let i = 0; i < layers.length; i++) {
    throwIfCancelled(signal);
    const layer = layers[i]!;
    const wm = fresh();
    const others = names.filter((n) => n !== layer.node.name);
    applyTransform(wm, request, [...exclude, ...others], ranges);
    let drift: number;
    try {
      const session = await OrtSession.open(serializeModel(wm, source).toBytes(), `the model with only ${layer.node.name} transformed`);
      try {
        const acc = new AgreementAccumulator();
        for (let s = 0; s < feeds.length; s++) {
          const out = await session.run(feeds[s]!);
          acc.add(reference[s]!.values, out.values, reference[s]!.dims);
        }
        const cosine = acc.result().cosine;
        drift = Number.isFinite(cosine) ? Math.max(0, 1 - cosine) : 1;
      } finally {
        await session.release();
      }
    } catch {
      drift = 1; // a layer whose transform alone breaks the model is as fragile as it gets
    }
    results.push({ node: layer.node.name, opType: layer.node.opType, drift, excluded: drift > maxDrift });
    onLayer?.(i + 1, layers.length);
  }
  return results;
}
