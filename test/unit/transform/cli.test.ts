/** `joule quantize` / `joule prune` in-process: summary printed, exit 2 on bad input. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import type { CliServices } from '../../../src/cli/services';
import { buildCnn, tempDir } from './fixtures';

let dir: string;
let cnn: string;
// The transform commands use no analysis services; anything they touched would throw here.
const services = new Proxy({ version: 'test' }, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : () => { throw new Error(`unexpected service ${String(k)}`); }) }) as unknown as CliServices;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { cwd: dir, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }, services);
  return { code, out, err };
}

before(() => {
  dir = tempDir();
  cnn = buildCnn(path.join(dir, 'cnn.onnx'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('quantize prints the verification summary and writes beside the model', async () => {
  const r = await cli('quantize', 'cnn.onnx', '--mode', 'int8-dynamic', '--min-elements', '0');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /quantize int8-dynamic: wrote .*cnn\.int8\.onnx/);
  assert.match(r.out, /cosine (0\.99\d+|1\.00000)/);
  assert.match(r.out, /top-1 agreement 100\.0%/);
  assert.match(r.out, /latency \(measured, median\)/);
  assert.match(r.out, /energy \(estimated, laptop-x86\)/);
});

test('quantize --mode auto picks int8-static for a CNN on the default CPU profile and checks the promise after measuring', async () => {
  const r = await cli('quantize', 'cnn.onnx', '--mode', 'auto', '--out', 'auto.onnx');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /auto: int8-static for laptop-x86: mostly Conv weights/);
  assert.match(r.out, /quantize int8-static/);
  assert.match(r.out, /expectation: Expected faster on laptop-x86 .*; measured .* on this CPU: the promise (held|did NOT hold)\./);
  assert.match(r.out, /time \(measured\): transform .* s .*verification .* s/);
});

test('prune structured prints MACs and skipped layers with reasons', async () => {
  const r = await cli('prune', cnn, '--mode', 'structured', '--ratio', '0.3', '--out', 'small.onnx');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /MACs per inference: .* -> /);
  assert.match(r.out, /skipped fc \(Gemm\): its channels reach the graph output/);
});

test('bad input exits 2 with a sentence', async () => {
  for (const argv of [
    ['quantize', 'cnn.onnx'],
    ['quantize', 'cnn.onnx', '--mode', 'int3'],
    ['prune', 'cnn.onnx', '--mode', 'structured'],
    ['prune', 'cnn.onnx', '--mode', 'magnitude', '--ratio', '2'],
    ['quantize', 'missing.onnx', '--mode', 'fp16'],
    ['quantize', 'cnn.onnx', '--mode', 'fp16', '--out', 'cnn.onnx'],
  ]) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, /^joule: /);
  }
});
