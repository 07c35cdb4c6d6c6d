/**
 * Hostile Python: one line or one file that used to abort V8 or take many seconds in the hint engine
 * (which runs on every keystroke). Each answers with a warning or an unresolved value instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzePythonSource } from '../../../src/core/pycode/analyzePythonSource';
import { PythonSourceSession } from '../../../src/core/pycode/incremental';
import { MAX_BRACKET_DEPTH, MAX_SOURCE_BYTES, MAX_TRACE_STEPS } from '../../../src/core/pycode/limits';

function rssGrowthMiB(run: () => void): number {
  const before = process.memoryUsage().rss;
  run();
  return (process.memoryUsage().rss - before) / 2 ** 20;
}

describe('hostile Python sources', () => {
  it('`[0] * 10**9` and list concatenation stay unresolved instead of allocating', () => {
    let layers = -1;
    const growth = rssGrowthMiB(() => {
      const r = analyzePythonSource('from torch import nn\nN = len([0] * 10**9 + [1])\nm = nn.Linear(N, 4)\n');
      layers = r.layers.length;
      assert.equal(r.layers[0]?.params, undefined, 'N is unknown, so are the parameters');
    });
    assert.equal(layers, 1);
    assert.ok(growth < 200, `${growth} MiB`);
  });

  it('a ModuleList of 10**12 copies is one opaque member, not 10**12', () => {
    const r = analyzePythonSource([
      'import torch.nn as nn',
      '# joule: input=(1, 4)',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(10**12)])',
      '    def forward(self, x):',
      '        for b in self.blocks:',
      '            x = b(x)',
      '        return x',
      'model = M()',
      '',
    ].join('\n'));
    assert.ok(r.models.length <= 1);
  });

  it('files over the size limit and brackets nested too deep are refused with a warning', () => {
    const big = `x = [${'1, '.repeat(MAX_SOURCE_BYTES / 3 + 10)}]\n`;
    const deep = `x = ${'('.repeat(MAX_BRACKET_DEPTH * 500)}1${')'.repeat(MAX_BRACKET_DEPTH * 500)}\n`;
    for (const text of [big, deep]) {
      const r = analyzePythonSource(text);
      assert.equal(r.layers.length, 0);
      assert.match(r.warnings[0]?.message ?? '', /not analyzed/);
      assert.match(new PythonSourceSession().analyze(text).warnings[0]?.message ?? '', /not analyzed/);
    }
    assert.equal(analyzePythonSource(`x = ${'('.repeat(20)}1${')'.repeat(20)}\n`).warnings.length, 0, 'ordinary nesting is fine');
  });

  it('nested forward loops over large ModuleLists stop at the tracing budget', () => {
    const r = analyzePythonSource([
      'import torch.nn as nn',
      '# joule: input=(1, 8)',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.a = nn.ModuleList([nn.Linear(8, 8) for _ in range(5000)])',
      '        self.b = nn.ModuleList([nn.Linear(8, 8) for _ in range(5000)])',
      '    def forward(self, x):',
      '        for p in self.a:',
      '            for q in self.b:',
      '                x = q(x)',
      '        return x',
      'model = M()',
      '',
    ].join('\n'));
    assert.ok(r.warnings.some((w) => w.message.includes(`forward tracing stopped after ${MAX_TRACE_STEPS} steps`)));
  });

  it('a literal list of 120k elements (within the size limit) evaluates to unresolved', () => {
    const r = analyzePythonSource(`from torch import nn\nX = [${'1,'.repeat(120_000)}]\nm = nn.Linear(len(X), 4)\n`);
    assert.equal(r.layers.length, 1);
    assert.equal(r.layers[0]?.params, undefined);
  });

  // Each of these files, at the size limit, took 8 s (a tensor copied the list of every layer it went
  // through) or 56 s (every container scanned every other one); scripts/bench/hostilePython.ts times them.
  it('a Sequential of 14k layers within the size limit is traced to its last layer', { timeout: 60_000 }, () => {
    const lines = ['import torch.nn as nn', '# joule: input=(1, 64)', 'model = nn.Sequential('];
    for (let i = 0; i < 7000; i++) lines.push('    nn.Linear(64, 64), nn.ReLU(),');
    const r = analyzePythonSource([...lines, ')'].join('\n'));
    assert.equal(r.layers.length, 14_000);
    assert.deepEqual(r.layers.at(-1)?.outputShape, [1, 64]);
    assert.equal(r.models[0]?.totals.macs, 7000 * 64 * 64);
  });

  it('thousands of ModuleList comprehensions are each one model whose copies count once', { timeout: 60_000 }, () => {
    const lines = ['import torch.nn as nn'];
    for (let i = 0; i < 4000; i++) lines.push(`m${i} = nn.ModuleList([nn.Linear(4, 4) for _ in range(1000)])`);
    const r = analyzePythonSource(lines.join('\n'));
    assert.equal(r.models.length, 4000);
    // Linear(4, 4) has 20 parameters; 1000 copies are 20,000, not 1000 × 20,000.
    assert.deepEqual(r.models[0]?.layerIndices, [0]);
    assert.equal(r.models[0]?.totals.params, 20_000);
  });
});
