// Issue 14: third-party ONNX patterns (symbolic spatial dims, If-wrapped recurrent body) give
// headlines that are right or labelled assumed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../../../src/core/pipeline/modelFile';
import { renderAnalysis } from '../../../src/core/report';
import { buildIfWrappedVad, buildSymbolicDetector, DETECTOR_DIMS, vadBranchParams } from '../../fixtures/wildModels';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-wild-'));
const write = (name: string, bytes: Uint8Array): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};
const detector = write('det.onnx', buildSymbolicDetector());
const vad = write('vad.onnx', buildIfWrappedVad());

/** MACs of the detector at an H×W input: two stride-2 3×3 convs, a 1×1 head at full size. */
const detectorMacs = (h: number, w: number): number =>
  (h / 2) * (w / 2) * 16 * 3 * 9 + (h / 4) * (w / 4) * 32 * 16 * 9 + h * w * 32;

test('a detector with anonymous spatial dims is analysed at 640×640, labelled assumed, never 1×1', () => {
  const a = analyzeFile(detector);
  assert.equal(a.totals.macs, detectorMacs(640, 640));
  const roles = (a.assumedDims ?? []).map((d) => `${d.role}=${d.value}:${d.source}`);
  assert.deepEqual(roles, ['height=640:layout', 'width=640:layout']);
  assert.equal(a.settings.dims[DETECTOR_DIMS[1]], 640);
  const text = renderAnalysis(a, 'table');
  assert.match(text.split('\n')[0]!, /assumed H=W=640 \(x\)/);
  assert.match(text, /Energy per inference .*at assumed H=W=640/);
});

test('H and W given by role set the detector\'s dims and nothing is assumed', () => {
  const a = analyzeFile(detector, { dims: { H: 320, W: 480 } });
  assert.equal(a.totals.macs, detectorMacs(320, 480));
  assert.equal(a.assumedDims, undefined);
  assert.doesNotMatch(renderAnalysis(a, 'table'), /assumed/);
});

test('openDims lists every open dim with its role and source, user-given and batch ones included (the batch always comes from --batch, default 1)', () => {
  const a = analyzeFile(detector, { dims: { H: 320 } });
  assert.deepEqual(a.openDims?.map((d) => [d.role, d.value, d.source]), [['batch', 1, 'user'], ['height', 320, 'user'], ['width', 640, 'layout']]);
  assert.deepEqual(a.assumedDims?.map((d) => d.role), ['width']);
});

test('an image size in the model\'s metadata wins over the default', () => {
  const file = write('det-meta.onnx', buildSymbolicDetector({ imgsz: '[960, 960]' }));
  const a = analyzeFile(file);
  assert.equal(a.totals.macs, detectorMacs(960, 960));
  assert.deepEqual((a.assumedDims ?? []).map((d) => d.source), ['metadata', 'metadata']);
});

test('the JSON lists assumedDims with name, value, role and source', () => {
  const json = JSON.parse(renderAnalysis(analyzeFile(detector), 'json')) as { assumedDims: { name: string; value: number; role: string }[] };
  assert.deepEqual(json.assumedDims.map((d) => [d.name, d.value, d.role]), [[DETECTOR_DIMS[1], 640, 'height'], [DETECTOR_DIMS[2], 640, 'width']]);
});

test('weights inside If branches count toward the model\'s params and bytes', () => {
  const a = analyzeFile(vad);
  // Both branches' weights plus 4 shape constants per branch and the sr comparison constant.
  const params = vadBranchParams(256) + vadBranchParams(128) + 9;
  assert.equal(a.model.params, params);
  assert.ok(a.model.weightBytes >= 4 * (vadBranchParams(256) + vadBranchParams(128)));
});

/** MACs of one VAD branch over 512 samples: frame conv (kernel k, stride k/2), cell and decoder. */
const branchMacs = (kernel: number): number => ((512 - kernel) / (kernel / 2) + 1) * 64 * kernel + (64 + 128) * 128 + 128;

test('an If on a data input is priced as a labelled range, the costlier branch counted; outputs keep their shapes', () => {
  const a = analyzeFile(vad, { dims: { samples: 512 } });
  const layer = a.layers.find((l) => l.opType === 'If')!;
  const [low, high] = [branchMacs(256), branchMacs(128)];
  assert.match(layer.note ?? '', new RegExp(`depends on input data: range ${low}–${high} MACs`));
  assert.equal(a.totals.macs, high);
  assert.deepEqual(layer.outputShapes, [[1, 1], [2, 1, 128]]);
});

test('an If whose condition is known at analysis time takes that branch only', () => {
  const file = write('vad-16k.onnx', buildIfWrappedVad({ fixedSr: 16000 }));
  const a = analyzeFile(file, { dims: { samples: 512 } });
  const layer = a.layers.find((l) => l.opType === 'If')!;
  assert.equal(layer.macs, branchMacs(256));
  assert.match(layer.note ?? '', /then branch taken/);
});
