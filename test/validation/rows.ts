/**
 * Estimates for the published rows of published.json, each computed the way the row was measured
 * (same model, batch and precision, on the row's profile). Used by the validation test and by
 * report.ts, which prints the table of docs/validation.md.
 */
import { costGraph } from '../../src/core/cost/costGraph';
import type { LayerCost, Precision } from '../../src/core/cost/types';
import { estimate, type EstimateInput } from '../../src/core/energy/estimate';
import type { Analysis } from '../../src/core/energy/analysis';
import { getProfile } from '../../src/core/energy/profileRegistry';
import { buildResNet50 } from '../../src/core/examples';
import { transformerConfigFromHf } from '../../src/core/formats/hfconfig/hfConfig';
import { BufferByteSource } from '../../src/core/io/byteSource';
import { loadModelFromSource } from '../../src/core/formats/loadModel';
import { llmTokenEnergy } from '../../src/core/llm/tokenEnergy';
import type { OnnxBuilder } from '../../src/core/onnx/builder';
import published from './published.json';
import { buildAlexNetConvs, buildDsCnn, buildFcAutoencoder, buildMobileNetV1Vww, buildResNet8 } from './referenceModels';

export interface PublishedRow {
  readonly id: string;
  readonly model: string;
  readonly hardware: string;
  readonly profile: string;
  readonly setting: string;
  readonly measured: number;
  readonly unit: string;
  readonly level: string;
  readonly source: string;
  readonly toleranceLog: number;
  readonly toleranceReason?: string;
}

export const ROWS: readonly PublishedRow[] = published.rows;

const BYTES: Readonly<Record<Precision, number>> = { fp64: 8, fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int32: 4, int16: 2, int8: 1, int4: 0.5 };

/** The deployed model at one precision (an int8 TensorRT/TFLite engine): arithmetic and bytes both. */
export function atPrecision(layers: readonly LayerCost[], to: Precision): LayerCost[] {
  return layers.map((l) => {
    if (l.confidence === 'unknown' || l.precision === to) return l;
    const f = BYTES[to] / BYTES[l.precision];
    return { ...l, precision: to, bytes: { weights: l.bytes.weights * f, inputs: l.bytes.inputs * f, outputs: l.bytes.outputs * f } };
  });
}

export function inputOfBuilder(builder: OnnxBuilder, name: string, precision?: Precision, batch = 1): EstimateInput {
  const model = loadModelFromSource(new BufferByteSource(builder.toBytes(), name), { batch, dims: {} });
  const cost = costGraph(model);
  const layers = precision === undefined ? cost.layers : atPrecision(cost.layers, precision);
  return {
    model: { path: name, format: 'onnx', params: layers.reduce((s, l) => s + l.params, 0), weightBytes: layers.reduce((s, l) => s + l.bytes.weights, 0) },
    layers, unknownOps: cost.unknownOps, warnings: [], dims: {}, batch,
  };
}

function profile(id: string) {
  const p = getProfile(id);
  if (p === undefined) throw new Error(`no profile ${id}`);
  return p;
}

/** ResNet-50 per-sample energy at a batch, every layer int8 (what MLPerf's TensorRT engines run). */
export function resnet50PerSampleJ(profileId: string, batch: number): number {
  const a = estimate(inputOfBuilder(buildResNet50({ batch }), 'resnet50.onnx', 'int8', batch), profile(profileId));
  return a.totals.energy.totalJ / batch;
}

const LLAMA_2_7B = { model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, vocab_size: 32000, max_position_embeddings: 4096, tie_word_embeddings: false, torch_dtype: 'float16' };
/** Llama-2-13b-chat-hf's config.json sizes. */
const LLAMA_2_13B = { ...LLAMA_2_7B, hidden_size: 5120, intermediate_size: 13824, num_attention_heads: 40, num_hidden_layers: 40, num_key_value_heads: 40 };

function tinyJ(build: () => OnnxBuilder, name: string, profileId: string): number {
  return estimate(inputOfBuilder(build(), name, 'int8'), profile(profileId)).totals.energy.totalJ;
}

function eyeriss(): Analysis {
  return estimate(inputOfBuilder(buildAlexNetConvs(4), 'alexnet.onnx', 'int16', 4), profile('eyeriss'));
}

/**
 * The layers Eyeriss' figures cover: its five CONV layers as eq. (1) of the JSSC paper defines a layer
 * (convolution, bias, ReLU), i.e. the kernels anchored on a convolution. Max pooling is not one of them.
 */
function eyerissConvLayers(a: Analysis): Analysis['layers'] {
  return a.layers.filter((l) => l.kernel?.kernelClass === 'conv');
}

/** The estimate of one row, in the row's unit. */
export function estimateRow(row: PublishedRow): number {
  switch (row.id) {
    case 'mlperf-resnet50-a100':
    case 'mlperf-resnet50-h100':
      return resnet50PerSampleJ(row.profile, 256);
    case 'mlenergy-llama2-7b-a100':
    case 'mlenergy-llama2-13b-a100': {
      const { config } = transformerConfigFromHf(row.id === 'mlenergy-llama2-7b-a100' ? LLAMA_2_7B : LLAMA_2_13B, 'config.json');
      return llmTokenEnergy(config, profile(row.profile), { batch: 1, promptTokens: 512, contexts: [512] }).decode[0]!.energyPerTokenJ;
    }
    case 'mlperf-tiny-dscnn': return tinyJ(buildDsCnn, 'ds-cnn.onnx', row.profile);
    case 'mlperf-tiny-vww': return tinyJ(buildMobileNetV1Vww, 'vww.onnx', row.profile);
    case 'mlperf-tiny-resnet8': return tinyJ(buildResNet8, 'resnet8.onnx', row.profile);
    case 'mlperf-tiny-fc-autoencoder': return tinyJ(buildFcAutoencoder, 'fc-ae.onnx', row.profile);
    case 'eyeriss-alexnet-dram': {
      const a = eyeriss();
      const offChipLevels = profile('eyeriss').memory.filter((m) => !m.onChip);
      const offChip = eyerissConvLayers(a).reduce((s, l) => s + offChipLevels.reduce((t, m) => t + (l.bytes.byLevel[m.name] ?? 0), 0), 0);
      return offChip / 2 / a.totals.macs; // 16-bit words per MAC
    }
    case 'eyeriss-alexnet-energy': {
      const chipJ = eyerissConvLayers(eyeriss()).reduce((s, l) => s + l.energy.totalJ - l.energy.offChipJ, 0);
      return chipJ / 4;
    }
    default:
      throw new Error(`no estimator for row ${row.id}`);
  }
}

export interface RowResult {
  readonly row: PublishedRow;
  readonly estimated: number;
  /** ln(estimated / measured): 0 is exact, ±0.405 is 1.5x. */
  readonly logError: number;
}

export function evaluate(row: PublishedRow): RowResult {
  const estimated = estimateRow(row);
  return { row, estimated, logError: Math.log(estimated / row.measured) };
}
