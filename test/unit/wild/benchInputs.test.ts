// Issue 14: benchmarks take real input values per input name; errors name the inputs and values.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Options, parseArgs } from '../../../src/cli/args';
import { createBenchCommand } from '../../../src/cli/commands/bench';
import type { CliServices } from '../../../src/cli/services';
import { parseInputValues } from '../../../src/core/bench/inputValues';
import { declarationsFromFile } from '../../../src/core/bench/modelInputs';
import { runBenchmark } from '../../../src/core/bench/runner';
import { encodeRaw, tensorProto } from '../../../src/core/onnx/tensorProtoWriter';
import { withGivenInputs } from '../../../src/core/transform/verify/feeds';
import { buildIfWrappedVad, buildSymbolicDetector } from '../../fixtures/wildModels';

const workerPath = path.resolve(__dirname, '../../../src/core/bench/worker.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-wild-bench-'));
const vad = path.join(dir, 'vad.onnx');
fs.writeFileSync(vad, buildIfWrappedVad());
const noCounters = { prefer: 'estimate' as const, powercapRoot: path.join(dir, 'none'), searchPath: '' };

/** A .npy file as numpy.save writes it (version 1.0, little-endian float32, C order). */
function npy(dims: readonly number[], values: readonly number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + 4 * values.length);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(Float32Array.from(values).buffer), 10 + header.length);
  return out;
}

test('--input values: a scalar typed from the declaration, a .npy, a .json nested array and a .pb TensorProto', () => {
  fs.writeFileSync(path.join(dir, 'state.npy'), npy([2, 1, 128], new Array(256).fill(0.5)));
  fs.writeFileSync(path.join(dir, 'audio.json'), JSON.stringify([[0.1, 0.2, 0.3, 0.4]]));
  const inputs = parseInputValues(['sr=16000', 'state=state.npy', 'input=audio.json'], declarationsFromFile(vad), dir);
  assert.deepEqual(inputs['sr'], { type: 'int64', dims: [], data: [16000] });
  assert.deepEqual(inputs['state']?.dims, [2, 1, 128]);
  assert.equal(inputs['state']?.data[0], 0.5);
  assert.deepEqual(inputs['input'], { type: 'float32', dims: [1, 4], data: [0.1, 0.2, 0.3, 0.4] });
  const pb = tensorProto({ name: 'sr', dataType: 'int64', dims: [], raw: encodeRaw('int64', [8000]) }).toBytes();
  fs.writeFileSync(path.join(dir, 'sr.pb'), pb);
  assert.deepEqual(parseInputValues(['sr=sr.pb'], declarationsFromFile(vad), dir)['sr'], { type: 'int64', dims: [], data: [8000] });
  assert.throws(() => parseInputValues(['rate=16000'], declarationsFromFile(vad), dir), /no input named rate \(inputs: input, state, sr\)/);
  assert.throws(() => parseInputValues(['sr=fast'], declarationsFromFile(vad), dir), /neither a number/);
});

test('joule bench runs the If-wrapped model with a given sr and generates the rest at the analysis dims', async () => {
  const command = createBenchCommand((options, progress, signal) => runBenchmark({ ...options, workerPath, energy: { ...options.energy, ...noCounters } }, progress, signal),
    { cpuRoot: path.join(dir, 'no-cpu'), searchPath: '' });
  const argv = [vad, '--input', 'sr=16000', '--dim', 'samples=512', '--iterations', '3', '--warmup', '1', '--no-layers', '--energy', 'estimate', '--format', 'json'];
  const sink = { cwd: dir, out: '', err: '', stdout: (t: string) => void (sink.out += t), stderr: (t: string) => void (sink.err += t) };
  const services = { version: '0', analyze: () => { throw new Error('no analysis here'); }, profiles: () => ({ profiles: [], errors: [] }) } as unknown as CliServices;
  const code = await command.run({ options: new Options(parseArgs(argv, command.options)), io: sink, services });
  assert.equal(code, 0, sink.err);
  const json = JSON.parse(sink.out) as { inputs: { name: string; dims: number[]; origin: string }[] };
  assert.deepEqual(json.inputs.map((i) => [i.name, i.dims, i.origin]), [['input', [1, 512], 'generated'], ['state', [2, 1, 128], 'generated'], ['sr', [], 'user']]);
});

test('a detector is benchmarked at the size the analysis assumes, not 1×1', async () => {
  const detector = path.join(dir, 'det.onnx');
  fs.writeFileSync(detector, buildSymbolicDetector());
  const r = await runBenchmark({ modelPath: detector, iterations: 1, warmup: 0, profile: false, workerPath, energy: noCounters });
  assert.deepEqual(r.inputs[0]?.dims, [1, 3, 640, 640]);
});

test('a run onnxruntime rejects names every input and the values used', async () => {
  // A state of the wrong size: the Concat inside the branch fails.
  await assert.rejects(
    runBenchmark({ modelPath: vad, iterations: 1, warmup: 0, profile: false, workerPath, energy: noCounters, inputs: { state: { type: 'float32', dims: [2, 1, 3], data: new Array(6).fill(0) }, sr: { type: 'int64', dims: [], data: [16000] } } }),
    (e: Error) => /onnxruntime rejected the inputs/.test(e.message) && e.message.includes('sr=16000 (int64 scalar, given)') && e.message.includes('state (float32 [2×1×3], given)'),
  );
});

test('verification feeds: given inputs replace generated ones in every sample; unknown names are refused', () => {
  const generated = { x: { dataType: 'float32' as const, dims: [1, 2], values: [0.3, -0.1] }, sr: { dataType: 'int64' as const, dims: [], values: [1] } };
  const fed = withGivenInputs(generated, { sr: { type: 'int64', dims: [], data: [16000] } });
  assert.deepEqual(fed['sr'], { dataType: 'int64', dims: [], values: [16000] });
  assert.equal(fed['x'], generated.x);
  assert.throws(() => withGivenInputs(generated, { rate: { type: 'int64', dims: [], data: [1] } }), /rate is not an input of the model \(inputs: x, sr\)/);
});
