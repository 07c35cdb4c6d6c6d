import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The compiled CLI entry, run as a real process whose stdout is a pipe (as in `joule … | head -1`). */
const cli = path.resolve(__dirname, '../../../src/cli/main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-epipe-'));

function runAndCloseAfterFirstChunk(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -c1`: read one chunk, then close the read end while the CLI is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('a reader that closes stdout early ends every printing command quietly with exit 0', async (t) => {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const examples = await runAndCloseAfterFirstChunk(['examples', '--out', '.']);
  assert.equal(examples.stderr, '');
  const model = path.join(dir, 'cnn.onnx');
  assert.ok(fs.existsSync(model), 'examples wrote the CNN before its output was cut');
  // Large outputs (many writes) so the pipe is closed while writes are still coming.
  for (const args of [
    ['analyze', model, '--format', 'json'],
    ['analyze', model, '--format', 'csv'],
    ['compare', model, model, '--format', 'md'],
    ['profiles'],
    ['--help'],
  ]) {
    const r = await runAndCloseAfterFirstChunk(args);
    assert.equal(r.stderr, '', `${args.join(' ')} printed to stderr`);
    assert.equal(r.signal, null, args.join(' '));
    assert.equal(r.code, 0, args.join(' '));
  }
});
