/** Calibration inputs from .npy, TensorProto .pb (also test_data_set folders) and JSON, and their errors. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCalibrationData, readNpy, readPb } from '../../../src/core/transform/io/calibData';
import { TransformError } from '../../../src/core/transform/transformError';
import type { InputSpec } from '../../../src/core/transform/verify/feeds';
import { tensorProto } from '../../../src/core/onnx/tensorProtoWriter';
import { tempDir } from './fixtures';

let dir: string;
const single: InputSpec[] = [{ name: 'x', dataType: 'float32', shape: [1, 2, 2] }];

/** A .npy v1 file as numpy writes it. */
function npy(dtype: string, shape: number[], body: Uint8Array): Buffer {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(body)]);
}

before(() => {
  dir = tempDir();
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('.npy float32 and int64 arrays decode with their shapes', () => {
  const f = path.join(dir, 'a.npy');
  fs.writeFileSync(f, npy('<f4', [1, 2, 2], new Uint8Array(Float32Array.of(1, -2, 3.5, 4).buffer)));
  assert.deepEqual(readNpy(f), { dataType: 'float32', dims: [1, 2, 2], values: [1, -2, 3.5, 4] });
  const g = path.join(dir, 'ids.npy');
  fs.writeFileSync(g, npy('<i8', [3], new Uint8Array(BigInt64Array.of(7n, 8n, 9n).buffer)));
  assert.deepEqual(readNpy(g), { dataType: 'int64', dims: [3], values: [7, 8, 9] });
  const bad = path.join(dir, 'bad.npy');
  fs.writeFileSync(bad, npy('<c8', [1], new Uint8Array(8)));
  assert.throws(() => readNpy(bad), /dtype <c8 is not supported/);
});

test('TensorProto .pb with a name, and the test_data_set folder layout', () => {
  const pb = tensorProto({ name: 'x', dataType: 'float32', dims: [1, 2, 2], raw: new Uint8Array(Float32Array.of(0.5, 1, 1.5, 2).buffer) }).toBytes();
  const f = path.join(dir, 'x.pb');
  fs.writeFileSync(f, pb);
  assert.deepEqual(readPb(f), { name: 'x', tensor: { dataType: 'float32', dims: [1, 2, 2], values: [0.5, 1, 1.5, 2] } });
  const root = fs.mkdtempSync(path.join(dir, 'sets-'));
  for (const n of [0, 1]) {
    fs.mkdirSync(path.join(root, `test_data_set_${n}`));
    fs.writeFileSync(path.join(root, `test_data_set_${n}`, 'input_0.pb'), pb);
  }
  const samples = readCalibrationData(root, single);
  assert.equal(samples.length, 2);
  assert.deepEqual(samples[1]!['x']!.values, [0.5, 1, 1.5, 2]);
});

test('JSON: one sample, a list of samples, nested arrays or {dims, data}', () => {
  const f = path.join(dir, 'samples.json');
  fs.writeFileSync(f, JSON.stringify([{ x: [[[1, 2], [3, 4]]] }, { x: { dims: [1, 2, 2], data: [5, 6, 7, 8] } }]));
  const samples = readCalibrationData(f, single);
  assert.equal(samples.length, 2);
  assert.deepEqual(samples[0]!['x']!.dims, [1, 2, 2]);
  assert.deepEqual(samples[1]!['x']!.values, [5, 6, 7, 8]);
});

test('calibration data errors name the file and the problem', () => {
  const wrongName = path.join(dir, 'wrong.json');
  fs.writeFileSync(wrongName, JSON.stringify({ y: [1] }));
  assert.throws(() => readCalibrationData(wrongName, single), (e: unknown) => e instanceof TransformError && e.code === 'bad-request' && /no input named y/.test(e.message));
  const ragged = path.join(dir, 'ragged.json');
  fs.writeFileSync(ragged, JSON.stringify({ x: [[1, 2], [3]] }));
  assert.throws(() => readCalibrationData(ragged, single), /rectangular/);
  const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
  assert.throws(() => readCalibrationData(empty, single), /no .npy, .pb or .json/);
  assert.throws(() => readCalibrationData(path.join(dir, 'nope'), single), /not found/);
  const two: InputSpec[] = [...single, { name: 'mask', dataType: 'int64', shape: [1, 2] }];
  const a = path.join(dir, 'a.npy');
  assert.throws(() => readCalibrationData(a, two), /which of the 2 inputs/);
});
