/** Every mode end to end in-process: rewrite, write, onnxruntime verification, and what the file holds. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withFileSource } from '../../../src/core/io/byteSource';
import { readOnnxModel } from '../../../src/core/onnx/reader';
import { openModel } from '../../../src/core/transform/io/openModel';
import { runTransformInProcess } from '../../../src/core/transform/job';
import { verifyModels } from '../../../src/core/transform/verify/verifyModels';
import type { TransformRequest } from '../../../src/core/transform/types';
import type { Model } from '../../../src/core/graph/ir';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { buildTransformerEncoder } from '../../../src/core/examples';
import { buildCnn, buildConcatBranches, buildInvertedResidual, buildMlpBlock, tempDir } from './fixtures';

let dir: string;
let cnn: string;
let mlp: string;

before(() => {
  dir = tempDir();
  cnn = buildCnn(path.join(dir, 'cnn.onnx'));
  mlp = buildMlpBlock(path.join(dir, 'mlp.onnx'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const quick = { samples: 3, latencyRuns: 3 };
const run = (request: Omit<TransformRequest, 'verification'>) => runTransformInProcess({ ...request, verification: quick });
const read = (file: string): Model => withFileSource(file, (s) => readOnnxModel(s));
const ops = (m: Model): string[] => m.graph.nodes.map((n) => n.opType);
const initializerTypes = (m: Model): string[] => m.graph.initializers.map((n) => m.graph.values.get(n)!.constant!.dataType);

test('int8 dynamic: MatMul -> DynamicQuantizeMatMul, Conv -> ConvInteger, file ~1/4, outputs agree', async () => {
  const r = await run({ model: mlp, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0 });
  assert.equal(path.basename(r.output), 'mlp.int8.onnx');
  const m = read(r.output);
  assert.equal(ops(m).filter((o) => o === 'DynamicQuantizeMatMul').length, 3);
  assert.ok(!ops(m).includes('MatMul'));
  assert.ok(r.verification.cosine >= 0.99, `cosine ${r.verification.cosine}`);
  assert.ok(r.verification.fileBytes.ratio <= 0.35, `size ratio ${r.verification.fileBytes.ratio}`);
  const c = await run({ model: cnn, transform: { op: 'quantize', mode: 'int8-dynamic' }, minElements: 0 });
  const cm = read(c.output);
  assert.equal(ops(cm).filter((o) => o === 'ConvInteger').length, 3);
  assert.ok(!ops(cm).includes('BatchNormalization'), 'BatchNorm folded into conv1 before quantizing');
  assert.equal(c.verification.top1Agreement, 1);
  assert.ok(c.verification.cosine >= 0.99);
});

test('int8 dynamic with weight-only Conv: int8 weights behind DequantizeLinear, float Conv', async () => {
  const r = await run({ model: cnn, out: path.join(dir, 'cnn.wo.onnx'), transform: { op: 'quantize', mode: 'int8-dynamic', conv: 'weight-only' }, minElements: 0 });
  const m = read(r.output);
  assert.ok(!ops(m).includes('ConvInteger'));
  assert.equal(ops(m).filter((o) => o === 'DequantizeLinear').length, 3);
  assert.equal(ops(m).filter((o) => o === 'Conv').length, 3);
  assert.ok(r.verification.cosine >= 0.999);
  assert.ok(r.verification.fileBytes.ratio <= 0.4);
});

test('int8 dynamic per-tensor asymmetric also runs and keeps agreement', async () => {
  const r = await run({ model: mlp, out: path.join(dir, 'mlp.pt.onnx'), transform: { op: 'quantize', mode: 'int8-dynamic', perChannel: false, symmetric: false }, minElements: 0 });
  assert.ok(r.verification.cosine >= 0.98, `cosine ${r.verification.cosine}`);
});

test('int8 static QDQ: calibration ranges feed QuantizeLinear, weights int8 per channel', async () => {
  for (const method of ['minmax', 'percentile'] as const) {
    const r = await run({ model: cnn, out: path.join(dir, `cnn.static.${method}.onnx`), transform: { op: 'quantize', mode: 'int8-static', calibration: { method, samples: 4 } }, minElements: 0 });
    const m = read(r.output);
    assert.ok(ops(m).includes('QuantizeLinear') && ops(m).includes('DequantizeLinear'));
    assert.ok(initializerTypes(m).includes('int8'));
    assert.ok(r.verification.cosine >= 0.98, `${method}: cosine ${r.verification.cosine}`);
    assert.ok(r.warnings.some((w) => w.includes('generated inputs')));
  }
});

test('int8 static fuses Relu and Clip(0, 6) into output ranges and quantizes first and depthwise convs, as onnxruntime does', async () => {
  const block = buildInvertedResidual(path.join(dir, 'inverted-q.onnx'));
  const r = await run({ model: block, transform: { op: 'quantize', mode: 'int8-static', calibration: { samples: 4 } } });
  const m = read(r.output);
  assert.ok(!ops(m).includes('Clip'), `ops: ${ops(m).join(' ')}`);
  for (const conv of ['stem', 'expand', 'dw', 'project']) {
    const d = r.decisions.find((x) => x.node === conv)!;
    assert.equal(d.action, 'transformed', `${conv}: ${d.reason}`);
    const producer = m.graph.nodes.find((n) => n.outputs.includes(m.graph.nodes.find((x) => x.name === conv)!.inputs[1]!))!;
    assert.equal(producer.opType, 'DequantizeLinear');
  }
  assert.equal(r.decisions.find((x) => x.node === 'dw')!.reason, 'Clip fused into the output range');
  // The ReLU6 output range starts at 0: zero point 0 clamps negatives exactly as the Clip did.
  const q = m.graph.nodes.find((n) => n.opType === 'QuantizeLinear' && n.name.startsWith('dw'))!;
  assert.deepEqual(m.graph.values.get(q.inputs[2]!)!.constant!.values, [0]);
  assert.ok(r.verification.cosine >= 0.99, `cosine ${r.verification.cosine}`);
});

test('fp16 keeps float32 inputs/outputs behind Casts and stores float16 weights', async () => {
  const r = await run({ model: mlp, transform: { op: 'quantize', mode: 'fp16' } });
  const m = read(r.output);
  assert.ok(initializerTypes(m).includes('float16'));
  assert.ok(!initializerTypes(m).includes('float32'));
  assert.equal(m.graph.values.get('x')!.type!.dataType, 'float32');
  assert.ok(ops(m).includes('Cast'));
  assert.ok(r.verification.cosine > 0.9999);
  const io16 = await run({ model: cnn, out: path.join(dir, 'cnn.io16.onnx'), transform: { op: 'quantize', mode: 'fp16', keepIo: false } });
  assert.equal(read(io16.output).graph.values.get('image')!.type!.dataType, 'float16');
  assert.ok(io16.verification.cosine > 0.999);
});

test('int8 static calibrates on user data when given (JSON here), without the generated-input warning', async () => {
  const calib = path.join(dir, 'calib.json');
  const sample = (k: number) => ({ image: { dims: [1, 3, 8, 8], data: Array.from({ length: 192 }, (_, i) => Math.sin(i * (k + 1))) } });
  fs.writeFileSync(calib, JSON.stringify([sample(0), sample(1), sample(2)]));
  const r = await run({ model: cnn, out: path.join(dir, 'cnn.static.user.onnx'), transform: { op: 'quantize', mode: 'int8-static', calibration: { data: calib } }, minElements: 0 });
  assert.ok(!r.warnings.some((w) => w.includes('generated inputs')));
  assert.ok(r.verification.cosine >= 0.98);
});

test('fp16 keeps blocked ops (Resize) in float32 with their float32 parameters', async () => {
  const b = new OnnxBuilder({ opset: 17 });
  b.input('x', 'float32', [1, 4, 8, 8]);
  b.weight('w', [4, 4, 3, 3]);
  const [c] = b.node('Conv', ['x', 'w'], { pads: [1, 1, 1, 1] }, { name: 'conv' });
  b.weight('scales', [4], Float32Array.of(1, 1, 2, 2));
  const [up] = b.node('Resize', [c!, '', 'scales'], { mode: 'nearest' }, { name: 'resize' });
  b.output(up!, 'float32', [1, 4, 16, 16]);
  const file = path.join(dir, 'resize.onnx');
  b.save(file);
  const r = await run({ model: file, transform: { op: 'quantize', mode: 'fp16' } });
  const m = read(r.output);
  assert.equal(m.graph.values.get('w')!.constant!.dataType, 'float16');
  assert.equal(m.graph.values.get('scales')!.constant!.dataType, 'float32');
  assert.equal(r.decisions.find((d) => d.node === 'resize')!.reason, 'op kept in float32');
  assert.ok(r.verification.cosine > 0.9999);
});

test('int4 weight-only: MatMulNBits with blocks of 32, Conv skipped with a reason', async () => {
  const r = await run({ model: mlp, transform: { op: 'quantize', mode: 'int4', blockSize: 32 }, minElements: 0 });
  const m = read(r.output);
  const nbits = m.graph.nodes.filter((n) => n.opType === 'MatMulNBits');
  assert.equal(nbits.length, 3);
  assert.deepEqual(nbits[0]!.attributes.get('block_size'), { type: 'int', value: 32 });
  assert.ok(r.verification.cosine >= 0.99, `cosine ${r.verification.cosine}`);
  assert.ok(r.verification.fileBytes.ratio < 0.25);
  const c = await run({ model: cnn, out: path.join(dir, 'cnn.int4.onnx'), transform: { op: 'quantize', mode: 'int4' }, minElements: 0 });
  assert.match(c.decisions.find((d) => d.node === 'conv2')!.reason!, /4-bit Conv/);
  assert.equal(c.decisions.find((d) => d.node === 'fc')!.action, 'transformed');
});

test('magnitude pruning hits the ratio per layer and globally; 2:4 leaves 2 of every 4', async () => {
  const r = await run({ model: cnn, transform: { op: 'prune', mode: 'magnitude', ratio: 0.5 } });
  assert.ok(Math.abs(r.sparsity! - 0.5) < 0.02, `sparsity ${r.sparsity}`);
  const g = await run({ model: cnn, out: path.join(dir, 'cnn.global.onnx'), transform: { op: 'prune', mode: 'magnitude', ratio: 0.5, scope: 'global' } });
  assert.ok(Math.abs(g.sparsity! - 0.5) < 0.02);
  const s = await run({ model: mlp, transform: { op: 'prune', mode: '2:4' } });
  assert.equal(s.sparsity, 0.5);
  // Random weights have no redundancy to lose gracefully: half of them gone still keeps the direction.
  assert.ok(s.verification.cosine > 0.6, `cosine ${s.verification.cosine}`);
});

test('structured pruning removes channels through BN and depthwise Conv, MACs drop, residual branches pruned as one group', async () => {
  const r = await run({ model: cnn, transform: { op: 'prune', mode: 'structured', ratio: 0.3, channelMultiple: 1 } });
  assert.ok(r.verification.macs!.ratio <= 0.75, `MAC ratio ${r.verification.macs!.ratio}`);
  const m = read(r.output);
  const dw = m.graph.nodes.find((n) => n.name === 'dw')!;
  assert.deepEqual(dw.attributes.get('group'), { type: 'int', value: 11 }); // 16 -> 11 channels
  assert.equal(r.verification.top1Agreement === undefined, false);
  const res = buildCnn(path.join(dir, 'res.onnx'), { residual: true });
  const rr = await run({ model: res, transform: { op: 'prune', mode: 'structured', ratio: 0.3, channelMultiple: 1 } });
  const grouped = rr.decisions.filter((d) => d.node === 'conv2' || d.node === 'conv3');
  assert.deepEqual(grouped.map((d) => d.reason), Array(2).fill('32 -> 22 channels (one group of 2 layers joined by residual or elementwise ops)'));
  const fc = read(rr.output).graph.nodes.find((n) => n.name === 'fc')!;
  assert.deepEqual(read(rr.output).graph.values.get(fc.inputs[1]!)!.constant!.dims, [10, 22]);
  assert.ok(rr.decisions.some((d) => d.node === 'conv1' && d.action === 'transformed'));
  const t = await run({ model: mlp, transform: { op: 'prune', mode: 'structured', ratio: 0.3, channelMultiple: 1 } });
  assert.ok(t.decisions.some((d) => d.node === 'fc1' && d.action === 'transformed'));
  assert.ok(t.verification.macs!.ratio < 0.85);
  // Default: kept widths rounded up to multiples of 8 (128 hidden units * 0.7 = 89.6 -> 96).
  const rounded = await run({ model: mlp, out: path.join(dir, 'mlp.pruned8.onnx'), transform: { op: 'prune', mode: 'structured', ratio: 0.3 } });
  assert.equal(rounded.decisions.find((d) => d.node === 'fc1')!.reason, '128 -> 96 channels');
});

test('structured pruning groups an inverted residual with Constant-bound ReLU6; a residual with the graph input is skipped with its reason', async () => {
  const block = buildInvertedResidual(path.join(dir, 'inverted.onnx'));
  const r = await run({ model: block, transform: { op: 'prune', mode: 'structured', ratio: 0.5, channelMultiple: 1 } });
  const reasons = new Map(r.decisions.map((d) => [d.node, `${d.action}: ${d.reason}`]));
  assert.equal(reasons.get('stem'), 'transformed: 16 -> 8 channels (one group of 2 layers joined by residual or elementwise ops)');
  assert.equal(reasons.get('project'), reasons.get('stem'));
  assert.equal(reasons.get('expand'), 'transformed: 64 -> 32 channels');
  assert.match(reasons.get('fc') ?? '', /skipped: .*graph output/);
  assert.deepEqual(read(r.output).graph.nodes.find((n) => n.name === 'dw')!.attributes.get('group'), { type: 'int', value: 32 });
  assert.ok(r.verification.macs!.ratio < 0.35, `MAC ratio ${r.verification.macs!.ratio}`);
  const fixed = buildInvertedResidual(path.join(dir, 'inverted-fixed.onnx'), { fixedInput: true });
  const f = await run({ model: fixed, transform: { op: 'prune', mode: 'structured', ratio: 0.5, channelMultiple: 1 } });
  const project = f.decisions.find((d) => d.node === 'project')!;
  assert.equal(project.action, 'skipped');
  assert.match(project.reason!, /residual combines its channels with image, whose channels are fixed/);
  assert.equal(f.decisions.find((d) => d.node === 'expand')!.action, 'transformed');
});

test('structured pruning follows Concat: each branch keeps its own group, the reader slices the combined channels', async () => {
  const cat = buildConcatBranches(path.join(dir, 'concat.onnx'));
  const r = await run({ model: cat, transform: { op: 'prune', mode: 'structured', ratio: 0.5, channelMultiple: 1 } });
  const reasons = new Map(r.decisions.map((d) => [d.node, `${d.action}: ${d.reason}`]));
  assert.equal(reasons.get('left'), 'transformed: 8 -> 4 channels');
  assert.equal(reasons.get('right'), 'transformed: 8 -> 4 channels');
  const m = read(r.output);
  const mix = m.graph.nodes.find((n) => n.name === 'mix')!;
  assert.deepEqual(m.graph.values.get(mix.inputs[1]!)!.constant!.dims, [6, 8, 1, 1]);
  assert.ok(r.verification.macs!.ratio < 0.6, `MAC ratio ${r.verification.macs!.ratio}`);
  const fixed = buildConcatBranches(path.join(dir, 'concat-fixed.onnx'), { fixedPart: true });
  const f = await run({ model: fixed, transform: { op: 'prune', mode: 'structured', ratio: 0.5, channelMultiple: 1 } });
  const fm = read(f.output);
  const fmix = fm.graph.nodes.find((n) => n.name === 'mix')!;
  assert.deepEqual(fm.graph.values.get(fmix.inputs[1]!)!.constant!.dims, [6, 7, 1, 1], 'the image part keeps its 3 channels, the branch keeps 4');
});

test('structured pruning removes attention heads and MLP channels of a transformer encoder', async () => {
  const encoder = path.join(dir, 'encoder.onnx');
  buildTransformerEncoder({ hidden: 32, heads: 4, layers: 1, ffn: 64, vocab: 50, maxPositions: 16, batch: 1, sequence: 8 }).save(encoder);
  const r = await run({ model: encoder, transform: { op: 'prune', mode: 'structured', ratio: 0.3 } });
  const transformed = r.decisions.filter((d) => d.action === 'transformed').map((d) => `${d.opType} ${d.reason}`);
  assert.deepEqual(transformed, ['Attention 4 -> 3 heads', 'MatMul 64 -> 48 channels']);
  assert.ok(r.verification.macs!.ratio < 0.8, `MAC ratio ${r.verification.macs!.ratio}`);
  const m = read(r.output);
  const wq = m.graph.nodes.find((n) => n.name === '/encoder/layers.0/attn/q/MatMul')!;
  assert.deepEqual(m.graph.values.get(wq.inputs[1]!)!.constant!.dims, [32, 24]);
  const wo = m.graph.nodes.find((n) => n.name === '/encoder/layers.0/attn/out/MatMul')!;
  assert.deepEqual(m.graph.values.get(wo.inputs[1]!)!.constant!.dims, [24, 32]);
});

test('sensitivity measures each layer alone and excludes those above the threshold', async () => {
  const all = await run({ model: mlp, out: path.join(dir, 'mlp.sens1.onnx'), transform: { op: 'quantize', mode: 'int4' }, minElements: 0, sensitivity: { maxDrift: 0.5 } });
  assert.equal(all.sensitivity!.length, 3);
  assert.ok(all.sensitivity!.every((s) => s.drift > 0 && !s.excluded));
  const drifts = all.sensitivity!.map((s) => s.drift).sort((a, b) => a - b);
  const threshold = (drifts[1]! + drifts[2]!) / 2;
  const r = await run({ model: mlp, out: path.join(dir, 'mlp.sens2.onnx'), transform: { op: 'quantize', mode: 'int4' }, minElements: 0, sensitivity: { maxDrift: threshold } });
  const excluded = r.sensitivity!.filter((s) => s.excluded);
  assert.equal(excluded.length, 1);
  assert.equal(r.decisions.find((d) => d.node === excluded[0]!.node)!.reason, 'excluded by the user');
  assert.ok(r.verification.cosine >= all.verification.cosine - 1e-9);
});

test('outputs never overwrite: default names step aside, explicit existing paths refuse', async () => {
  const first = await run({ model: mlp, out: undefined, transform: { op: 'prune', mode: 'magnitude', ratio: 0.2 } });
  const second = await run({ model: mlp, transform: { op: 'prune', mode: 'magnitude', ratio: 0.2 } });
  assert.notEqual(first.output, second.output);
  assert.match(path.basename(second.output), /^mlp\.sparse-\d\.onnx$/);
  await assert.rejects(run({ model: mlp, out: first.output, transform: { op: 'prune', mode: 'magnitude', ratio: 0.2 } }), /already exists/);
  await assert.rejects(run({ model: mlp, out: mlp, transform: { op: 'prune', mode: 'magnitude', ratio: 0.2 } }), /overwrite the original/);
  assert.ok(fs.readdirSync(dir).every((f) => !f.endsWith('.tmp')), 'no temp files left');
});

test('a result that onnxruntime cannot load fails verification loudly', async () => {
  const broken = path.join(dir, 'broken.onnx');
  fs.writeFileSync(broken, Buffer.from([0x08, 0x07, 0x3a, 0x02, 0x0a, 0x00]));
  const opened = openModel(mlp);
  try {
    await assert.rejects(verifyModels({
      originalPath: mlp, resultPath: broken, original: opened.working(), originalSource: opened.source,
      result: opened.working(), resultSource: opened.source, feeds: [], source: 'generated', latencyRuns: 0,
    }), (e: Error) => e.name === 'TransformError' && /cannot load the transformed model/.test(e.message));
  } finally {
    opened.close();
  }
});

test('fp16 refuses weights beyond half range (unsupported-op) and writes nothing', async () => {
  const b = new OnnxBuilder({ opset: 17 });
  b.input('x', 'float32', [1, 4]);
  b.weight('big', [4, 4], Float32Array.from({ length: 16 }, (_, i) => (i === 5 ? 1e6 : 0.1)));
  b.output(b.node('MatMul', ['x', 'big'], {}, { name: 'mm' })[0]!);
  const folder = fs.mkdtempSync(path.join(dir, 'overflow-'));
  const file = path.join(folder, 'big.onnx');
  b.save(file);
  await assert.rejects(run({ model: file, transform: { op: 'quantize', mode: 'fp16' } }),
    (e: Error & { code?: string }) => e.name === 'TransformError' && e.code === 'unsupported-op' && /beyond float16's range/.test(e.message));
  assert.deepEqual(fs.readdirSync(folder), ['big.onnx']);
});
