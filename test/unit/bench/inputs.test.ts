import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bindShape, buildInputs, fillArray } from '../../../src/core/bench/inputs';
import { declarationsFromFile } from '../../../src/core/bench/modelInputs';
import { OnnxBuilder } from '../../../src/core/onnx/builder';

test('symbolic dims are bound from the map, unbound and unknown ones become 1', () => {
  assert.deepEqual(bindShape(['batch', 3, 'seq', undefined, -1, 'other'], { batch: 8, seq: 128 }), [8, 3, 128, 1, 1, 1]);
});

test('batch binds the leading symbolic dimension unless dims name it', () => {
  assert.deepEqual(bindShape(['N', 'seq', 4], {}, 16), [16, 1, 4]);
  assert.deepEqual(bindShape(['N', 'seq'], { N: 2 }, 16), [2, 1]);
  assert.deepEqual(bindShape([3, 'N'], {}, 16), [3, 1]);
});

test('generated inputs are typed by element type: float32, int64 (bigint), bool', () => {
  const inputs = buildInputs(
    [
      { name: 'pixels', type: 'float32', shape: ['batch', 3, 2, 2] },
      { name: 'ids', type: 'int64', shape: ['batch', 'seq'] },
      { name: 'mask', type: 'bool', shape: [4] },
    ],
    { batch: 2, seq: 5 },
  );
  const [pixels, ids, mask] = inputs;
  assert.ok(pixels?.data instanceof Float32Array);
  assert.equal(pixels.data.length, 24);
  assert.deepEqual(pixels.dims, [2, 3, 2, 2]);
  assert.ok(pixels.data.every((v) => v >= -1 && v < 1));
  assert.ok(ids?.data instanceof BigInt64Array);
  assert.equal(ids.data.length, 10);
  assert.ok([...ids.data].every((v) => v >= 0n && v < 8n));
  assert.ok(mask?.data instanceof Uint8Array);
  assert.ok([...mask.data].every((v) => v === 0 || v === 1));
  assert.equal(pixels.origin, 'generated');
});

test('generation is deterministic (same data on every run)', () => {
  assert.deepEqual(fillArray('float32', 16, 3), fillArray('float32', 16, 3));
  assert.notDeepEqual(fillArray('float32', 16, 3), fillArray('float32', 16, 4));
});

test('user inputs are used as given and checked against their dims', () => {
  const [ids] = buildInputs([{ name: 'ids', type: 'int64', shape: ['seq'] }], {}, { ids: { type: 'int64', dims: [3], data: [5, 6, 7] } });
  assert.deepEqual([...(ids?.data as BigInt64Array)], [5n, 6n, 7n]);
  assert.equal(ids?.origin, 'user');
  assert.throws(
    () => buildInputs([{ name: 'x', type: 'float32', shape: [2] }], {}, { x: { type: 'float32', dims: [2], data: [1] } }),
    /1 values given, dims \[2\] need 2/,
  );
  assert.throws(() => buildInputs([{ name: 'x', type: 'float32', shape: [2] }], {}, { y: { type: 'float32', dims: [1], data: [1] } }), /not an input/);
});

test('an input of a type that cannot be generated asks for user data', () => {
  assert.throws(() => buildInputs([{ name: 's', type: 'string', shape: [1] }], {}), /supply it with "inputs"/);
});

test('float16 values are IEEE half bits', () => {
  const [h] = buildInputs([{ name: 'h', type: 'float16', shape: [2] }], {}, { h: { type: 'float16', dims: [2], data: [1, -0.5] } });
  assert.deepEqual([...(h?.data as Uint16Array)], [0x3c00, 0xb800]);
});

test('without onnxruntime metadata, declarations come from the file (symbolic dims kept)', () => {
  const b = new OnnxBuilder();
  const ids = b.input('ids', 'int64', ['batch', 'seq']);
  const [y] = b.node('Gather', [b.weight('table', [8, 4]), ids], { axis: 0 });
  b.output(y!, 'float32');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'joule-decl-')), 'm.onnx');
  fs.writeFileSync(file, b.toBytes());
  assert.deepEqual(declarationsFromFile(file), [{ name: 'ids', type: 'int64', shape: ['batch', 'seq'] }]);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
