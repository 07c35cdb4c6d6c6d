import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Analysis } from '../../../src/core/energy/analysis';
import { writeFormatFixtures } from '../../fixtures/formats/writeFormatFixtures';
import { captureIo } from './fakeServices';

/** Every format through `joule analyze`: the same pipeline, the same JSON. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-cli-formats-'));
const files = writeFormatFixtures(dir);
const file = (suffix: string) => files.find((f) => f.endsWith(suffix))!;

async function analyze(...args: string[]): Promise<Analysis> {
  const io = captureIo(dir);
  const code = await main(['analyze', ...args, '--format', 'json'], io);
  assert.equal(code, 0, io.err);
  return JSON.parse(io.out) as Analysis;
}

test('an int8 TFLite model is costed layer by layer at int8 on a microcontroller', async () => {
  const a = await analyze(file('.tflite'), '--profile', 'cortex-m4');
  assert.equal(a.model.format, 'tflite');
  assert.ok(a.model.params > 0 && a.model.weightBytes > 0);
  assert.ok(a.layers.length >= 3);
  assert.ok(a.layers.filter((l) => l.macs > 0).every((l) => l.precision === 'int8'));
  assert.equal(a.unknownOps.length, 0);
});

test('GGUF and safetensors LLMs are costed as a decode step at the context asked for', async () => {
  for (const f of [file('.gguf'), file('model.safetensors')]) {
    const short = await analyze(f, '--profile', 'h100', '--dim', 'context=256');
    const long = await analyze(f, '--profile', 'h100', '--dim', 'context=4096');
    assert.ok(['gguf', 'safetensors'].includes(short.model.format));
    assert.ok(short.model.params > 0 && short.model.weightBytes > 0);
    assert.equal(long.settings.dims.context, 4096);
    // The KV cache read grows with the context: a longer context costs more per token.
    assert.ok(long.totals.energy.totalJ > short.totals.energy.totalJ);
  }
});

test('a config.json alone gives the exact parameter count and the bytes at its dtype', async () => {
  const a = await analyze(file(path.join('llama-2-7b', 'config.json')), '--profile', 'h100');
  assert.equal(a.model.format, 'hf-config');
  assert.equal(a.model.params, 6_738_415_616);
  assert.equal(a.model.weightBytes, 6_738_415_616 * 2);
  // Decode at batch 1 reads every weight once per token: memory-bound on a datacenter GPU.
  const bytes = a.layers.reduce((n, l) => n + l.bytes.weights, 0);
  assert.ok(bytes > 13e9, `weight bytes read per token ${bytes}`);
  const weightProducts = a.layers.filter((l) => l.macs > 0 && l.bytes.weights > 0);
  assert.ok(weightProducts.length > 0 && weightProducts.every((l) => l.bound === 'memory'));
});
