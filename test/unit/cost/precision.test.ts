import assert from 'node:assert/strict';
import { test } from 'node:test';
import { precisionOf, precisionOfBytes, weightComputePrecision } from '../../../src/core/cost/precision';

test('one precision table, three questions: tensor arithmetic, LLM weight products, Python dtypes', () => {
  // An op on int4 tensors (MatMulNBits' packed weights, a QDQ int4 model) runs int4 arithmetic...
  assert.equal(precisionOf('int4'), 'int4');
  // ...while an LLM's int4 or block-quantized weights meet 8-bit activations in llama.cpp's dot products.
  assert.equal(weightComputePrecision('int4'), 'int8');
  assert.equal(weightComputePrecision('quantized'), 'int8');
  assert.equal(precisionOf('quantized'), undefined, 'a block-quantized tensor alone says nothing about the op');
  for (const t of ['float32', 'float16', 'bfloat16'] as const) assert.equal(weightComputePrecision(t), precisionOf(t));
  assert.equal(weightComputePrecision('float8e4m3fn'), 'fp8');
  assert.equal(weightComputePrecision('int64'), undefined, 'token ids are not weights');
  assert.equal(precisionOfBytes(2), 'fp16');
  assert.equal(precisionOfBytes(2, 'torch.bfloat16'), 'bf16');
  assert.equal(precisionOfBytes(1), 'int8');
  assert.equal(precisionOfBytes(4), 'fp32');
});
