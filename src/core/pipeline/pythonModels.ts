/**
 * A Python file as users write it: several models (classes, top-level Sequential / keras.Model), each
 * its own analysis with its own totals, never summed into one. A model without an input shape has
 * no compute figure: its analysis says "unknown: set the input shape" instead of a total that silently
 * leaves compute out.
 */
import { ProfileCatalog } from './profileCatalog';
import { resolveSettings } from './settings';
import type { AnalyzeFileOptions } from './options';
import { readSourceText, weightsOnlyCost } from './pythonSource';
import type { LayerCost } from '../cost/types';
import type { Analysis } from '../energy/analysis';
import { estimate } from '../energy/estimate';
import { withRoofline } from '../report/roof';
import { analyzePythonSource } from '../pycode/analyzePythonSource';
import type { SourceAnalysis, SourceModel } from '../pycode/types';

/** One model of a Python file and its analysis. */
export interface SourceModelAnalysis {
  readonly name: string;
  readonly kind: SourceModel['kind'];
  /** 1-based line of the model's name. */
  readonly line: number;
  readonly inputShape?: readonly number[];
  readonly inputShapeSource?: SourceModel['inputShapeSource'];
  readonly analysis: Analysis;
}

/** `joule analyze file.py --format json` for a file with several models. */
export interface PythonFileAnalysis {
  readonly kind: 'python-file';
  readonly path: string;
  readonly models: readonly SourceModelAnalysis[];
  /** Layers built outside any model (helpers, module-level layers), not in any analysis. */
  readonly layersOutsideModels: number;
  readonly warnings: readonly string[];
}

/** The Analysis of one model: its layers only, labelled "unknown" when its input shape is. */
export function analyseSourceModel(source: SourceAnalysis, model: SourceModel, path: string, options: AnalyzeFileOptions = {}, catalog = new ProfileCatalog()): Analysis {
  const { profile, warnings, carbon } = resolveSettings(options, catalog);
  const computeKnown = model.totals.macs !== undefined;
  const layers: LayerCost[] = model.layerIndices.map((i) => {
    const layer = source.layers[i]!;
    if (layer.cost) return layer.cost;
    const weightsOnly = weightsOnlyCost(layer);
    // Without the input shape the layer's compute is unknown, not zero.
    return computeKnown ? weightsOnly : { ...weightsOnly, confidence: 'unknown' as const };
  });
  const analysis = withRoofline(estimate(
    {
      model: { path: `${path}#${model.name}`, format: 'python', params: model.totals.params, weightBytes: model.totals.weightBytes },
      layers,
      unknownOps: [],
      warnings: [...warnings, ...(model.shapeNote ? [`${model.name}: ${model.shapeNote}`] : [])],
      dims: {},
      batch: options.batch ?? 1,
    },
    profile,
    carbon,
  ), profile);
  return computeKnown ? analysis : { ...analysis, computeUnknown: model.shapeNote ?? 'input shape unknown' };
}

export function analyseSourceModels(source: SourceAnalysis, path: string, options: AnalyzeFileOptions = {}, catalog = new ProfileCatalog()): PythonFileAnalysis {
  const owned = new Set(source.models.flatMap((m) => m.layerIndices));
  return {
    kind: 'python-file',
    path,
    models: source.models.map((model) => ({
      name: model.name,
      kind: model.kind,
      line: model.nameRange.start.line + 1,
      inputShape: model.inputShape,
      inputShapeSource: model.inputShapeSource,
      analysis: analyseSourceModel(source, model, path, options, catalog),
    })),
    layersOutsideModels: source.layers.length - owned.size,
    warnings: source.warnings.map((w) => `line ${w.range.start.line + 1}: ${w.message}`),
  };
}

/** Reads a Python file and analyses each model in it (the CLI's `analyze model.py`). */
export function analyzeSourceModelsFile(path: string, options: AnalyzeFileOptions = {}, catalog?: ProfileCatalog): PythonFileAnalysis {
  return analyseSourceModels(analyzePythonSource(readSourceText(path), { inputShape: options.inputShape }), path, options, catalog);
}
