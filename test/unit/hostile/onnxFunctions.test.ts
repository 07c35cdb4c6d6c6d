/**
 * Hostile ONNX functions: a function that calls itself, and a fan-out of calls (4 per level over 16
 * levels = 4^16 expansions) used to hang costing. Both must finish with the calls marked, not hang.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../../src/core/pipeline/modelFile';
import type { Analysis } from '../../../src/core/energy/analysis';
import { OnnxBuilder } from '../../../src/core/onnx/builder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-fn-'));

function analyzeBuilt(b: OnnxBuilder, name: string): Analysis {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, b.toBytes());
  return analyzeFile(file, { profileId: 'laptop-x86' });
}

describe('hostile model-local functions', () => {
  it('a function that calls itself twice is expanded once, with the recursion named', () => {
    const b = new OnnxBuilder({ opset: 17 });
    const x = b.input('x', 'float32', [1, 8]);
    b.addFunction({ domain: 'evil', name: 'Self', inputs: ['a'], outputs: ['c'] }, (g) => {
      g.node('Self', ['a'], {}, { domain: 'evil', outputs: ['b'] });
      g.node('Self', ['b'], {}, { domain: 'evil', outputs: ['c'] });
    });
    const [y] = b.node('Self', [x], {}, { domain: 'evil', name: 'call' });
    b.output(y!);
    const analysis = analyzeBuilt(b, 'self.onnx');
    const call = analysis.layers.find((l) => l.name === 'call');
    assert.ok(call);
    assert.equal(call.confidence, 'partial', 'the inner calls are not expanded');
    assert.ok(analysis.warnings.some((w) => /Truncated analysis: .*calls itself/.test(w)));
  });

  it('a fan-out of 4 calls per level over 16 levels stops at the expansion budget', () => {
    const b = new OnnxBuilder({ opset: 17 });
    const x = b.input('x', 'float32', [1, 8]);
    const levels = 16;
    b.addFunction({ domain: 'evil', name: `F${levels}`, inputs: ['a'], outputs: ['r'] }, (g) => {
      g.node('Relu', ['a'], {}, { outputs: ['r'] });
    });
    for (let level = levels - 1; level >= 0; level--) {
      b.addFunction({ domain: 'evil', name: `F${level}`, inputs: ['a'], outputs: ['o4'] }, (g) => {
        let prev = 'a';
        for (let i = 1; i <= 4; i++) {
          g.node(`F${level + 1}`, [prev], {}, { domain: 'evil', outputs: [`o${i}`] });
          prev = `o${i}`;
        }
      });
    }
    const [y] = b.node('F0', [x], {}, { domain: 'evil', name: 'root' });
    b.output(y!);
    const analysis = analyzeBuilt(b, 'fanout.onnx');
    const root = analysis.layers.find((l) => l.name === 'root');
    assert.ok(root);
    assert.equal(root.confidence, 'partial');
    assert.ok(analysis.warnings.some((w) => /Truncated analysis: .*expansion budget/.test(w)));
  });
});
