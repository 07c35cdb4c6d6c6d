/** Properties over random geometries: the ONNX rules agree with the shared formulas, and GEMM views multiply out to the MACs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { costGraph } from '../../../src/core/cost/costGraph';
import { convCost, convOutputSize, linearCost } from '../../../src/core/cost/formulas';
import { IrGraph, layerNamed } from './irFixture';

describe('cost rule properties', () => {
  it('Conv rule = convCost formula; gemm m·n·k·batch = MACs; output size from attributes matches', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 4, max: 20 }),
      fc.boolean(),
      (batch, groups, cinPerGroup, coutPerGroup, kernel, stride, pad, size, bias) => {
        const cin = groups * cinPerGroup;
        const cout = groups * coutPerGroup;
        const out = convOutputSize(size, kernel, stride, pad, pad);
        fc.pre(out > 0);
        const g = new IrGraph();
        g.input('x', 'float32', [batch, cin, size, size]);
        g.weight('w', [cout, cinPerGroup, kernel, kernel]);
        const inputs = ['x', 'w'];
        if (bias) inputs.push(g.weight('b', [cout]));
        // Output left untyped half the time: MACs must not depend on shape inference having run.
        g.node('Conv', inputs, [bias ? ['y', 'float32', [batch, cout, out, out]] : 'y'],
          { group: groups, kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] }, { name: 'c' });
        const l = layerNamed(costGraph(g.model()).layers, 'c');
        const f = convCost({ batch, inChannels: cin, outChannels: cout, kernel: [kernel, kernel], inSpatial: [size, size], outSpatial: [out, out], groups, bias });
        assert.equal(l.macs, f.macs);
        assert.equal(l.params, f.params);
        assert.equal(l.flops.elementwise, f.flops.elementwise);
        assert.equal(l.gemm!.m * l.gemm!.n * l.gemm!.k * l.gemm!.batch, l.macs);
        if (bias) assert.deepEqual(l.bytes, f.bytes);
        else assert.equal(l.confidence, 'partial');
      },
    ), { numRuns: 150 });
  });

  it('MatMul with a constant weight = linearCost; broadcast batch dims multiply', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }),
      (lead, m, k, n) => {
        const g = new IrGraph();
        g.input('a', 'float16', [...lead, m, k]);
        g.weight('w', [k, n], 'float16');
        g.node('MatMul', ['a', 'w'], [['y', 'float16', [...lead, m, n]]], {}, { name: 'mm' });
        const l = layerNamed(costGraph(g.model()).layers, 'mm');
        const rows = lead.reduce((p, d) => p * d, 1) * m;
        const f = linearCost({ rows, inFeatures: k, outFeatures: n, precision: 'fp16' });
        assert.equal(l.macs, f.macs);
        assert.deepEqual(l.bytes, f.bytes);
        assert.equal(l.precision, 'fp16');
        assert.equal(l.gemm!.m * l.gemm!.n * l.gemm!.k * l.gemm!.batch, l.macs);
        assert.equal(l.confidence, 'exact');
      },
    ), { numRuns: 150 });
  });
});
