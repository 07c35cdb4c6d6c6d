/**
 * A GGUF of a few hundred bytes with every architecture size at its allowed maximum used to cost
 * 10-17 s and 1 GB (10,000 blocks × ~11 costed layers each). The block count is now capped at
 * 1,000: above is exit 2 with the reason; at the cap the analysis completes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import { writeGguf } from '../../fixtures/formats/gguf/writer';
import { captureIo } from '../cli/fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-gguf-'));
const u32 = (value: number) => ({ type: 'UINT32' as const, value });

function maxedGguf(blocks: number): string {
  const file = path.join(dir, `max-${blocks}.gguf`);
  fs.writeFileSync(file, writeGguf({
    version: 3, tensors: [], metadata: [
      ['general.architecture', { type: 'STRING', value: 'llama' }],
      ['llama.block_count', u32(blocks)],
      ['llama.context_length', u32(2 ** 28)],
      ['llama.embedding_length', u32(2 ** 20)],
      ['llama.feed_forward_length', u32(2 ** 22)],
      ['llama.attention.head_count', u32(16_384)],
      ['llama.attention.head_count_kv', u32(16_384)],
      ['llama.expert_count', u32(4096)],
      ['llama.expert_used_count', u32(4096)],
      ['llama.vocab_size', u32(2 ** 24)],
    ],
  }));
  return file;
}

test('every GGUF size at its old maximum: exit 2 naming the block count', async () => {
  const io = captureIo(dir);
  assert.equal(await main(['analyze', maxedGguf(10_000), '--format', 'json'], io), 2);
  assert.match(io.err, /layers to be an integer in \[1, 1000\], got 10000/);
});

test('at the block cap the analysis completes with bounded memory', async () => {
  const io = captureIo(dir);
  const before = process.memoryUsage().rss;
  assert.equal(await main(['analyze', maxedGguf(1000), '--format', 'csv'], io), 0, io.err);
  assert.ok(process.memoryUsage().rss - before < 400 * 2 ** 20);
});
