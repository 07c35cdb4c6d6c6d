/**
 * The one place the transform touches onnxruntime-node: loaded lazily (never at import time, so the
 * extension activates fast), sessions on CPU, runs returning plain float arrays.
 */
import type * as OrtModule from 'onnxruntime-node';
import { float16BitsToFloat, floatToFloat16Bits } from '../../onnx/floatBits';
import { TransformError } from '../transformError';
import type { Feeds, FeedTensor } from './feeds';

type Ort = typeof OrtModule;
let ortPromise: Promise<Ort> | undefined;

export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

export interface RunOutputs {
  /** Output name -> values widened to numbers, in declared order. */
  readonly values: Map<string, Float64Array>;
  readonly dims: Map<string, readonly number[]>;
}

export class OrtSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtModule.InferenceSession,
    readonly label: string,
  ) {}

  /** Opens a model from a path or bytes; a model that does not load fails loudly with the reason. */
  static async open(model: string | Uint8Array, label: string, threads = 1): Promise<OrtSession> {
    const ort = await loadOrt();
    try {
      const options: OrtModule.InferenceSession.SessionOptions = {
        executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3,
      };
      const session = typeof model === 'string'
        ? await ort.InferenceSession.create(model, options)
        : await ort.InferenceSession.create(model, options);
      return new OrtSession(ort, session, label);
    } catch (e) {
      throw new TransformError('verification-failed', `onnxruntime cannot load ${label}: ${firstLine(e)}`);
    }
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Feeds, outputs?: readonly string[]): Promise<RunOutputs> {
    const tensors: Record<string, OrtModule.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) tensors[name] = this.tensor(f);
    let result: OrtModule.InferenceSession.OnnxValueMapType;
    try {
      result = outputs ? await this.session.run(tensors, [...outputs]) : await this.session.run(tensors);
    } catch (e) {
      throw new TransformError('verification-failed', `onnxruntime failed to run ${this.label}: ${firstLine(e)}`);
    }
    const values = new Map<string, Float64Array>();
    const dims = new Map<string, readonly number[]>();
    for (const name of outputs ?? this.session.outputNames) {
      const t = result[name] as OrtModule.Tensor | undefined;
      if (!t) continue;
      values.set(name, widen(t.type, t.data));
      dims.set(name, t.dims);
    }
    return { values, dims };
  }

  /** Median wall time of `runs` runs after `warmup` runs, in milliseconds. */
  async latencyMs(feeds: Feeds, runs: number, warmup = 2): Promise<number> {
    const tensors: Record<string, OrtModule.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) tensors[name] = this.tensor(f);
    for (let i = 0; i < warmup; i++) await this.session.run(tensors);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await this.session.run(tensors);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private tensor(f: FeedTensor): OrtModule.Tensor {
    const dims = [...f.dims];
    switch (f.dataType) {
      case 'float32': return new this.ort.Tensor('float32', Float32Array.from(f.values), dims);
      case 'float16': return new this.ort.Tensor('float16', Uint16Array.from(f.values, floatToFloat16Bits), dims);
      case 'int64': return new this.ort.Tensor('int64', BigInt64Array.from(f.values, (v) => BigInt(v)), dims);
      case 'int32': return new this.ort.Tensor('int32', Int32Array.from(f.values), dims);
      case 'uint8': return new this.ort.Tensor('uint8', Uint8Array.from(f.values), dims);
      case 'int8': return new this.ort.Tensor('int8', Int8Array.from(f.values), dims);
      case 'bool': return new this.ort.Tensor('bool', Uint8Array.from(f.values), dims);
    }
  }
}

/**
 * Output values as float64. Typed-to-typed copies run natively; a per-element callback over every
 * activation made calibration of MobileNetV2 take 40 s (most of the quantization time).
 */
function widen(type: string, data: unknown): Float64Array {
  // float16 outputs arrive as their bit patterns (Uint16Array) on Node 20.
  if (type === 'float16' && data instanceof Uint16Array) return Float64Array.from(data, float16BitsToFloat);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, (v) => Number(v));
  return new Float64Array(data as ArrayLike<number>);
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 500);
}
