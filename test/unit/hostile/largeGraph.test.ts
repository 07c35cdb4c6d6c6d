/**
 * Large valid graphs (issue 15, class 9): a 20,000-node chain analyses through the CLI, its streamed
 * JSON parses with every layer in file order and totals that add up, and --out writes the same text;
 * a graph past the node budget is refused with exit 2 and both counts, before its nodes are decoded.
 * (Speed is measured by scripts/bench/largeGraph.ts, not asserted here.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import type { Analysis } from '../../../src/core/energy/analysis';
import { MAX_GRAPH_NODES } from '../../../src/core/onnx/graphDecoder';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { chainModel } from '../../fixtures/largeChain';
import { captureIo } from '../cli/fakeServices';

const NODES = 20_001;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-large-graph-'));
const model = path.join(dir, 'chain.onnx');
fs.writeFileSync(model, chainModel(NODES).toBytes());

test('a 20k-node model analyses; its JSON holds every layer, in order, and totals that add up', async () => {
  const io = captureIo(dir);
  const code = await main(['analyze', model, '--format', 'json'], io);
  assert.equal(code, 0, io.err);
  const analysis = JSON.parse(io.out) as Analysis;
  assert.equal(analysis.layers.length, 20_001);
  assert.deepEqual(analysis.layers.slice(0, 3).map((l) => l.name), ['mm0', 'add0', 'relu0']);
  assert.equal(analysis.layers.at(-1)!.name, 'relu6666');
  assert.equal(analysis.totals.macs, 6667 * 64, 'one 1x8 by 8x8 MatMul per block');
  const sum = analysis.layers.reduce((s, l) => s + l.energy.totalJ, 0);
  assert.ok(Math.abs(sum - analysis.totals.energy.totalJ) <= 1e-9 * analysis.totals.energy.totalJ);

  const outFile = path.join(dir, 'chain.json');
  const written = captureIo(dir);
  assert.equal(await main(['analyze', model, '--format', 'json', '--out', outFile], written), 0, written.err);
  assert.equal(fs.readFileSync(outFile, 'utf8'), io.out, 'the file holds the same text as stdout');
});

test('a 20k-node model prints its table with one row per layer', async () => {
  const io = captureIo(dir);
  assert.equal(await main(['analyze', model, '--format', 'table'], io), 0, io.err);
  assert.match(io.out, /^20001 {2}relu6666 /m);
});

test('a graph one node past the budget is refused: exit 2, its node count and the budget', async () => {
  const b = new OnnxBuilder({ opset: 17 });
  let x = b.input('x', 'float32', [1, 8]);
  for (let i = 0; i <= MAX_GRAPH_NODES; i++) x = b.node('Relu', [x])[0]!;
  b.output(x);
  const big = path.join(dir, 'over-budget.onnx');
  fs.writeFileSync(big, b.toBytes());
  const io = captureIo(dir);
  assert.equal(await main(['analyze', big, '--format', 'json'], io), 2);
  assert.equal(io.out, '', 'nothing on stdout');
  assert.match(io.err, /the model has 200,001 nodes; the budget is 200,000 per graph \(docs\/security\.md\)/);
});
