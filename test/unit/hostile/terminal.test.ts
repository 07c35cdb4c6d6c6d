/**
 * Terminal escapes in names from files (tensor names, GGUF keys, node names, profile file names)
 * must not reach a terminal through errors, warnings or summaries; and a file's warnings are
 * aggregated, not printed by the hundred thousand.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { terminalSafe } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { writeSafetensors } from '../../fixtures/formats/safetensors/writer';
import { loadModel, MAX_MODEL_WARNINGS } from '../../../src/core/formats/loadModel';
import { escapeHtml } from '../../../src/core/report/html/escape';
import { captureIo } from '../cli/fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-hostile-term-'));
const OSC = '\u001b]0;owned\u0007';
const CSI = '\u001b[2J';
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminal escapes and warning floods', () => {
  it('an error quoting a hostile tensor name reaches stderr without escapes', async () => {
    const bytes = writeSafetensors([{ name: `w${OSC}${CSI}`, dtype: 'F32', shape: [2] }]);
    // Corrupt the declared shape so the reader's error quotes the name.
    const text = Buffer.from(bytes).toString('latin1').replace('"shape":[2]', '"shape":[3]');
    const file = path.join(dir, 'evil.safetensors');
    fs.writeFileSync(file, Buffer.from(text, 'latin1'));
    const io = captureIo(dir);
    const code = await main(['analyze', file], io);
    assert.equal(code, 2);
    assert.match(io.err, /owned/, 'the name is still shown');
    assert.doesNotMatch(io.err, CONTROL);
  });

  it('stdout to a terminal is cleaned, piped stdout is left as data', () => {
    const seen: string[] = [];
    const raw = { cwd: dir, stdout: (t: string) => seen.push(t), stderr: (t: string) => seen.push(t) };
    terminalSafe(raw, true).stdout(`layer ${CSI}\nnext\r\n`);
    terminalSafe(raw, false).stdout(`{"a":"${CSI}"}`);
    assert.equal(seen[0], 'layer ?[2J\nnext\n');
    assert.equal(seen[1], `{"a":"${CSI}"}`);
  });

  it('HTML escaping leaves no raw line break from a name in the page', () => {
    assert.equal(escapeHtml('a\nb\r<c>'), 'a&#10;b&#13;&lt;c&gt;');
  });

  it('20k gaps between safetensors tensors give one warning, and any reader at most a few', () => {
    const tensors = Array.from({ length: 20_000 }, (_, i) => ({ name: `t${i}`, dtype: 'F32' as const, shape: [1], gapBefore: 4 }));
    const file = path.join(dir, 'gaps.safetensors');
    fs.writeFileSync(file, writeSafetensors(tensors));
    const model = loadModel(file);
    const gaps = model.warnings.filter((w) => w.includes('unused bytes'));
    assert.equal(gaps.length, 1);
    assert.match(gaps[0]!, /80000 unused bytes in 20000 gap\(s\)/);
    assert.ok(model.warnings.length <= MAX_MODEL_WARNINGS);
  });
});
