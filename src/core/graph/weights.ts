/** How much a model stores: the parameters and bytes of its weights, wherever they live in the file. */
import type { Graph, Model } from './ir';

/** Every graph of a model: the main graph, If/Loop/Scan bodies at any depth, model-local functions. */
function allGraphs(model: Model): Graph[] {
  const graphs: Graph[] = [];
  const visit = (g: Graph): void => {
    graphs.push(g);
    for (const node of g.nodes) {
      for (const a of node.attributes.values()) {
        if (a.type === 'graph') visit(a.value);
        else if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
  };
  visit(model.graph);
  model.functions.forEach(visit);
  return graphs;
}

/**
 * Parameters (elements) and stored bytes of the model's weights, from the constants of every graph:
 * weights inside If branches, Loop bodies and functions are stored in the file and load with it.
 * Weights-only files (GGUF, safetensors) hold theirs as the main graph's initializers.
 */
export function weightTotals(model: Model): { params: number; weightBytes: number } {
  let params = 0;
  let weightBytes = 0;
  for (const graph of allGraphs(model)) {
    for (const value of graph.values.values()) {
      const weight = value.constant;
      if (!weight) continue;
      params += weight.dims.reduce((n, d) => n * d, 1);
      weightBytes += weight.byteLength;
    }
  }
  return { params, weightBytes };
}
