/**
 * What the benchmark worker reads of the model with Joule's own ONNX reader (loaded lazily there).
 *
 * Input declarations: the fallback for
 * onnxruntime versions whose sessions have no `inputMetadata` (before 1.20), so inputs can still be
 * generated with the declared types and symbolic dimensions.
 */
import type { Graph } from '../graph/ir';
import { JOB_MAX_GRAPH_NODES } from '../graph/nodeBudget';
import { withFileSource } from '../io/byteSource';
import { loadModel } from '../formats/loadModel';
import { readOnnxModel } from '../onnx/reader';
import type { InputDeclaration } from './inputs';
import { mapKernelsToLayers, type KernelLayers } from './kernelMapping';

/** A benchmark or transform the user started reads graphs up to the jobs' budget, not the analysis'. */
const JOB_READ = { maxGraphNodes: JOB_MAX_GRAPH_NODES, raiseNodeBudget: () => `Benchmarks and transforms read at most ${JOB_MAX_GRAPH_NODES.toLocaleString('en-US')} nodes.` };

export function declarationsFromFile(modelPath: string): InputDeclaration[] {
  const graph = loadModel(modelPath, { maxGraphNodes: JOB_MAX_GRAPH_NODES }).graph;
  return graph.inputs.map((name) => {
    const value = graph.values.get(name);
    // The file's own declaration keeps symbolic names; inferred types may have bound them.
    const declared = value?.declaredType ?? value?.type;
    return declared ? { name, type: declared.dataType, shape: [...(declared.shape ?? [])] } : { name, shape: [] };
  });
}

/**
 * The model's layers each kernel of onnxruntime's optimized graph executes (see kernelMapping.ts),
 * from the model file and the optimized model onnxruntime wrote for the same session options.
 */
export function kernelLayersFromFiles(modelPath: string, optimizedPath: string): KernelLayers {
  const read = (file: string): Graph => withFileSource(file, (source) => readOnnxModel(source, JOB_READ).graph);
  return mapKernelsToLayers(read(modelPath), read(optimizedPath));
}

/**
 * The values the analysis binds the model's open dims to (user dims first, then metadata, names,
 * layout and defaults: graph/dimBinding.ts), so a benchmark runs the input the estimate describes
 * (a 640×640 image, not 1×1). Undefined when the file cannot be read here (the worker reports it).
 */
export function analysisDims(modelPath: string, dims: Readonly<Record<string, number>>, batch?: number): Record<string, number> | undefined {
  try {
    const bound = loadModel(modelPath, { dims, maxGraphNodes: JOB_MAX_GRAPH_NODES, ...(batch === undefined ? {} : { batch }) }).boundDims;
    return bound ? { ...Object.fromEntries(bound), ...dims } : undefined;
  } catch {
    return undefined;
  }
}
