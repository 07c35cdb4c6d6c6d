/**
 * Large valid graphs (issue 15, class 9): a chain at the default node budget analyses through the CLI, its streamed
 * JSON parses with every layer in file order and totals that add up, and --out writes the same text;
 * a graph past the node budget (main graph and subgraphs, ONNX or TFLite) is refused with exit 2,
 * its node count and how to raise the budget, before its nodes are decoded; --max-nodes raises it.
 * (Speed is measured by scripts/bench/largeGraph.ts, not asserted here.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import type { Analysis } from '../../../src/core/energy/analysis';
import { ModelFormatError } from '../../../src/core/errors';
import { readTflite } from '../../../src/core/formats/tflite';
import { DEFAULT_MAX_GRAPH_NODES, JOB_MAX_GRAPH_NODES } from '../../../src/core/graph/nodeBudget';
import { BufferByteSource } from '../../../src/core/io/byteSource';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { openModel } from '../../../src/core/transform/io/openModel';
import { writeTflite } from '../../fixtures/formats/tflite/writer';
import { tinyInt8CnnSpec } from '../../fixtures/formats/tflite/tinyCnn';
import { chainModel } from '../../fixtures/largeChain';
import { captureIo } from '../cli/fakeServices';

/** The largest chain of whole MatMul/Add/Relu blocks within the default node budget. */
const BLOCKS = Math.floor(DEFAULT_MAX_GRAPH_NODES / 3);
const NODES = BLOCKS * 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-large-graph-'));
const model = path.join(dir, 'chain.onnx');
fs.writeFileSync(model, chainModel(NODES).toBytes());

test('a model at the node budget analyses; its JSON holds every layer, in order, and totals that add up', async () => {
  const io = captureIo(dir);
  const code = await main(['analyze', model, '--format', 'json'], io);
  assert.equal(code, 0, io.err);
  const analysis = JSON.parse(io.out) as Analysis;
  assert.equal(analysis.layers.length, NODES);
  assert.deepEqual(analysis.layers.slice(0, 3).map((l) => l.name), ['mm0', 'add0', 'relu0']);
  assert.equal(analysis.layers.at(-1)!.name, `relu${BLOCKS - 1}`);
  assert.equal(analysis.totals.macs, BLOCKS * 64, 'one 1x8 by 8x8 MatMul per block');
  const sum = analysis.layers.reduce((s, l) => s + l.energy.totalJ, 0);
  assert.ok(Math.abs(sum - analysis.totals.energy.totalJ) <= 1e-9 * analysis.totals.energy.totalJ);

  const outFile = path.join(dir, 'chain.json');
  const written = captureIo(dir);
  assert.equal(await main(['analyze', model, '--format', 'json', '--out', outFile], written), 0, written.err);
  assert.equal(fs.readFileSync(outFile, 'utf8'), io.out, 'the file holds the same text as stdout');
});

test('a model at the node budget prints its table with one row per layer', async () => {
  const io = captureIo(dir);
  assert.equal(await main(['analyze', model, '--format', 'table'], io), 0, io.err);
  assert.match(io.out, new RegExp(`^${NODES} {2}relu${BLOCKS - 1} `, 'm'));
});

/** A chain of `n` Relu nodes (no weights: the cheapest graph of that many nodes). */
function reluChain(n: number): Uint8Array {
  const b = new OnnxBuilder({ opset: 17 });
  let x = b.input('x', 'float32', [1, 8]);
  for (let i = 0; i < n; i++) x = b.node('Relu', [x])[0]!;
  b.output(x);
  return b.toBytes();
}

test('a graph one node past the default budget is refused with exit 2, its node count and how to raise the budget; --max-nodes raises it', async () => {
  const big = path.join(dir, 'over-budget.onnx');
  fs.writeFileSync(big, reluChain(DEFAULT_MAX_GRAPH_NODES + 1));
  const io = captureIo(dir);
  assert.equal(await main(['analyze', big, '--format', 'json'], io), 2);
  assert.equal(io.out, '', 'nothing on stdout');
  assert.match(io.err, /the model has 20,001 nodes \(subgraphs included\), the budget is 20,000\b/);
  assert.match(io.err, /--max-nodes 20001 on the command line, or the joule\.maxGraphNodes setting/);

  const raised = captureIo(dir);
  assert.equal(await main(['analyze', big, '--format', 'json', '--max-nodes', '20001'], raised), 0, raised.err);
  assert.equal((JSON.parse(raised.out) as Analysis).layers.length, 20_001);

  const bad = captureIo(dir);
  assert.equal(await main(['analyze', big, '--max-nodes', '0'], bad), 2);
  assert.match(bad.err, /--max-nodes must be a whole number of at least 1/);
});

test('the node budget counts subgraph nodes with the main graph', () => {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', [4]);
  const cond = b.input('cond', 'bool', []);
  const branch = (name: string, op: string) => {
    const g = b.subgraph(name);
    g.node(op, [x], {}, { outputs: [`${name}_out`] });
    g.output(`${name}_out`, 'float32', [4]);
    return g;
  };
  b.node('If', [cond], { then_branch: branch('then', 'Relu'), else_branch: branch('else', 'Neg') }, { outputs: ['y'] });
  b.node('Sigmoid', ['y'], {}, { outputs: ['z'] });
  b.output('z');
  const bytes = b.toBytes();
  const read = (maxGraphNodes: number) => readOnnxModel(new BufferByteSource(bytes, 'if.onnx'), { maxGraphNodes });
  assert.equal(read(4).graph.nodes.length, 2, 'two main nodes and one in each branch fit a budget of 4');
  assert.throws(() => read(3), (e: unknown) => e instanceof ModelFormatError && /at least 4 nodes \(subgraphs included\), the budget is 3\b/.test(e.message));
});

test('TFLite operators take the same budget', () => {
  const bytes = writeTflite(tinyInt8CnnSpec());
  const operators = readTflite(new BufferByteSource(bytes, 'tiny.tflite')).tflite.subgraphs[0]!.operators.length;
  assert.ok(operators > 1);
  const read = (maxGraphNodes: number) => readTflite(new BufferByteSource(bytes, 'tiny.tflite'), 'tiny.tflite', { maxGraphNodes });
  assert.equal(read(operators).model.graph.nodes.length, operators);
  assert.throws(() => read(operators - 1), (e: unknown) => e instanceof ModelFormatError && new RegExp(`has ${operators} nodes .*the budget is ${operators - 1}\\b`).test(e.message));
});

test('transforms read graphs past the analysis budget (up to the jobs\' budget)', () => {
  const big = path.join(dir, 'job.onnx');
  fs.writeFileSync(big, reluChain(DEFAULT_MAX_GRAPH_NODES + 1));
  const opened = openModel(big);
  try {
    assert.equal(opened.model.graph.nodes.length, DEFAULT_MAX_GRAPH_NODES + 1);
  } finally {
    opened.close();
  }
  assert.ok(JOB_MAX_GRAPH_NODES > DEFAULT_MAX_GRAPH_NODES);
});
