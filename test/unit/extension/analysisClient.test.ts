/**
 * The extension's analysis client (worker threads through the worker host): work that hangs or
 * exhausts memory fails with an AnalysisFailure for the user and a fresh worker takes the next call; the host process is never the one that stops. Also
 * drives the real analysis worker the way the editor does (Python code and config.json as typed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancelledError } from '../../../src/core/errors';
import { OnnxBuilder } from '../../../src/core/onnx/builder';
import { AnalysisClient, AnalysisFailure } from '../../../src/extension/analysisClient';
import { closeDocumentNotification } from '../../../src/extension/worker/protocol';
import { testMethods } from '../workers/testProtocol';

const busyScript = path.join(__dirname, '..', 'workers', 'testWorker.js');
const analysisScript = path.join(__dirname, '..', '..', '..', 'src', 'extension', 'analysisWorker.js');
const fixtures = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

async function failure(promise: Promise<unknown>): Promise<AnalysisFailure> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AnalysisFailure, `an AnalysisFailure, got ${String(e)}`);
    return e;
  }
  assert.fail('the call should have failed');
}

describe('AnalysisClient', { timeout: 60_000 }, () => {
  const channel = new AnalysisClient(busyScript, { purpose: 'test work', heapMb: 64, timeoutMs: 5_000 }, testMethods);
  const problems: string[] = [];
  channel.onProblem = (m: string) => problems.push(m);
  after(() => channel.dispose());

  it('answers calls by id, in any order', async () => {
    const answers = await Promise.all([channel.call('echo', 'a'), channel.call('spin', 20), channel.call('echo', 'b')]);
    assert.equal(answers[0], 'a');
    assert.equal(answers[2], 'b');
  });

  it('passes a handler error through with its name and message', async () => {
    const e = await failure(channel.call('fail', 'no such grid region'));
    assert.equal(e.errorName, 'RangeError');
    assert.equal(e.message, 'no such grid region');
    assert.equal(await channel.call('echo', 'still here'), 'still here');
  });

  it('stops a call past its time limit, fails the calls queued behind it, and starts a fresh worker', async () => {
    const hung = channel.call('spin', 60_000, { timeoutMs: 300 });
    const queued = channel.call('echo', 'behind the hung call');
    const e = await failure(hung);
    assert.equal(e.errorName, 'Timeout');
    assert.match(e.message, /test work took longer than 0\.3 s/);
    assert.equal((await failure(queued)).errorName, 'Timeout');
    assert.equal(await channel.call('echo', 'fresh'), 'fresh');
    assert.ok(problems.some((p) => /ran past 0\.3 s/.test(p)), problems.join('\n'));
  });

  it('a cancelled call rejects with CancelledError at once; the call queued behind it runs again on a fresh worker', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const spinning = channel.call('spin', 60_000, { signal: controller.signal });
    const queued = channel.call('echo', 'queued behind the cancelled call');
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(spinning, CancelledError);
    assert.ok(Date.now() - started < 5_000, 'a synchronous handler is stopped after a short grace, not at its time limit');
    assert.equal(await queued, 'queued behind the cancelled call');
    assert.equal(await channel.call('echo', 'next'), 'next');
  });

  it('a worker past its heap cap dies, not the host, and the next call works', async () => {
    const e = await failure(channel.call('grow', null));
    assert.equal(e.errorName, 'OutOfMemory', e.message);
    assert.match(e.message, /needed more than its 64 MB memory limit/);
    assert.equal(await channel.call('echo', 'after the crash'), 'after the crash');
  });
});

describe('the analysis worker, as the editor calls it', { timeout: 60_000 }, () => {
  const channel = new AnalysisClient(analysisScript, { purpose: 'editor analysis', heapMb: 512, timeoutMs: 20_000 });
  after(() => channel.dispose());
  const python = fs.readFileSync(path.join(fixtures, 'python', 'pytorch_cnn.py'), 'utf8');
  const options = { profileId: 'laptop-x86' };

  it('prices Python code as typed, incrementally, and fixes a layer of the text it saw', async () => {
    const priced = await channel.call('analyzePython', { document: 'file:///cnn.py', text: python, path: '/cnn.py', options });
    assert.ok(priced, 'the file defines layers');
    const conv1 = priced.source.layers.findIndex((l) => l.variable.endsWith('conv1'));
    assert.ok(conv1 >= 0, priced.source.layers.map((l) => l.variable).join(', '));
    assert.equal(priced.source.layers[conv1]!.params, 864, 'Conv2d(3, 32, 3, bias=False)');
    assert.ok(priced.layerEnergy[conv1]!.energy.totalJ > 0);
    assert.equal(priced.analysis.profile.id, 'laptop-x86');
    // An edit: the worker re-parses from its kept tree and sees the new width.
    const edited = python.replace('nn.Conv2d(3, width,', 'nn.Conv2d(3, 2 * width,');
    assert.notEqual(edited, python);
    const again = await channel.call('analyzePython', { document: 'file:///cnn.py', text: edited, path: '/cnn.py', options });
    assert.equal(again?.source.layers[conv1]!.params, 1728);
    const fixes = await channel.call('pythonFixes', { document: 'file:///cnn.py', text: edited, layerIndex: conv1 });
    assert.ok(fixes.length > 0 && fixes.every((f) => f.edits.length > 0), JSON.stringify(fixes.map((f) => f.title)));
    channel.notify(closeDocumentNotification, { document: 'file:///cnn.py' });
  });

  it('a hostile line answers with the budget, and a file without layers answers undefined', async () => {
    const hostile = 'from torch import nn\nm = nn.ModuleList([nn.Linear(4, 4) for _ in range(10**12)])\nx = [0] * 10**9\n';
    const started = Date.now();
    const priced = await channel.call('analyzePython', { document: 'file:///h.py', text: hostile, path: '/h.py', options });
    assert.ok(Date.now() - started < 10_000);
    assert.ok((priced?.source.layers.length ?? 0) <= 1);
    assert.equal(await channel.call('analyzePython', { document: 'file:///empty.py', text: 'print(1)\n', path: '/empty.py', options }), undefined);
  });

  it('a model past the node budget is refused as GraphBudgetError with its counts (the editor offers the setting); the setting raises it', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-budget-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const b = new OnnxBuilder({ opset: 17 });
    let x = b.input('x', 'float32', [1, 8]);
    for (let i = 0; i < 12; i++) x = b.node('Relu', [x])[0]!;
    b.output(x);
    const model = path.join(dir, 'relu12.onnx');
    fs.writeFileSync(model, b.toBytes());
    const e = await failure(channel.call('analyzeFile', { path: model, options: { ...options, maxGraphNodes: 10 } }));
    assert.equal(e.errorName, 'GraphBudgetError');
    assert.deepEqual([e.fields.nodes, e.fields.budget], [12, 10]);
    const raised = await channel.call('analyzeFile', { path: model, options: { ...options, maxGraphNodes: 12 } });
    assert.equal(raised.analysis.layers.length, 12);
  });

  it('config.json: field hints and the energy per token; a FIFO in the profiles folder is skipped, not waited on', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-profiles-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fifo = path.join(dir, 'planted.json');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      t.skip('mkfifo is not available');
      return;
    }
    const text = JSON.stringify({ model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, max_position_embeddings: 4096, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, torch_dtype: 'float16', vocab_size: 32000 }, null, 2);
    const answer = await channel.call('configJsonHints', { text, path: '/config.json', options: { profileId: 'a100', userProfilesDir: dir } });
    assert.ok(answer.hints.some((h) => h.key === 'num_key_value_heads'), answer.hints.map((h) => h.key).join(', '));
    assert.match(answer.tokenEnergy?.label ?? '', /decode .*\/token .* estimated on a100/);
  });
});
