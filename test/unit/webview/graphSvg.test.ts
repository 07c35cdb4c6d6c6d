import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LayerAnalysis } from '../../../src/core/energy/analysis';
import { layoutGraph } from '../../../webview/lib/graphLayout';
import { buildGraphModel } from '../../../webview/lib/graphModel';
import { graphSvg } from '../../../webview/lib/graphSvg';

const HOSTILE = ['<img src=x onerror=alert(1)>', '</svg><script>alert(1)</script>'];

function layer(name: string, opType: string): LayerAnalysis {
  return {
    name, opType, domain: '', macs: 0, flops: 0, params: 0, precision: 'fp32', outputShapes: [],
    bytes: { weights: 0, inputs: 0, outputs: 0, byLevel: {}, offChipFloor: 0 },
    energy: { computeJ: 0, onChipJ: 0, offChipJ: 0, staticJ: 0, totalJ: 0 },
    latencyS: 0, bound: 'compute', intensity: 0, energyShare: 0, confidence: 'exact',
  };
}

it('graph SVG export: every box and edge, model strings as escaped text, nothing that runs', () => {
  const layers = [layer(HOSTILE[0]!, 'Conv'), layer('relu', HOSTILE[1]!)];
  const model = buildGraphModel(layers, { edges: [{ from: 0, to: 1, bytes: 8, tensor: 't' }] });
  const layout = layoutGraph({ nodeCount: 2, from: Int32Array.of(0), to: Int32Array.of(1), nodeWidth: 150, nodeHeight: 36 });
  const svg = graphSvg(model, layout, { fills: ['rgb(1,2,3)', 'rgb(4,5,6)'], texts: ['#000000', '#ffffff'], edgeWidths: Float32Array.of(3) }, { background: '#fff', foreground: '#000', edge: '#888', border: '#444', focus: '#00f', match: '#ff0', font: 'sans-serif' }, 'Energy graph: "m.onnx"');
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.equal((svg.match(/<rect x="[\d.-]+" y="[\d.-]+" width="150"/g) ?? []).length, 2);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 1);
  assert.ok(svg.includes('stroke-width="3.0"'), 'edge width by bytes');
  assert.ok(svg.includes('fill="rgb(1,2,3)"'));
  for (const h of HOSTILE) assert.ok(!svg.includes(h), `raw markup in the SVG: ${h}`);
  // Every '<' left opens one of the export's own elements; the document closes once.
  const tags = new Set((svg.match(/<\/?([a-z]+)/gi) ?? []).map((t) => t.replace(/[</]/g, '')));
  assert.deepEqual([...tags].sort(), ['g', 'polyline', 'rect', 'svg', 'text', 'title']);
  assert.equal(svg.match(/<\/svg>/g)?.length, 1);
  assert.ok(svg.includes('&#60;img src=x onerror=alert(1)&#62;'), 'the hostile name is kept as text');
});
