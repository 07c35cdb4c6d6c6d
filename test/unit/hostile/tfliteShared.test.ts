/**
 * Shared-table amplification in flatbuffers: many TFLite operators or tensors pointing at one shared
 * vector or table decode it again each time. A file of a few MB used to decode 10^9–10^10 numbers
 * (GBs, or a V8 abort); the reader's decode budget now stops it with a ModelFormatError (exit 2).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelFormatError } from '../../../src/core/errors';
import { DECODE_BUDGET_BASE } from '../../../src/core/formats/tflite/flatbuffer';
import { readTfliteModel } from '../../../src/core/formats/tflite/reader';
import { tinyInt8CnnSpec } from '../../fixtures/formats/tflite/tinyCnn';
import { type TfliteTensorSpec, writeTflite } from '../../fixtures/formats/tflite/writer';
import { BufferByteSource } from '../../../src/core/io/byteSource';

const COUNT = 20_000;
const tensor = (i: number, quantization?: TfliteTensorSpec['quantization']): TfliteTensorSpec =>
  ({ name: `t${i}`, dataType: 'int8', shape: [1], ...(quantization ? { quantization } : {}) });

function assertBudgetError(bytes: Uint8Array): void {
  const before = process.memoryUsage().rss;
  assert.throws(() => readTfliteModel(new BufferByteSource(bytes, 'shared.tflite')), (e: unknown) =>
    e instanceof ModelFormatError && /decoded elements/.test(e.message) && /shared table/.test(e.message));
  // The budget bounds what is decoded: far below the GBs the file used to cost.
  assert.ok(process.memoryUsage().rss - before < 400 * 2 ** 20);
}

describe('hostile TFLite: shared-table amplification', () => {
  it(`${COUNT} operators sharing one input vector of ${COUNT} entries stop at the decode budget`, () => {
    const inputs = new Array<number>(COUNT).fill(0);
    const outputs = [0];
    const bytes = writeTflite({
      tensors: [tensor(0)], inputs: [0], outputs: [0],
      operators: Array.from({ length: COUNT }, () => ({ op: 'ADD', inputs, outputs })),
    });
    assert.ok(bytes.length < 2 ** 20, 'the file is small');
    assert.ok(COUNT * COUNT > DECODE_BUDGET_BASE * 10, 'and would decode far more than the budget');
    assertBudgetError(bytes);
  });

  it(`${COUNT} tensors sharing one quantization of ${COUNT} scales stop at the decode budget`, () => {
    const quantization = { scale: new Array<number>(COUNT).fill(0.5), zeroPoint: new Array<number>(COUNT).fill(0) };
    const bytes = writeTflite({
      tensors: Array.from({ length: COUNT }, (_, i) => tensor(i, quantization)), inputs: [0], outputs: [0],
      operators: [{ op: 'ADD', inputs: [0, 0], outputs: [0] }],
    });
    assertBudgetError(bytes);
  });

  it('a real model decodes well within the budget', () => {
    const model = readTfliteModel(new BufferByteSource(writeTflite(tinyInt8CnnSpec()), 'tiny.tflite'));
    assert.ok(model.subgraphs[0]!.operators.length > 3);
  });
});
