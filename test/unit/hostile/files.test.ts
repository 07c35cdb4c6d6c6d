/**
 * Non-regular files and links planted beside a model or in .joule/profiles: a FIFO used to block
 * `open()` forever, a link to /dev/zero to read 4 GB, a link out of a model's folder to read files
 * elsewhere. Each now answers at once: exit 2, or the file skipped with a reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { loadUserProfiles } from '../../../src/core/energy/profileRegistry';
import { readModel } from '../../../src/core/formats';
import { tinyHfLlama } from '../../fixtures/formats/safetensors/tinyLlama';
import { writeSafetensors } from '../../fixtures/formats/safetensors/writer';
import { withFileSource } from '../../../src/core/io/byteSource';
import { transformerConfigOf } from '../../../src/core/llm/modelLlm';
import { captureIo } from '../cli/fakeServices';

const posix = process.platform !== 'win32';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-files-'));

async function joule(...args: string[]): Promise<{ code: number; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, err: io.err };
}

function fifo(name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

describe('hostile files', { skip: !posix && 'needs mkfifo and symlinks' }, () => {
  it('a FIFO as the model (analyze, bench) or the Python file is refused with exit 2, not waited on', async () => {
    for (const [command, name] of [['analyze', 'pipe.onnx'], ['analyze', 'pipe.py'], ['bench', 'bench-pipe.onnx']] as const) {
      const r = await joule(command, fifo(name));
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /not a regular file \(a FIFO\)/);
    }
  });

  it('planted profiles: a FIFO, a link to /dev/zero, a link out, a 1 GB sparse file are skipped with reasons', () => {
    const profiles = path.join(dir, 'profiles');
    fs.mkdirSync(profiles);
    execFileSync('mkfifo', [path.join(profiles, 'fifo.json')]);
    fs.symlinkSync('/dev/zero', path.join(profiles, 'zero.json'));
    const outside = path.join(dir, 'outside.json');
    fs.writeFileSync(outside, '{}');
    fs.symlinkSync(outside, path.join(profiles, 'out.json'));
    const sparse = path.join(profiles, 'sparse.json');
    fs.writeFileSync(sparse, '');
    fs.truncateSync(sparse, 2 ** 30);
    const before = process.memoryUsage().rss;
    const { profiles: loaded, errors } = loadUserProfiles(profiles);
    assert.ok(process.memoryUsage().rss - before < 100 * 2 ** 20, 'nothing large was read');
    assert.deepEqual(loaded, []);
    const reasons = Object.fromEntries(errors.map((e) => [path.basename(e.file), e.errors.join('; ')]));
    assert.match(reasons['fifo.json'] ?? '', /not a regular file/);
    assert.match(reasons['zero.json'] ?? '', /outside the profiles folder/);
    assert.match(reasons['out.json'] ?? '', /outside the profiles folder/);
    assert.match(reasons['sparse.json'] ?? '', /more than the 1048576 allowed/);
  });

  it('safetensors: shards and config.json linked from outside the folder are not read', () => {
    const hf = tinyHfLlama({ layers: 2 });
    const secret = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-secret-'));
    const model = path.join(dir, 'llm');
    fs.mkdirSync(model);
    fs.writeFileSync(path.join(secret, 'shard.safetensors'), writeSafetensors(hf.tensors));
    fs.writeFileSync(path.join(secret, 'config.json'), JSON.stringify(hf.config));
    fs.symlinkSync(path.join(secret, 'shard.safetensors'), path.join(model, 'model-00001-of-00001.safetensors'));
    fs.symlinkSync(path.join(secret, 'config.json'), path.join(model, 'config.json'));
    const weightMap = Object.fromEntries(hf.tensors.map((t) => [t.name, 'model-00001-of-00001.safetensors']));
    const index = path.join(model, 'model.safetensors.index.json');
    fs.writeFileSync(index, JSON.stringify({ metadata: {}, weight_map: weightMap }));
    assert.throws(() => withFileSource(index, (s) => readModel(s, index)), /at least one readable shard/);

    // A shard inside the folder, the config.json a link out: the shard is read, the config is not.
    fs.rmSync(path.join(model, 'model-00001-of-00001.safetensors'));
    fs.writeFileSync(path.join(model, 'model-00001-of-00001.safetensors'), writeSafetensors(hf.tensors));
    const read = withFileSource(index, (s) => readModel(s, index));
    assert.ok(read);
    assert.equal(transformerConfigOf(read), undefined, 'the linked config.json was not read');
  });

  it('a config.json over 16 MiB says so (exit 2), not "not available in this build"', async () => {
    const big = path.join(dir, 'config.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 17 * 2 ** 20);
    const r = await joule('analyze', big);
    assert.equal(r.code, 2);
    assert.match(r.err, /config\.json of at most 16777216 bytes/);
  });
});
