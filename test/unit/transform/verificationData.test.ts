/** Verification on the user's data: accuracy with labels.txt, agreement without, bad label files refused. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readVerificationData } from '../../../src/core/transform/io/verificationData';
import { runTransformInProcess } from '../../../src/core/transform/job';
import { formatTransformSummary } from '../../../src/core/transform/summary';
import { TransformError } from '../../../src/core/transform/transformError';
import { generateFeeds, type InputSpec } from '../../../src/core/transform/verify/feeds';
import { OrtSession } from '../../../src/core/transform/verify/ortRunner';
import { buildCnn, npyFloat32, tempDir } from './fixtures';

let dir: string;
let cnn: string;
let data: string;
let predictions: number[];

before(async () => {
  dir = tempDir();
  cnn = buildCnn(path.join(dir, 'cnn.onnx'));
  data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const spec: InputSpec = { name: 'image', dataType: 'float32', shape: [1, 3, 8, 8] };
  const session = await OrtSession.open(cnn, 'cnn');
  predictions = [];
  for (let i = 0; i < 6; i++) {
    const feeds = generateFeeds([spec], 500 + i);
    fs.writeFileSync(path.join(data, `x${i}.npy`), npyFloat32([1, 3, 8, 8], feeds.image!.values));
    const logits = (await session.run(feeds)).values.values().next().value!;
    predictions.push(logits.indexOf(Math.max(...logits)));
  }
  await session.release();
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const fp16 = { op: 'quantize', mode: 'fp16' } as const;

test('without labels: agreement on the user inputs, marked as user data, no accuracy', async () => {
  const r = await runTransformInProcess({ model: cnn, out: path.join(dir, 'a.onnx'), transform: fp16, verification: { data, latencyRuns: 0 } });
  assert.equal(r.verification.inputs, 'user data');
  assert.equal(r.verification.samples, 6);
  assert.equal(r.verification.accuracy, undefined);
  assert.match(formatTransformSummary(r), /6 input sets from your data/);
});

test('with labels.txt: top-1 and top-5 accuracy before and after, in the summary', async () => {
  // Half the labels are the original's own predictions, half another class: 50% top-1 before.
  const labels = predictions.map((p, i) => (i % 2 === 0 ? p : (p + 1) % 10));
  fs.writeFileSync(path.join(data, 'labels.txt'), `${labels.join('\n')}\n`);
  try {
    const r = await runTransformInProcess({ model: cnn, out: path.join(dir, 'b.onnx'), transform: fp16, verification: { data, latencyRuns: 0 } });
    const a = r.verification.accuracy!;
    assert.equal(a.rows, 6);
    assert.equal(a.top1.before, 0.5);
    assert.ok(a.top5!.before >= a.top1.before);
    assert.equal(a.top1.after, 0.5, 'fp16 keeps the top class of this small CNN');
    assert.match(formatTransformSummary(r), /accuracy on your labelled data \(measured, 6 rows\): top-1 50\.0% -> 50\.0%, top-5/);
  } finally {
    fs.rmSync(path.join(data, 'labels.txt'));
  }
});

test('a labels file that does not match the inputs is refused before anything is written', async () => {
  fs.writeFileSync(path.join(data, 'labels.txt'), '1\n2\n');
  try {
    await assert.rejects(runTransformInProcess({ model: cnn, out: path.join(dir, 'c.onnx'), transform: fp16, verification: { data } }),
      (e: unknown) => e instanceof TransformError && e.code === 'bad-request' && /2 labels for 6 input rows/.test(e.message));
    assert.ok(!fs.existsSync(path.join(dir, 'c.onnx')));
  } finally {
    fs.rmSync(path.join(data, 'labels.txt'));
  }
});

test('generated inputs are labelled as agreement, never accuracy', async () => {
  const r = await runTransformInProcess({ model: cnn, out: path.join(dir, 'd.onnx'), transform: fp16, verification: { samples: 2, latencyRuns: 0 } });
  assert.equal(r.verification.inputs, 'generated');
  const summary = formatTransformSummary(r);
  assert.match(summary, /generated input sets: agreement with the original, not accuracy/);
  assert.doesNotMatch(summary, /accuracy on/);
});

test('an ImageNet-style folder of PNG and JPEG images is labelled by sorted class folder and preprocessed with the preset', async () => {
  const root = path.join(dir, 'images');
  const solid = (r: number, g: number, b: number, w = 10, h = 12): Buffer => {
    const data = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set([r, g, b, 255], i * 4);
    return data;
  };
  for (const cls of ['cat', 'ant']) fs.mkdirSync(path.join(root, cls), { recursive: true });
  const png = new PNG({ width: 10, height: 12 });
  solid(255, 0, 0).copy(png.data);
  fs.writeFileSync(path.join(root, 'ant', 'red.png'), PNG.sync.write(png));
  fs.writeFileSync(path.join(root, 'cat', 'a.jpg'), Buffer.from(jpeg.encode({ width: 10, height: 12, data: solid(0, 0, 255) }, 95).data));
  fs.writeFileSync(path.join(root, 'cat', 'b.png'), PNG.sync.write(png));
  const spec: InputSpec = { name: 'image', dataType: 'float32', shape: ['batch', 3, 8, 8] };
  const { feeds, labels } = readVerificationData(root, [spec]);
  assert.deepEqual(labels, [0, 1, 1], 'ant = 0, cat = 1 (sorted), files sorted within a class');
  assert.deepEqual(feeds[0]!.image!.dims, [1, 3, 8, 8]);
  const red = feeds[0]!.image!.values;
  assert.ok(Math.abs(red[0]! - (1 - 0.485) / 0.229) < 1e-6, `R ${red[0]}`);
  assert.ok(Math.abs(red[64]! - (0 - 0.456) / 0.224) < 1e-6, `G ${red[64]}`);
  const blue = feeds[1]!.image!.values;
  assert.ok(Math.abs(blue[128]! - (1 - 0.406) / 0.225) < 0.05, `B of the JPEG ${blue[128]}`);
  assert.equal(readVerificationData(root, [spec], 'unit').feeds[0]!.image!.values[0], 1);
  const r = await runTransformInProcess({ model: cnn, out: path.join(dir, 'e.onnx'), transform: fp16, verification: { data: root, latencyRuns: 0 } });
  assert.equal(r.verification.accuracy!.rows, 3);
  assert.equal(r.verification.inputs, 'user data');
});
