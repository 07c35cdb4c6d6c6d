/**
 * Python model code -> the same Analysis as a model file: layers found by src/core/pycode, priced by
 * the energy model on a profile. Used by the editor's hints and by `joule analyze model.py`.
 */
import type { ProfileCatalog } from './profileCatalog';
import { resolveSettings } from './settings';
import { AnalysisInputError, type AnalyzeFileOptions } from './options';
import type { LayerCost } from '../cost/types';
import type { Analysis, LayerAnalysis } from '../energy/analysis';
import { estimate } from '../energy/estimate';
import { withRoofline } from '../report/roof';
import { NotRegularFileError, readRegularFile } from '../io/safeRead';
import { analyzePythonSource } from '../pycode/analyzePythonSource';
import { MAX_SOURCE_BYTES } from '../pycode/limits';
import type { SourceAnalysis, SourceLayer } from '../pycode/types';

export interface PricedSource {
  readonly source: SourceAnalysis;
  /** Every layer found, priced; layers without a known input shape carry only their weights. */
  readonly analysis: Analysis;
  /** The priced layer of each source layer, by index in `source.layers`. */
  readonly layerEnergy: readonly LayerAnalysis[];
  /** Energy and latency per inference of each model (`source.models`), summed over its layers. */
  readonly modelEnergy: readonly { readonly totalJ: number; readonly latencyS: number; readonly co2eGrams: number; readonly complete: boolean }[];
}

/** A cost for a layer whose input shape is unknown: its weights, nothing else, said so. */
export function weightsOnlyCost(layer: SourceLayer): LayerCost {
  return {
    name: layer.variable,
    opType: layer.kind,
    domain: layer.framework === 'pytorch' ? 'torch.nn' : 'keras.layers',
    macs: 0,
    flops: { mac: 0, elementwise: 0, transcendental: 0 },
    params: layer.params ?? 0,
    bytes: { weights: layer.weightBytes ?? 0, inputs: 0, outputs: 0 },
    precision: layer.dtypeBytes === 2 ? 'fp16' : layer.dtypeBytes === 1 ? 'int8' : 'fp32',
    confidence: 'partial',
    note: layer.note ?? 'input shape unknown: only weight bytes are counted (add `# joule: input=(…)` or set joule.python.inputShape)',
    inputShapes: [],
    outputShapes: [],
    activationInputs: [],
    activationOutputs: [],
  };
}

export function priceSource(source: SourceAnalysis, path: string, options: AnalyzeFileOptions = {}, catalog?: ProfileCatalog): PricedSource {
  const { profile, warnings, carbon } = resolveSettings(options, catalog);
  const costs = source.layers.map((l) => l.cost ?? weightsOnlyCost(l));
  const params = source.layers.reduce((n, l) => n + (l.params ?? 0), 0);
  const weightBytes = source.layers.reduce((n, l) => n + (l.weightBytes ?? 0), 0);
  const analysis = withRoofline(estimate(
    {
      model: { path, format: 'python', params, weightBytes },
      layers: costs,
      unknownOps: [],
      warnings: [...warnings, ...source.warnings.map((w) => `line ${w.range.start.line + 1}: ${w.message}`)],
      dims: {},
      batch: options.batch ?? 1,
    },
    profile,
    carbon,
  ), profile);
  const layerEnergy = analysis.layers;
  const gramsPerJ = analysis.totals.energy.totalJ > 0 ? analysis.totals.co2eGrams / analysis.totals.energy.totalJ : 0;
  const modelEnergy = source.models.map((m) => {
    let totalJ = 0;
    let latencyS = 0;
    for (const i of m.layerIndices) {
      totalJ += layerEnergy[i]?.energy.totalJ ?? 0;
      latencyS += layerEnergy[i]?.latencyS ?? 0;
    }
    return { totalJ, latencyS, co2eGrams: totalJ * gramsPerJ, complete: m.totals.macs !== undefined };
  });
  return { source, analysis, layerEnergy, modelEnergy };
}

/** Reads and analyses a Python file (the CLI's `analyze model.py`). */
export function analyzeSourceFile(path: string, options: AnalyzeFileOptions = {}, catalog?: ProfileCatalog): PricedSource {
  return priceSource(analyzePythonSource(readSourceText(path), { inputShape: options.inputShape }), path, options, catalog);
}

/** A Python file's text: regular files only (a FIFO would block), no larger than the analysis accepts anyway. */
export function readSourceText(path: string): string {
  try {
    return readRegularFile(path, MAX_SOURCE_BYTES * 4).toString('utf8');
  } catch (e) {
    if (e instanceof NotRegularFileError) throw new AnalysisInputError(e.message);
    throw e;
  }
}

/**
 * A layer's share of its own model's energy (a file with three models is three budgets, never one):
 * the model's index, name and the share; undefined for a layer outside every model.
 */
export function modelShareOf(priced: PricedSource, layerIndex: number): { readonly model: number; readonly name: string; readonly share: number } | undefined {
  const model = priced.source.models.findIndex((m) => m.layerIndices.includes(layerIndex));
  if (model < 0) return undefined;
  const total = priced.modelEnergy[model]!.totalJ;
  const layerJ = priced.layerEnergy[layerIndex]?.energy.totalJ ?? 0;
  return { model, name: priced.source.models[model]!.name, share: total > 0 ? layerJ / total : 0 };
}
